"""The audit log (SPEC §7.5): one row per security-relevant event, append-only and
HMAC-chained (``app.audit.chain``).

The app has no update or delete path for these rows: ``update``/``delete`` and saving an
existing row raise. The only removal is the retention prune in ``app.audit.prune`` (rows
older than AUDIT_KEEP_DAYS, never fewer than 180 days).
"""
import peewee

from app.models.base import BaseModel, utcnow


class AppendOnly(RuntimeError):
    pass


class AuditEvent(BaseModel):
    at = peewee.DateTimeField(default=utcnow, index=True)
    kind = peewee.CharField(max_length=32, index=True)
    username = peewee.CharField(max_length=64, null=True, index=True)   # who acted / tried
    address = peewee.CharField(max_length=64, null=True)                # client address
    detail = peewee.TextField(default="")
    prev = peewee.CharField(max_length=64, null=True)      # the chain: the previous event's mac
    mac = peewee.CharField(max_length=64, null=True)       # HMAC of prev + this event (app.audit.chain)

    def save(self, *args, **kwargs):
        if self.id is not None and not kwargs.get("force_insert"):
            raise AppendOnly("audit events are never changed")
        return super().save(*args, **kwargs)

    @classmethod
    def update(cls, *args, **kwargs):
        raise AppendOnly("audit events are never changed")

    @classmethod
    def delete(cls):
        raise AppendOnly("audit events are removed only by app.audit.prune")

    @classmethod
    def _prune_query(cls):
        """The retention prune's DELETE (``app.audit.prune``), the one way rows leave."""
        return peewee.ModelDelete(cls)


class AuditChain(BaseModel):
    """The chain's head, one row (id 1): every append locks it first, so two writers at once
    (two processes on PostgreSQL) append one after the other. ``seal`` and ``anchor`` are
    HMACs too: the head cannot be moved back, nor the chain's start, without the key."""
    last_id = peewee.BigIntegerField(default=0)
    last_mac = peewee.CharField(max_length=64, default="")
    anchor = peewee.CharField(max_length=64, null=True)   # after a prune: seals the first kept event
    seal = peewee.CharField(max_length=64, default="")
    appends = peewee.BigIntegerField(default=0)
