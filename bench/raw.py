"""The engine against plain DB-API running the same statements with the same commits.

The engine drives instances draft → submit → approve → completed (listeners detached, as in
``bench/engine.py``) while every statement that reaches the DB-API cursor is recorded —
BEGIN, COMMIT and savepoints included. The record is then replayed on a copy of the
database taken before the run (so ids and serials match) through a bare ``sqlite3`` /
``psycopg2`` connection in autocommit mode, as peewee uses it, fetching every result set.
Rounds alternate so both sides share the machine's noise.
``engine_raw_ratio`` = engine instances/s ÷ raw instances/s (1.0: the engine costs nothing
beyond its SQL).
"""
from __future__ import annotations

import os
import shutil
import time

from bench.common import config, make_app, postgres_database, workdir
from bench.engine import drive_engine


class Recorder:
    """A DB-API cursor that writes down what it executes."""

    def __init__(self, cursor, log):
        self._cursor, self._log = cursor, log

    def execute(self, sql, params=()):
        self._log.append((sql, tuple(params or ())))
        return self._cursor.execute(sql, params)

    def __iter__(self):
        return iter(self._cursor)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


def replay(conn, statements) -> None:
    cursor = conn.cursor()
    for sql, params in statements:
        cursor.execute(sql, params)
        if cursor.description is not None:
            cursor.fetchall()


def measure(app, raw_conn, count, rounds=4):
    from app.db import db
    from app.engine import events
    from app.models import Service, User
    saved = {name: list(fns) for name, fns in events._listeners.items()}
    events._listeners.clear()
    spent = {"engine": 0.0, "raw": 0.0}
    statements = 0
    try:
        with app.app_context():
            db.connect(reuse_if_open=True)
            service = Service.get(Service.slug == "bench-approval")
            applicant = User.get(User.username == "b00001")
            approver = User.get(User.username == "b00002")
            database = db.obj
            original = database.cursor
            per_round = max(1, count // rounds)
            for _ in range(rounds + 1):                      # round 0 warms both sides
                log = []
                database.cursor = lambda *a, **k: Recorder(original(*a, **k), log)
                started = time.perf_counter()
                try:
                    drive_engine(service, applicant, approver, per_round)
                finally:
                    database.cursor = original
                engine_time = time.perf_counter() - started
                started = time.perf_counter()
                replay(raw_conn, log)
                raw_time = time.perf_counter() - started
                if _ > 0:
                    spent["engine"] += engine_time
                    spent["raw"] += raw_time
                    statements = len(log) / per_round
            db.close()
    finally:
        events._listeners.clear()
        events._listeners.update(saved)
    total = per_round * rounds
    return total / spent["engine"], total / spent["raw"], statements


def sqlite_run(folder, count):
    import sqlite3
    from app.db import SQLITE_PRAGMAS, db
    cfg = config(folder)
    app = make_app(cfg)
    path = cfg["DATABASE_URL"][len("sqlite:///"):]
    with app.app_context():
        db.connect(reuse_if_open=True)
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    copy = os.path.join(folder, "raw.db")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy, isolation_level=None, timeout=10)
    for key, value in SQLITE_PRAGMAS.items():
        conn.execute(f"PRAGMA {key} = {value}")
    try:
        return measure(app, conn, count)
    finally:
        conn.close()


def postgres_run(url, folder, count):
    import psycopg2
    from app.db import db
    app = make_app(config(folder, url))
    if not db.is_closed():
        db.close()
    db.obj.close_all()                       # the pool's too: a template must have no sessions
    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}_raw" TEMPLATE "{name}"')
    conn = psycopg2.connect(f"{url}_raw")
    conn.autocommit = True
    try:
        return measure(app, conn, count)
    finally:
        conn.close()
        db.obj.close_all()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}_raw" WITH (FORCE)')
        admin.close()


def run(quick: bool) -> dict:
    count = 80 if quick else 800
    out = {}
    with workdir() as folder:
        engine, raw, statements = sqlite_run(folder, count)
    out.update(engine_raw_instances_per_s=engine, engine_raw_sql_per_s=raw,
               engine_raw_statements_per_instance=statements, engine_raw_ratio=engine / raw)
    with postgres_database() as url, workdir() as folder:
        if url:
            engine, raw, statements = postgres_run(url, folder, count // 2)
            out.update(engine_raw_pg_instances_per_s=engine, engine_raw_pg_sql_per_s=raw,
                       engine_raw_pg_ratio=engine / raw)
    return out
