from app.models.base import utcnow
from app.models.directory import ApiToken, Department, Role, User, UserRole
from app.models.workflow import (Attachment, Counter, FlowRecord, Instance, Service,
                                 ServiceVersion, Task)

ALL_MODELS = [Department, User, Role, UserRole, ApiToken, Service, ServiceVersion, Counter,
              Instance, Task, FlowRecord, Attachment]


def create_tables(database=None):
    """Create missing tables and indexes; safe to run again (``flask init-db``)."""
    from app.db import db
    (database or db).create_tables(ALL_MODELS, safe=True)


__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "create_tables", "utcnow"]
