"""Models of the exports part (filled in by its issue)."""
from app.models.base import BaseModel, JSONField, utcnow  # noqa: F401
