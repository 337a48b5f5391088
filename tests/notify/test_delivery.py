"""The outbox delivered by a real huey consumer: worker down, lost enqueues, crashes, retries."""
from datetime import timedelta

import pytest

from app.engine import core
from app.models import utcnow
from app.models.notify import Notification
from app.queue import huey
from tests.engine.conftest import CHAIN
from tests.notify.conftest import wait_until

N = Notification


@pytest.fixture
def chain(app):
    from app.defs.store import import_text
    return import_text(CHAIN, "test-chain.yaml")[0]


def walk(app, chain, user):
    """Four transitions that need someone's attention, each in its own app context (as a
    web request would be): 李明 submits, 张华 approves, 赵敏 returns, 李明 resubmits."""
    with app.app_context():
        inst = core.start(chain, user("t2001"), {"subject": "采购", "amount": 80})
    with app.app_context():
        inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    with app.app_context():
        inst = core.act(inst, user("t3001"), "return", opinion="金额有误")
    with app.app_context():
        inst = core.submit(inst, user("t2001"), {"amount": 60})
    return inst


def rows(**where):
    query = N.select()
    for field, value in where.items():
        query = query.where(getattr(N, field) == value)
    return list(query.order_by(N.id))


def settled():
    return (huey.pending_count() == 0 and not N.select().where(N.status.in_(("pending", "sending"))).exists())


def test_worker_down_then_up_delivers_every_notification_exactly_once(app, chain, user, smtp, consumer, login_as):
    inst = walk(app, chain, user)                         # no consumer: actions still succeed
    assert inst.status == "running" and inst.step == "leader"
    pending = rows()
    assert {n.status for n in pending} == {"pending"} and len(pending) == 8
    assert sorted((n.user.username, n.kind, n.channel) for n in pending) == sorted(
        [("t2002", "todo", c) for c in ("inapp", "email")] * 2
        + [("t3001", "todo", c) for c in ("inapp", "email")]
        + [("t2001", "returned", c) for c in ("inapp", "email")])
    assert huey.pending_count() == 8                      # enqueued after each commit
    assert smtp.messages == []

    consumer.start()
    wait_until(settled)
    assert {n.status for n in rows()} == {"sent"}
    assert len(smtp.to("t2002@example.edu.cn")) == 2
    assert len(smtp.to("t3001@example.edu.cn")) == 1
    returned = smtp.to("t2001@example.edu.cn")
    assert len(returned) == 1 and len(smtp.messages) == 4
    mail = returned[0]
    assert mail["Subject"] == f"【退回】{inst.title}"
    assert mail["From"] == "hall@example.edu.cn"
    text = mail.get_content()
    assert str(inst.serial) in text and "金额有误" in text
    assert f"https://hall.example.edu.cn/instances/{inst.serial}" in text

    # Duplicate enqueues and another sweep send nothing twice.
    from app.notify.tasks import enqueue, sweep
    enqueue([n.id for n in rows()])
    sweep()
    wait_until(lambda: huey.pending_count() == 0)
    consumer.stop()
    assert len(smtp.messages) == 4

    page = login_as("t2002").get("/me/notifications").get_data(as_text=True)
    assert page.count('class="notify-item unread"') == 2
    assert "单位领导审批" in page and str(inst.serial) in page


def test_lost_enqueues_are_delivered_by_the_sweeper_when_the_consumer_starts(app, chain, user, smtp, consumer):
    walk(app, chain, user)
    huey.flush()                                          # the queue lost every message
    assert huey.pending_count() == 0
    consumer.start()                                      # the sweep runs when the scheduler starts
    wait_until(settled)
    assert len(smtp.messages) == 4 and {n.status for n in rows()} == {"sent"}


def test_a_send_interrupted_by_a_crash_is_retried_after_its_lease(app, chain, user, smtp, consumer):
    with app.app_context():
        core.start(chain, user("t2001"), {"subject": "采购"})
    huey.flush()
    email = rows(channel="email")[0]
    stale = utcnow() - timedelta(seconds=301)
    N.update(status="sending", claimed_at=stale, attempts=1).where(N.id == email.id).execute()
    consumer.start()
    wait_until(settled)
    row = N.get_by_id(email.id)
    assert row.status == "sent" and row.attempts == 2
    assert len(smtp.to("t2002@example.edu.cn")) == 1


def test_a_send_in_progress_is_not_taken_over_before_its_lease_ends(app, chain, user, smtp):
    with app.app_context():
        core.start(chain, user("t2001"), {"subject": "采购"})
    email = rows(channel="email")[0]
    N.update(status="sending", claimed_at=utcnow(), attempts=1).where(N.id == email.id).execute()
    from app.notify import delivery
    assert delivery.deliver(email.id, app.config) == ("skipped", 0)
    assert email.id not in delivery.due_ids(app.config)
    assert smtp.messages == []


def test_in_app_delivery_is_exactly_once_under_concurrent_workers(app, chain, user):
    with app.app_context():
        core.start(chain, user("t2001"), {"subject": "采购"})
    inapp = rows(channel="inapp")[0]
    import threading
    from app.db import db
    from app.notify import delivery
    outcomes = []

    def run():
        with db.connection_context(), app.app_context():
            outcomes.append(delivery.deliver(inapp.id, app.config)[0])

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["sent", "skipped", "skipped", "skipped"]
    assert N.get_by_id(inapp.id).attempts == 1


def test_an_unreachable_smtp_server_ends_failed_after_the_attempts(app, chain, user, consumer):
    app.config["MAIL_PORT"] = 1                           # nothing listens there
    with app.app_context():
        core.start(chain, user("t2001"), {"subject": "采购"})
    consumer.start()
    wait_until(lambda: N.get(N.channel == "email").status == "failed")
    row = N.get(N.channel == "email")
    assert row.attempts == 3 and "SMTP" in row.last_error
    assert N.get(N.channel == "inapp").status == "sent"   # one channel failing spares the others
