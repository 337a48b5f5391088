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
    database.create_tables(ALL_MODELS, safe=True)
    _add_missing_columns(database)
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
