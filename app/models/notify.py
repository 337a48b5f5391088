"""Models of the notify part: the outbox, users' channel choices, department webhooks.

A ``Notification`` row is one message for one user on one channel. Rows are written by the
engine-event listeners inside the transition's transaction (the outbox) and moved along
pending → sending → sent | failed by the huey delivery tasks. ``(event_key, user, channel)``
is unique, so the same event can never produce two rows for the same person and channel.
"""
import peewee

from app.models.base import BaseModel, JSONField, utcnow
from app.models.directory import Department, User
from app.models.workflow import Instance, Task

KINDS = ("todo", "returned", "completed", "terminated", "cc", "overdue", "remind",
         "password_changed", "password_reset")
STATUSES = ("pending", "sending", "sent", "failed")


class Notification(BaseModel):
    user = peewee.ForeignKeyField(User, backref="notifications", on_delete="CASCADE")
    channel = peewee.CharField(max_length=32)                   # a name in plugins.channels.CHANNELS
    kind = peewee.CharField(max_length=16)                      # one of KINDS
    event_key = peewee.CharField(max_length=120)                # "todo:task:17", "overdue:task:17:2", …
    instance = peewee.ForeignKeyField(Instance, null=True, on_delete="CASCADE")
    task = peewee.ForeignKeyField(Task, null=True, on_delete="SET NULL")
    step_name = peewee.CharField(max_length=200, default="")
    extra = JSONField(default=dict)                             # opinion, actor name … for the texts
    title = peewee.CharField(max_length=300, default="")        # rendered subject (instance title until sent)
    body = peewee.TextField(default="")                         # rendered text, filled at delivery
    link = peewee.CharField(max_length=300, default="")         # path inside the site: /instances/<serial>
    status = peewee.CharField(max_length=16, default="pending")  # one of STATUSES
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(default=utcnow)
    claimed_at = peewee.DateTimeField(null=True)                # lease of the sender holding a 'sending' row
    last_error = peewee.TextField(default="")
    created = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)
    read_at = peewee.DateTimeField(null=True)                   # in-app rows: when the user read it

    class Meta:
        indexes = (
            (("event_key", "user", "channel"), True),
            (("status", "next_attempt_at"), False),
            (("user", "channel", "status", "read_at"), False),
        )


class NotifySetting(BaseModel):
    """A user's channel choices; without a row the defaults apply (in-app, plus email)."""
    user = peewee.ForeignKeyField(User, unique=True, backref="notify_settings", on_delete="CASCADE")
    channels = JSONField(default=list)                          # optional channels switched on
    wecom_webhook = peewee.CharField(max_length=500, default="")  # personal 企业微信 robot
    updated = peewee.DateTimeField(default=utcnow)


class DepartmentWebhook(BaseModel):
    """A department's 企业微信 robot: used for members without a personal webhook."""
    department = peewee.ForeignKeyField(Department, unique=True, on_delete="CASCADE")
    wecom_webhook = peewee.CharField(max_length=500, default="")
    updated = peewee.DateTimeField(default=utcnow)
