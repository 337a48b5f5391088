"""Services, their immutable versions, instances, tasks, flow records, attachments."""
import peewee

from app.models.base import BaseModel, JSONField, utcnow
from app.models.directory import User


class Service(BaseModel):
    """The catalog entry; its columns mirror the latest published version for fast listing."""
    slug = peewee.CharField(unique=True, max_length=100)
    number = peewee.IntegerField(unique=True)
    name = peewee.CharField(max_length=200)
    category = peewee.CharField(max_length=100, index=True)
    department = peewee.CharField(max_length=100, index=True)
    audience = peewee.CharField(max_length=100)                  # comma-separated: staff,student
    recommended = peewee.BooleanField(default=False)
    keywords = peewee.TextField(default="")
    initials = peewee.CharField(max_length=100, default="")     # pinyin initials: 工作周报 → gzzb
    enabled = peewee.BooleanField(default=True)
    latest_version = peewee.IntegerField(default=0)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow)


class ServiceVersion(BaseModel):
    service = peewee.ForeignKeyField(Service, backref="versions", on_delete="CASCADE")
    version = peewee.IntegerField()
    source = peewee.TextField()                                  # the YAML as imported
    compiled = JSONField()                                       # ServiceDef.to_dict()
    digest = peewee.CharField(max_length=64)                     # sha256 of the compiled JSON
    created = peewee.DateTimeField(default=utcnow)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("service", "version"), True),)


SERIAL_START = 10000          # the first 流水号 is SERIAL_START + 1


class Counter(BaseModel):
    name = peewee.CharField(primary_key=True, max_length=32)
    value = peewee.BigIntegerField(default=0)


class Instance(BaseModel):
    serial = peewee.BigIntegerField(unique=True)                 # 流水号
    service = peewee.ForeignKeyField(Service, backref="instances", on_delete="RESTRICT")
    version = peewee.ForeignKeyField(ServiceVersion, on_delete="RESTRICT")
    applicant = peewee.ForeignKeyField(User, backref="applications", on_delete="RESTRICT")
    title = peewee.CharField(max_length=300, default="")
    status = peewee.CharField(max_length=16, index=True)         # draft | running | returned | completed | terminated
    step = peewee.CharField(max_length=64, null=True)            # the current step id
    data = JSONField(default=dict)
    idempotency_key = peewee.CharField(max_length=200, null=True, unique=True)
    created = peewee.DateTimeField(default=utcnow)
    updated = peewee.DateTimeField(default=utcnow, index=True)
    submitted = peewee.DateTimeField(null=True)
    finished = peewee.DateTimeField(null=True)
    due = peewee.DateTimeField(null=True)
    revision = peewee.IntegerField(default=0)                    # bumped by every transition
    held = peewee.BooleanField(default=False)                    # 留存: retention skips it
    inserted = JSONField(null=True)                              # 加签 after: [{after, step}]
    anonymized = peewee.DateTimeField(null=True)                 # when retention masked it

    class Meta:
        indexes = ((("applicant", "status", "updated"), False),
                   # 统计分析: a service's window, covering what the counts and times read
                   (("service", "submitted", "status", "finished", "due"), False))


class Task(BaseModel):
    """One per assignee per step activation."""
    instance = peewee.ForeignKeyField(Instance, backref="tasks", on_delete="CASCADE")
    step = peewee.CharField(max_length=64)
    step_name = peewee.CharField(max_length=200)
    assignee = peewee.ForeignKeyField(User, backref="tasks", on_delete="RESTRICT")
    kind = peewee.CharField(max_length=8, default="do")           # do (办理) | cc (抄送: read-only copy)
    status = peewee.CharField(max_length=16, default="open")     # open | waiting | done | closed; cc
    action = peewee.CharField(max_length=16, null=True)
    created = peewee.DateTimeField(default=utcnow)
    acted = peewee.DateTimeField(null=True)
    due = peewee.DateTimeField(null=True)
    added = peewee.CharField(max_length=8, null=True)             # 加签: before | parallel
    # user ids, not foreign keys: Task keeps one join path to User (its assignee)
    added_by = peewee.IntegerField(null=True)                    # 加签: who added this to-do
    on_behalf_of = peewee.IntegerField(null=True)                # 委托: the delegator's id

    class Meta:
        indexes = ((("assignee", "status", "created"), False), (("instance", "status"), False),
                   # 统计分析: waiting and overdue per step read only this index
                   (("instance", "status", "kind", "step", "created", "acted", "due"), False))


class FlowRecord(BaseModel):
    """流转记录: written for every action, never edited or deleted."""
    instance = peewee.ForeignKeyField(Instance, backref="records", on_delete="CASCADE")
    step = peewee.CharField(max_length=64)
    step_name = peewee.CharField(max_length=200)
    action = peewee.CharField(max_length=16)
    user = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    at = peewee.DateTimeField(default=utcnow)
    opinion = peewee.TextField(default="")
    detail = peewee.TextField(default="")
    notes = JSONField(null=True)                                 # 退回: {field name: note}
    on_behalf_of = peewee.IntegerField(null=True)                # 委托: the delegator's id (代李四)


class Attachment(BaseModel):
    owner = peewee.ForeignKeyField(User, on_delete="CASCADE")
    instance = peewee.ForeignKeyField(Instance, null=True, backref="attachments", on_delete="SET NULL")
    token = peewee.CharField(unique=True, max_length=64)         # opaque id used in form data
    field = peewee.CharField(max_length=100)
    filename = peewee.CharField(max_length=255)                  # the user's name, display only
    stored_name = peewee.CharField(max_length=100)               # our random name under UPLOAD_DIR
    size = peewee.IntegerField()
    content_type = peewee.CharField(max_length=100)
    sha256 = peewee.CharField(max_length=64)
    created = peewee.DateTimeField(default=utcnow)


class InstanceRevision(BaseModel):
    """The form data as submitted, once per submission (the first, and each after 退回)."""
    instance = peewee.ForeignKeyField(Instance, backref="revisions", on_delete="CASCADE")
    number = peewee.IntegerField()                              # 1, 2, … per instance
    data = JSONField(default=dict)
    at = peewee.DateTimeField(default=utcnow)
    by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("instance", "number"), True),)


class Delegation(BaseModel):
    """委托/代理: while active, new to-dos of the delegator (for some services, or all) go
    to the delegate; flow records then say 张三（代李四）."""
    delegator = peewee.ForeignKeyField(User, backref="delegations_given", on_delete="CASCADE")
    delegate = peewee.ForeignKeyField(User, backref="delegations_taken", on_delete="CASCADE")
    start = peewee.DateTimeField()                               # UTC, naive
    end = peewee.DateTimeField()
    services = JSONField(null=True)                              # service slugs; None = all
    created = peewee.DateTimeField(default=utcnow)
    revoked = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("delegator", "end"), False),)
