"""A pytest plugin for plugin authors (entry point ``pytest11``: installed with OneHall).

A plugin's tests, in its own folder, need only ``pytest`` and these fixtures:

- ``onehall_app`` — the app on a throwaway SQLite file holding the demo directory
  (departments, people, roles; password ``demo1234``) and no services;
- ``onehall_client`` — a test client of it, signed in as nobody;
- ``make_user(username, **fields)`` — a new active user (defaults: staff of 宣传部, the
  initial password already changed to ``demo1234``); ``roles=["dept_leader"]`` grants roles;
- ``login_as(username)`` — a test client signed in as that user;
- ``load_definition(path_or_yaml_text)`` — imports and publishes a service definition,
  returns its ``ServiceDef`` (``.id`` is the slug in URLs).

CSRF is off and password hashing cheap. Nothing here is imported until a fixture is used, so
installing OneHall costs other projects' test runs nothing.
"""
from __future__ import annotations

import base64
import os
import shutil

import pytest

PASSWORD = "demo1234"
CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def _config(folder) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "onehall-testing",
        "DATABASE_URL": f"sqlite:///{folder / 'onehall.db'}",
        "UPLOAD_DIR": str(folder / "uploads"),
        "HUEY_URL": f"sqlite:///{folder / 'huey.db'}",
        "PASSWORD_HASH": CHEAP_HASH,
        "WTF_CSRF_ENABLED": False,
        "ID_CARD_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SQLITE_SYNCHRONOUS": "off",
    }


@pytest.fixture(scope="session")
def _onehall_seed(tmp_path_factory):
    """The demo directory, built once per session; each test gets a copy of the file."""
    from app import create_app
    from app.db import db
    from app.demo import load_demo
    from app.models import create_tables
    folder = tmp_path_factory.mktemp("onehall-seed")
    config = _config(folder)
    app = create_app(config)
    with app.app_context():
        db.connect(reuse_if_open=True)
        create_tables()
        load_demo()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    return folder / "onehall.db", config["ID_CARD_KEY"]


@pytest.fixture
def onehall_app(_onehall_seed, tmp_path):
    from app import create_app
    from app.db import db
    seed, key = _onehall_seed
    folder = tmp_path / "onehall"
    folder.mkdir()
    shutil.copy(seed, folder / "onehall.db")
    app = create_app(dict(_config(folder), ID_CARD_KEY=key))
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def onehall_client(onehall_app):
    return onehall_app.test_client()


@pytest.fixture
def make_user(onehall_app):
    """make_user("u1", name="甲", type="student", department="计算机科学与技术学院",
    roles=["dept_leader"]) → the new User."""
    from app.people.directory import add_user

    def make(username, **fields):
        fields.setdefault("name", username)
        fields.setdefault("type", "staff")
        department = fields.pop("department", "宣传部")
        roles = fields.pop("roles", ())
        password = fields.pop("password", PASSWORD)
        return add_user(username, department_name=department, roles=roles, password=password,
                        **fields)
    return make


@pytest.fixture
def login_as(onehall_app):
    """login_as("t2001") → a test client signed in as that user (password ``demo1234``)."""
    def sign_in(username, password=PASSWORD):
        client = onehall_app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, f"OneHall: signing in as {username!r} failed"
        return client
    return sign_in


@pytest.fixture
def load_definition(onehall_app):
    """load_definition("path/to/service.yaml") or load_definition(yaml_text) → the published
    ``ServiceDef``; an invalid definition raises ``DefinitionError`` naming line and column."""
    from app.defs.store import import_text, load_version

    def load(path_or_text):
        text, where = str(path_or_text), "<string>"
        if "\n" not in text and os.path.isfile(text):
            where = text
            with open(text, encoding="utf-8") as handle:
                text = handle.read()
        _, version, _ = import_text(text, where)
        return load_version(version)
    return load
