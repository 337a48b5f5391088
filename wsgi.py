"""`app = create_app()` — lets `flask <command>` and gunicorn find the app from the repo root."""
from app import create_app

app = create_app()
