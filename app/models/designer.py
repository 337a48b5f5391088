"""Models of the designer: the draft of a service's definition, user-import jobs."""
import peewee

from app.models.base import BaseModel, JSONField, utcnow
from app.models.directory import User
from app.models.workflow import Service


class ServiceDraft(BaseModel):
    """The definition an admin is editing, in the YAML shape (``fields:`` spelling).

    It is always valid: every save compiles it first. ``source`` is its YAML: as typed in
    the Source tab (comments kept) or, after a form editor's change, generated in the
    format's key order (``definition`` is stored as sorted JSON).

    ``revision`` counts the writes: every save names the revision it was based on and is a
    conditional UPDATE on it, so two admins editing one draft never overwrite each other.
    """
    slug = peewee.CharField(unique=True, max_length=100)
    department = peewee.CharField(max_length=100, index=True)
    service = peewee.ForeignKeyField(Service, null=True, unique=True, backref="drafts",
                                     on_delete="CASCADE")
    base_version = peewee.IntegerField(default=0)           # the version the draft started from
    definition = JSONField()
    source = peewee.TextField(null=True)
    dirty = peewee.BooleanField(default=False)               # changed since base_version
    revision = peewee.IntegerField(default=1)
    updated = peewee.DateTimeField(default=utcnow)
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")


class UserImportJob(BaseModel):
    """A bulk CSV import of users: previewed first, then (once confirmed) small files run in
    the request, large ones on the queue."""
    filename = peewee.CharField(max_length=255)
    path = peewee.CharField(max_length=500)
    status = peewee.CharField(max_length=16, default="queued")   # preview | queued | running | done | failed
    create_missing = peewee.BooleanField(default=False)          # 同时创建 missing departments and roles
    total = peewee.IntegerField(default=0)
    processed = peewee.IntegerField(default=0)
    created_count = peewee.IntegerField(default=0)
    errors = JSONField(default=list)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created = peewee.DateTimeField(default=utcnow)
    finished = peewee.DateTimeField(null=True)


class MigrationJob(BaseModel):
    """版本迁移 confirmed in the designer: runs on the queue, one transaction per instance."""
    service = peewee.ForeignKeyField(Service, on_delete="CASCADE")
    to_version = peewee.IntegerField()
    serials = JSONField(default=list)                            # [] = every running instance
    step_map = JSONField(default=dict)                           # old step id → new step id
    status = peewee.CharField(max_length=16, default="queued")   # queued | running | done | failed
    total = peewee.IntegerField(default=0)
    processed = peewee.IntegerField(default=0)
    moved = peewee.IntegerField(default=0)
    report = JSONField(default=list)                             # ["SERIAL: ok", "SERIAL: blocked: …"]
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created = peewee.DateTimeField(default=utcnow)
    finished = peewee.DateTimeField(null=True)


class ServiceScenarios(BaseModel):
    """A service's scenario tests (the text of its NAME.test.yaml, SPEC §8.7) and the last
    run: ``result_key`` is the hash of what was run (definition, tests, directory), so a
    result is shown again only while all three are unchanged."""
    slug = peewee.CharField(unique=True, max_length=100)
    source = peewee.TextField()
    updated = peewee.DateTimeField(default=utcnow)
    updated_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    result_key = peewee.CharField(null=True, max_length=64)
    result = JSONField(null=True)


class PaperImport(BaseModel):
    """A draft read from a paper form (从纸质表单导入): the original document, kept to show
    beside the draft and to download, and the reader's guesses (``[{target, text, snapshot,
    accepted}]``): a guess is 待确认 until the admin accepts it or changes what it made."""
    draft = peewee.ForeignKeyField(ServiceDraft, unique=True, backref="paper_imports", on_delete="CASCADE")
    filename = peewee.CharField(max_length=255)
    kind = peewee.CharField(max_length=8)                        # docx | xlsx (after any conversion)
    original = peewee.BlobField()
    guesses = JSONField(default=list)
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL")
    created = peewee.DateTimeField(default=utcnow)
