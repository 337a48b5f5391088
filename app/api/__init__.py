"""The JSON API blueprint, /api/v1."""
from app.api.routes import bp  # noqa: F401
