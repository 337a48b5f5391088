"""`flask worker` as a real process on PostgreSQL + Redis (ONEHALL_TEST_POSTGRES/_REDIS).

The worker closes its database connection after each task the way production does (no
TESTING), so these tests see what a deployed worker does: a failed send is retried, a
'sending' row left by a killed worker is sent again once its lease expires, and nothing
crashes on the way (no traceback on the worker's stderr).
"""
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from app import create_app
from app.db import db
from app.engine import core
from app.models.notify import Notification
from tests.conftest import ROOT, make_config, seed_database
from tests.engine.conftest import CHAIN
from tests.notify.conftest import BoundController, wait_until
from tests.notify.test_redis import redis_url  # noqa: F401  (fixture)

N = Notification
ENV_KEYS = ("SECRET_KEY", "DATABASE_URL", "HUEY_URL", "HUEY_NAME", "MAIL_SERVER", "BASE_URL",
            "UPLOAD_DIR", "NOTIFY_RETRY_SECONDS", "NOTIFY_MAX_ATTEMPTS", "NOTIFY_LEASE_SECONDS")


class ScriptedSmtp:
    """aiosmtpd handler answering each DATA with the next scripted behaviour (the last
    repeats): "refuse" (451, try again later), "hang" (no answer until released) or "accept"."""

    def __init__(self, *script):
        self.script = list(script)
        self.accepted = []
        self.seen = 0
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        action = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if action == "hang":
            while not self.released.is_set():
                await asyncio.sleep(0.1)
            return "451 4.3.0 gave up"
        if action == "refuse":
            return "451 4.3.0 mailbox busy, try again later"
        from email import message_from_bytes, policy
        self.accepted.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    servers = []

    def start(*script):
        handler = ScriptedSmtp(*script)
        controller = BoundController(handler)
        controller.start()
        handler.port = controller.port
        servers.append((handler, controller))
        return handler

    yield start
    for handler, controller in servers:
        handler.released.set()
        controller.stop()


@pytest.fixture
def pg_redis_app(postgres_url, redis_url, tmp_path):  # noqa: F811
    def make(smtp, **extra):
        config = make_config(tmp_path, DATABASE_URL=postgres_url, HUEY_URL=redis_url,
                             HUEY_NAME=f"onehall-test-{uuid.uuid4().hex[:10]}",
                             MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                             BASE_URL="https://hall.example.edu.cn",
                             NOTIFY_RETRY_SECONDS=0.2, NOTIFY_MAX_ATTEMPTS=5, NOTIFY_LEASE_SECONDS=2)
        config.update(extra)
        app = create_app(config)
        seed_database()
        made.append(app)
        return app

    made = []
    yield make
    from app.queue import huey
    if made:
        huey.storage.flush_all()            # only this test's queue (its name is unique)
    if not db.is_closed():
        db.close()


class Worker:
    """`flask worker` in its own process, stderr kept in a file."""

    def __init__(self, app, tmp_path, name):
        env = dict(os.environ, FLASK_APP="wsgi", MAIL_PORT=str(app.config["MAIL_PORT"]))
        env.update({k: str(app.config[k]) for k in ENV_KEYS})
        self.stderr_path = tmp_path / f"{name}.stderr"
        self.stderr = open(self.stderr_path, "wb")
        flask = os.path.join(os.path.dirname(sys.executable), "flask")
        self.process = subprocess.Popen([flask, "worker", "--workers", "2"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=self.stderr)

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.stderr.close()
        return self.stderr_path.read_text(errors="replace")


@pytest.fixture
def workers(tmp_path):
    started = []

    def start(app, name="worker"):
        started.append(Worker(app, tmp_path, name))
        return started[-1]

    yield start
    for w in started:
        w.stop(signal.SIGKILL)


def submit(app, subject):
    from app.defs.store import import_text
    from app.models import User
    chain = import_text(CHAIN, "test-chain.yaml")[0]
    with app.app_context():          # the outbox rows are enqueued when the context ends
        return core.start(chain, User.get(User.username == "t2001"), {"subject": subject})


def email_row():
    return N.get((N.channel == "email") & (N.kind == "todo"))


def test_a_refused_email_is_retried_by_the_worker_until_it_is_accepted(pg_redis_app, smtp_server, workers):
    smtp = smtp_server("refuse", "refuse", "accept")
    app = pg_redis_app(smtp)
    submit(app, "采购电脑")
    worker = workers(app)
    wait_until(lambda: email_row().status == "sent", timeout=60)
    stderr = worker.stop()
    row = email_row()
    assert row.attempts == 3 and row.last_error == ""
    assert [m["To"] for m in smtp.accepted] == ["t2002@example.edu.cn"]
    assert "采购电脑" in smtp.accepted[0]["Subject"]
    assert N.get((N.channel == "inapp") & (N.kind == "todo")).status == "sent"
    assert "Traceback" not in stderr, stderr


def test_a_send_cut_short_by_a_killed_worker_is_sent_again_after_its_lease(pg_redis_app, smtp_server, workers):
    smtp = smtp_server("hang", "accept")
    app = pg_redis_app(smtp)
    submit(app, "报销差旅")
    first = workers(app, "first")
    wait_until(lambda: smtp.seen == 1 and email_row().status == "sending", timeout=60)
    first.stop(signal.SIGKILL)                # killed between the claim and the mark
    assert email_row().status == "sending" and smtp.accepted == []
    time.sleep(2.2)                           # NOTIFY_LEASE_SECONDS=2
    second = workers(app, "second")
    wait_until(lambda: email_row().status == "sent", timeout=60)
    stderr = second.stop()
    assert email_row().attempts == 2
    assert len(smtp.accepted) == 1 and "报销差旅" in smtp.accepted[0]["Subject"]
    assert "Traceback" not in stderr, stderr


def test_an_export_job_runs_on_the_worker_against_postgresql(pg_redis_app, smtp_server, workers, tmp_path):
    from app.exports.jobs import create_job
    from app.exports.tasks import run_export
    from app.models import Service, User
    from app.models.exports import ExportJob
    app = pg_redis_app(smtp_server("accept"), EXPORT_DIR=str(tmp_path / "exports"))
    submit(app, "导出一件")
    job = create_job(Service.get(Service.slug == "test-chain"), User.get(User.username == "admin"),
                     "csv", {})
    run_export(job.id)
    worker = workers(app)
    wait_until(lambda: ExportJob.get_by_id(job.id).status == "done", timeout=60)
    stderr = worker.stop()
    done = ExportJob.get_by_id(job.id)
    assert done.file_path.startswith("exports/export-")
    text = open(tmp_path / "exports" / done.file_path.split("/")[1], encoding="utf-8-sig").read()
    assert done.total == 1 and "导出一件" in text
    assert "Traceback" not in stderr, stderr
