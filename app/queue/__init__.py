"""The huey queue: SQLite file by default, Redis with HUEY_URL=redis://….

There is one module-level ``huey`` so tasks can be declared with ``@huey.task()`` at import;
``init_app(app)`` points its storage at the app's HUEY_URL (``HUEY_NAME`` names the queue,
so several apps or tests can share one Redis) and remembers the app for ``app_context()``.

Payloads are signed with SECRET_KEY (huey's SignedSerializer): a process that can write to
the queue storage but does not hold the key cannot make a worker unpickle its data — a
forged or unsigned message fails the signature check before ``pickle.loads`` is reached.
Tasks receive ids, never objects, and build their own app context.
"""
import contextlib
import os

from huey import Huey, RedisHuey, SqliteHuey
from huey.serializer import SignedSerializer
from huey.storage import MemoryStorage

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Until init_app runs, messages stay in memory (nothing reaches a worker without an app).
huey = Huey("onehall", storage_class=MemoryStorage,
            serializer=SignedSerializer(secret=os.urandom(32).hex()))
_state = {"app": None}


def storage_for(url: str, synchronous: str = "full"):
    """(storage class, storage kwargs) for a HUEY_URL; a SQLite file syncs each commit to
    disk unless ``synchronous`` (SQLITE_SYNCHRONOUS) is "off"."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey.storage_class, {"url": url}
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    if not os.path.isabs(path):
        path = os.path.join(_ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey.storage_class, {"filename": path, **({"fsync": False} if synchronous == "off" else {})}


def configure(url: str, secret: str, name: str = "onehall", immediate: bool = False,
              synchronous: str = "full"):
    """Re-point the shared ``huey`` at ``url`` with payloads signed by ``secret``."""
    huey.name = name
    huey.serializer = SignedSerializer(secret=secret)
    huey.storage_class, huey.storage_kwargs = storage_for(url, synchronous)
    huey._immediate = immediate
    huey.storage = huey.create_storage()
    return huey


def make_huey(url: str, secret: str, name: str = "onehall", immediate: bool = False):
    """A separate huey over the same kind of storage (tools and tests that need a second one)."""
    storage_class, kwargs = storage_for(url)
    return Huey(name, storage_class=storage_class, serializer=SignedSerializer(secret=secret),
                immediate=immediate, **kwargs)


def init_app(app) -> None:
    configure(app.config["HUEY_URL"], app.config["SECRET_KEY"],
              name=app.config.get("HUEY_NAME") or "onehall",
              immediate=bool(app.config.get("HUEY_IMMEDIATE")),
              synchronous=app.config["SQLITE_SYNCHRONOUS"])
    _state["app"] = app


def app_context():
    """The app context a task runs in (the app that configured the queue)."""
    app = _state["app"]
    if app is None:
        raise RuntimeError("app.queue.init_app(app) has not run in this process")
    return app.app_context()


@contextlib.contextmanager
def task_context():
    """The app context and database connection a task runs in; yields the app's config.

    In immediate mode (tests, ``HUEY_IMMEDIATE``) a task runs inside its caller's context and
    uses that app and connection. Under a consumer the task opens its own connection and,
    inside it, the app context: the context's teardown (which enqueues new outbox rows)
    still has the connection, and the connection is closed once, by whoever opened it.
    """
    from flask import current_app, has_app_context

    from app.db import db
    if has_app_context():
        yield current_app.config
        return
    with db.connection_context(), app_context():
        yield current_app.config
