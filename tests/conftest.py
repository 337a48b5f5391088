"""Shared fixtures: an app on a fresh SQLite file with the shipped definitions and demo people.

The database with definitions and demo users is built once per session and copied for each
test, so every test starts from the same real file without paying for the set-up again.
"""
import os
import shutil
import sqlite3
import sys
import uuid

import pytest

from app import create_app
from app.db import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _keep_bytecode_out_of_the_tree():
    """Where PYTHONDONTWRITEBYTECODE is set (this project's CI machine sets it), every test
    worker and every ``flask …`` or ``python -m …`` a test starts would compile the app from
    source again: some 4 s of CPU per worker and 0.5 s per child. The run keeps compiled
    files in ``.venv/pycache`` instead, out of the tree as the setting intends. An explicit
    PYTHONPYCACHEPREFIX is left as it is."""
    prefix = os.path.join(ROOT, ".venv", "pycache")
    if not sys.dont_write_bytecode or os.environ.get("PYTHONPYCACHEPREFIX") \
            or not os.path.isdir(os.path.dirname(prefix)):
        return
    sys.pycache_prefix, sys.dont_write_bytecode = prefix, False
    os.environ["PYTHONPYCACHEPREFIX"] = prefix              # workers and children inherit it
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_keep_bytecode_out_of_the_tree()
DEFINITIONS = os.path.join(ROOT, "definitions")
pytest_plugins = ("tests.browser", "tests.skipguard",   # browser fixtures; CI=true: a skip fails
                  "tests.compilecache",                # a route or template compiles once a session
                  "tests.depth")                       # property tests: all examples, or a quarter

CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
PASSWORD = "demo1234"
TEST_ID_CARD_KEY = "y2u4zQyWb0pDGqz8m6yWlqB6m7sP9sQhQ2bF0lH0a1M="


def make_config(tmp_path, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'onehall.db'}",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "HUEY_URL": f"sqlite:///{tmp_path / 'huey.db'}",     # each test its own queue file
        "PASSWORD_HASH": CHEAP_HASH,
        "WTF_CSRF_ENABLED": False,
        "ID_CARD_KEY": TEST_ID_CARD_KEY,
        "AUDIT_KEY": "test-audit-key",
        "SQLITE_SYNCHRONOUS": "off",    # a test's files are thrown away: no waiting for the disk
    }
    config.update(extra)
    return config


def seed_database():
    from app.defs.store import import_paths
    from app.demo import load_demo
    from app.models import create_tables
    create_tables()
    for path, outcome in import_paths([DEFINITIONS]):
        if isinstance(outcome, Exception):
            raise outcome
    load_demo()


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    app = create_app(make_config(folder))
    with app.app_context():
        db.connect(reuse_if_open=True)
        seed_database()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    return folder / "onehall.db"


@pytest.fixture(scope="session")
def empty_queue_file(tmp_path_factory):
    """The queue file exactly as a new app creates it (tables, WAL mode, no message): copied
    for each test, it saves the dozen fsyncs of creating it again."""
    from app.queue import huey
    folder = tmp_path_factory.mktemp("queue")
    create_app(make_config(folder))
    huey.storage.close()
    with sqlite3.connect(folder / "huey.db") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert connection.execute("SELECT count(*) FROM task").fetchone() == (0,)
    connection.close()
    return folder / "huey.db"


@pytest.fixture
def app_config(tmp_path, seeded_db_file, empty_queue_file):
    shutil.copy(seeded_db_file, tmp_path / "onehall.db")
    shutil.copy(empty_queue_file, tmp_path / "huey.db")
    return make_config(tmp_path)


@pytest.fixture
def app(app_config):
    """The app with its database bound. No app context stays pushed: each test-client
    request gets its own (a shared one would share ``g`` and its cached login between
    clients); test code queries the models directly, or pushes a context when it needs one."""
    app = create_app(app_config)
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username, password=PASSWORD):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"login of {username} failed"
    return client


@pytest.fixture
def login_as(app):
    """login_as("t2001") → a test client signed in as that demo user."""
    def make(username, password=PASSWORD):
        return login(app.test_client(), username, password)
    return make


@pytest.fixture
def user():
    from app.models import User
    return lambda username: User.get(User.username == username)


@pytest.fixture
def service():
    from app.models import Service
    return lambda slug: Service.get(Service.slug == slug)


@pytest.fixture
def postgres_url():
    """A throw-away PostgreSQL database on ONEHALL_TEST_POSTGRES, dropped afterwards."""
    base = os.environ.get("ONEHALL_TEST_POSTGRES")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail("ONEHALL_TEST_POSTGRES is not set under CI=true")
        pytest.skip("ONEHALL_TEST_POSTGRES not set")
    import psycopg2
    from urllib.parse import urlparse, urlunparse
    name = f"onehall_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    parts = urlparse(base)
    yield urlunparse(parts._replace(path=f"/{name}"))
    admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def pg_app(postgres_url, tmp_path):
    app = create_app(make_config(tmp_path, DATABASE_URL=postgres_url))
    seed_database()
    yield app
    if not db.is_closed():
        db.close()
