"""Shared set-up of the benchmarks: a throw-away app on its own database."""
import contextlib
import os
import secrets
import shutil
import tempfile
import uuid
from urllib.parse import urlparse, urlunparse

CHEAP_HASH = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
PASSWORD = "bench1234"

def _definition(slug, number, name, fields) -> str:
    """A benchmark service: filled by the applicant, approved by b00002 (one step)."""
    return f"""
format: 1
id: {slug}
number: {number}
name: {name}
category: 基准
department: 基准部门
audience: [staff]
time_limit: 3d
title: "{{service}}_{{applicant.name}}_{{form.subject}}"
form:
  title: {name}表
  fields:
{fields}
steps:
  - {{id: fill, name: 填写申请, by: applicant}}
  - {{id: approve, name: 审批, by: {{user: b00002}}, actions: [approve, return, terminate]}}
"""


DEFINITION = _definition("bench-approval", 99001, "基准审批", """\
    - {name: subject, label: 事由, type: text, required: true, max_length: 100}
    - {name: amount, label: 金额, type: number, minimum: 0}""")

ROWS_DEFINITION = _definition("bench-rows", 99002, "基准明细审批", """\
    - {name: unit, label: 单位, type: text, autofill: user.department, readonly: true}
    - {name: subject, label: 事由, type: text, required: true, max_length: 100}
    - name: items
      label: 明细
      type: rows
      min_rows: 1
      max_rows: 50
      columns:
        - {name: text, label: 内容, type: text, required: true, max_length: 100}
        - {name: amount, label: 金额, type: number, minimum: 0}""")


def config(folder, database_url=None) -> dict:
    return {
        "SECRET_KEY": "bench-" + secrets.token_hex(8),
        "DATABASE_URL": database_url or f"sqlite:///{os.path.join(folder, 'bench.db')}",
        "UPLOAD_DIR": os.path.join(folder, "uploads"),
        "HUEY_URL": f"sqlite:///{os.path.join(folder, 'huey.db')}",
        "PASSWORD_HASH": CHEAP_HASH,
    }


@contextlib.contextmanager
def workdir():
    folder = tempfile.mkdtemp(prefix="onehall-bench-")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def postgres_database():
    """A fresh database on ONEHALL_TEST_POSTGRES (dropped afterwards), or None when unset."""
    base = os.environ.get("ONEHALL_TEST_POSTGRES")
    if not base:
        yield None
        return
    import psycopg2
    name = f"onehall_bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunparse(urlparse(base)._replace(path=f"/{name}"))
    finally:
        from app.db import db
        if not db.is_closed():
            db.close()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def make_app(cfg):
    """The app bound to cfg's database, with tables and the benchmark service."""
    from app import create_app
    from app.db import db
    from app.defs.store import import_text
    from app.models import Department, User, create_tables
    from app.people.passwords import hash_password
    app = create_app(cfg)
    with app.app_context():
        db.connect(reuse_if_open=True)
        create_tables()
        dept, _ = Department.get_or_create(name="基准部门")
        hashed = hash_password(PASSWORD)
        for username, name in (("b00001", "申请人"), ("b00002", "审批人")):
            User.get_or_create(username=username, defaults=dict(
                name=name, type="staff", department=dept, password_hash=hashed, activated=True))
        import_text(DEFINITION, "bench.yaml")
        import_text(ROWS_DEFINITION, "bench-rows.yaml")
    return app


def percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def counted(call, *args, **kwargs):
    """(SQL statements run, result) of ``call(*args, **kwargs)`` — a test-client request —
    counted where peewee runs them; ONEHALL_BENCH_SHOW_SQL=1 prints them."""
    from app.db import db
    database = db.obj
    seen = []
    original = database.execute_sql

    def counting(sql, params=None, *rest, **options):
        seen.append(sql)
        return original(sql, params, *rest, **options)

    database.execute_sql = counting
    try:
        result = call(*args, **kwargs)
    finally:
        database.execute_sql = original
    if os.environ.get("ONEHALL_BENCH_SHOW_SQL"):
        print(f"# {len(seen)} statements:", *(f"#   {q[:150]}" for q in seen), sep="\n")
    return len(seen), result
