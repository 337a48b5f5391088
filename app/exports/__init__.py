"""Print, PDF/Word export and verification of an instance; bulk CSV/XLSX export jobs."""
from flask import Blueprint

bp = Blueprint("exports", __name__, template_folder="templates")

from app.exports import admin, printing, tasks  # noqa: E402,F401  (routes and huey tasks)
