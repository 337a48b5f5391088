"""HUEY_URL=redis://… with several `flask worker` consumers (ONEHALL_TEST_REDIS).

Each test uses its own queue name (HUEY_NAME) and deletes only that queue's keys.
"""
import os
import subprocess
import sys
import uuid

import pytest

from app.engine import core
from app.models.notify import Notification
from tests.conftest import ROOT
from tests.engine.conftest import CHAIN
from tests.notify.conftest import wait_until

N = Notification


@pytest.fixture
def redis_url():
    url = os.environ.get("ONEHALL_TEST_REDIS")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("ONEHALL_TEST_REDIS is not set under CI=true")
        pytest.skip("ONEHALL_TEST_REDIS not set")
    return url


@pytest.fixture
def app_config(app_config, redis_url):
    app_config.update(HUEY_URL=redis_url, HUEY_NAME=f"onehall-test-{uuid.uuid4().hex[:10]}")
    return app_config


@pytest.fixture
def redis_queue(app):
    from app.queue import huey
    yield huey
    huey.storage.flush_all()                  # only this queue's keys (its name is unique)


def start_workers(app, count):
    config = app.config
    env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY=config["SECRET_KEY"],
               DATABASE_URL=config["DATABASE_URL"], HUEY_URL=config["HUEY_URL"],
               HUEY_NAME=config["HUEY_NAME"], MAIL_SERVER=config["MAIL_SERVER"],
               MAIL_PORT=str(config["MAIL_PORT"]), BASE_URL=config["BASE_URL"],
               UPLOAD_DIR=config["UPLOAD_DIR"])
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    return [subprocess.Popen([flask, "worker", "--workers", "2"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(count)]


def test_several_redis_consumers_deliver_each_notification_once(app, redis_queue, user, smtp):
    from app.defs.store import import_text
    chain = import_text(CHAIN, "test-chain.yaml")[0]
    for i in range(6):
        with app.app_context():
            core.start(chain, user("t2001"), {"subject": f"第{i}件"})
    assert redis_queue.pending_count() == 12
    workers = start_workers(app, 3)
    try:
        wait_until(lambda: N.select().where(N.status == "sent").count() == 12, timeout=60)
        wait_until(lambda: redis_queue.pending_count() == 0)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(20)
    assert len(smtp.to("t2002@example.edu.cn")) == 6
    subjects = sorted(m["Subject"] for _, m in smtp.messages)
    assert len(set(subjects)) == 6
