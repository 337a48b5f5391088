"""All models. Each part keeps its models in its own module; ALL_MODELS collects them."""
import inspect

from app.models import accounts, audit, designer, directory, exports, hall, notify, workflow
from app.models.base import BaseModel, utcnow
from app.models.directory import ApiToken, Department, Role, User, UserRole
from app.models.workflow import (Attachment, Counter, Delegation, FlowRecord, Instance,
                                 InstanceRevision, Service, ServiceVersion, Task)

MODULES = (directory, workflow, hall, accounts, notify, exports, designer, audit)

ALL_MODELS = [obj for module in MODULES for _, obj in inspect.getmembers(module, inspect.isclass)
              if issubclass(obj, BaseModel) and obj is not BaseModel
              and obj.__module__ == module.__name__]


def create_tables(database=None):
    """Create missing tables and indexes; safe to run again (``flask init-db``)."""
    from app.db import db
    database = database or db
    existing = set(database.get_tables())
    database.create_tables([m for m in ALL_MODELS if m._meta.table_name not in existing], safe=True)
    _add_missing_columns(database)
    # indexes last: before its column exists, SQLite would index the quoted name as a constant
    # and PostgreSQL would refuse
    for model in ALL_MODELS:
        if model._meta.table_name in existing:
            model._schema.create_indexes(safe=True)
    _encrypt_plain_id_cards(database)
    if not Counter.select().where(Counter.name == "serial").exists():
        from app.models.workflow import SERIAL_START
        Counter.insert(name="serial", value=SERIAL_START).on_conflict_ignore().execute()


__all__ = ["ApiToken", "Department", "Role", "User", "UserRole", "Attachment", "Counter",
           "Delegation", "FlowRecord", "Instance", "InstanceRevision", "Service", "ServiceVersion", "Task", "ALL_MODELS",
           "create_tables", "utcnow"]


def _add_missing_columns(database):
    """The upgrade half of init-db: columns added to a model since its table was created."""
    from playhouse.migrate import SchemaMigrator, migrate
    migrator = SchemaMigrator.from_database(database)
    operations = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        existing = {c.name for c in database.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name not in existing:
                if not field.null and field.default is None:
                    raise RuntimeError(f"cannot add NOT NULL column {table}.{field.column_name} without a default")
                operations.append(migrator.add_column(table, field.column_name, field))
    if operations:
        with database.atomic():
            migrate(*operations)


def _encrypt_plain_id_cards(database):
    """Upgrade from plain ``user.id_card``: encrypt each number into ``id_card_secret``, fill
    its lookup hash and empty the old column (left in place, always NULL from then on)."""
    import peewee
    from app.people import idcards
    if "id_card" not in {c.name for c in database.get_columns("user")}:
        return
    legacy = peewee.Table("user", ("id", "id_card")).bind(database)
    with database.atomic():
        rows = list(legacy.select(legacy.id, legacy.id_card)
                    .where(legacy.id_card.is_null(False)).tuples())
        for user_id, plain in rows:
            number = idcards.normalize(plain) or None
            User.update({User.id_card: number, User.id_card_hash: idcards.lookup_hash(number)}
                        ).where(User.id == user_id).execute()
            legacy.update({legacy.id_card: None}).where(legacy.id == user_id).execute()
