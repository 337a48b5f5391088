"""`app = create_app()` — lets `flask <command>` and gunicorn find the app from the repo root.

A plugin that cannot load stops start-up with one line naming it, not a traceback.
"""
import sys

from app import create_app
from plugins import PluginError

try:
    app = create_app()
except PluginError as exc:
    sys.exit(f"onehall: cannot start: {exc}")
