"""The peewee database: one proxy, bound at app start from DATABASE_URL."""
import os
import threading
from urllib.parse import urlparse

import peewee
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase

db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "full",
}
SQLITE_SYNC_LEVELS = ("off", "normal", "full", "extra")


POOL_STALE_SECONDS = 300        # a pooled connection idle this long is reopened
POOL_WAIT_SECONDS = 30          # a request waits this long for a free connection, then fails


def make_database(url: str, root: str = ".", pool_size: int = 8,
                  synchronous: str = "full") -> peewee.Database:
    """sqlite:///relative/path, sqlite:////abs/path or postgresql://… (pooled: ``pool_size``
    connections per process, returned to the pool by ``close()``). ``synchronous`` is
    SQLite's PRAGMA: "full" waits for the disk at each commit, "off" (test files) does not."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        if synchronous not in SQLITE_SYNC_LEVELS:
            raise ValueError(f"SQLITE_SYNCHRONOUS is one of {', '.join(SQLITE_SYNC_LEVELS)}, not {synchronous!r}")
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not os.path.isabs(path):
            path = os.path.join(root, path)
        if path != ":memory:":
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return peewee.SqliteDatabase(path, pragmas=dict(SQLITE_PRAGMAS, synchronous=synchronous), timeout=10)
    if scheme in ("postgres", "postgresql"):
        params = parse(url.replace("postgres://", "postgresql://", 1))
        return PooledPostgresqlDatabase(max_connections=int(pool_size), stale_timeout=POOL_STALE_SECONDS,
                                        timeout=POOL_WAIT_SECONDS, **params)
    raise ValueError(f"unsupported DATABASE_URL scheme {scheme!r}")


def bind(database: peewee.Database) -> None:
    db.initialize(database)


def is_sqlite() -> bool:
    return isinstance(db.obj, peewee.SqliteDatabase)


_blocks = threading.local()


class write_transaction:
    """A transaction that takes the write lock up front.

    On SQLite ``BEGIN IMMEDIATE`` avoids the deadlock of two readers upgrading to writers;
    on PostgreSQL rows are locked explicitly with SELECT … FOR UPDATE by the engine.

    ``on_rollback(fn)`` inside one runs ``fn`` if the block's work is undone: its own
    exception, or an enclosing block's (the outbox forgets ids that never committed).
    """

    def __enter__(self):
        self._atomic = db.atomic(lock_type="IMMEDIATE") if is_sqlite() else db.atomic()
        self._atomic.__enter__()
        self._undo = []
        stack = _blocks.__dict__.setdefault("stack", [])
        stack.append(self)
        return self

    def __exit__(self, exc_type, exc, tb):
        stack = _blocks.stack
        stack.pop()
        try:
            return self._atomic.__exit__(exc_type, exc, tb)
        finally:
            if exc_type is not None:
                for fn in self._undo:
                    fn()
            elif stack:
                stack[-1]._undo.extend(self._undo)     # undone if the outer block is


def on_rollback(fn) -> bool:
    """Run ``fn`` if the innermost write_transaction rolls back; False outside one."""
    stack = getattr(_blocks, "stack", None)
    if not stack:
        return False
    stack[-1]._undo.append(fn)
    return True
