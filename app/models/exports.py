"""Models of the exports part: who printed what (for the verification page), bulk export jobs."""
import peewee

from app.models.base import BaseModel, JSONField, utcnow
from app.models.directory import User
from app.models.workflow import Instance, Service


class PrintRecord(BaseModel):
    """One print, PDF or Word export of an instance, as its QR code's verification page knows it.

    ``hidden`` keeps the fields the printing user could not see, so the page recomputes the
    fingerprint of exactly that view of the current content.
    """
    instance = peewee.ForeignKeyField(Instance, backref="prints", on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    fingerprint = peewee.CharField(max_length=64, index=True)
    hidden = JSONField(default=list)
    format = peewee.CharField(max_length=8)                      # print | pdf | docx
    printed_at = peewee.DateTimeField(default=utcnow)


class ExportJob(BaseModel):
    """A bulk export of a service's instances to CSV or XLSX, run by a huey task."""
    service = peewee.ForeignKeyField(Service, on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    format = peewee.CharField(max_length=8)                      # csv | xlsx
    filters = JSONField(default=dict)
    status = peewee.CharField(max_length=12, default="queued")   # queued | running | done | failed
    progress = peewee.IntegerField(default=0)
    total = peewee.IntegerField(default=0)
    file_path = peewee.CharField(max_length=500, default="")
    filename = peewee.CharField(max_length=255, default="")
    error = peewee.TextField(default="")
    created = peewee.DateTimeField(default=utcnow)
    finished = peewee.DateTimeField(null=True)
