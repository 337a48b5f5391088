"""Overdue to-dos remind their assignee once per REMINDER_INTERVAL_HOURS."""
from datetime import timedelta

import pytest

from app.engine import core
from app.models import Task, utcnow
from app.models.notify import Notification
from app.notify.reminders import remind_overdue
from tests.engine.conftest import CHAIN

N = Notification


@pytest.fixture
def overdue(app, user):
    from app.defs.store import import_text
    chain = import_text(CHAIN, "test-chain.yaml")[0]
    inst = core.start(chain, user("t2001"), {"subject": "超期"})
    due = utcnow() - timedelta(hours=1)
    Task.update(due=due).where(Task.instance == inst, Task.status == "open").execute()
    return inst


def reminders():
    return list(N.select().where(N.kind == "overdue").order_by(N.id))


def test_an_overdue_task_reminds_its_assignee_once_a_day(app, overdue, user):
    now = utcnow()
    with app.app_context():
        first = remind_overdue(app.config, now)
        assert remind_overdue(app.config, now + timedelta(hours=5)) == []     # same day: nothing
    assert len(first) == 2
    assert {(n.user.username, n.channel) for n in reminders()} == {("t2002", "inapp"), ("t2002", "email")}
    with app.app_context():
        assert len(remind_overdue(app.config, now + timedelta(hours=24))) == 2  # the next day
        assert remind_overdue(app.config, now + timedelta(hours=30)) == []
    assert len(reminders()) == 4


def test_the_interval_is_configurable(app, overdue):
    app.config["REMINDER_INTERVAL_HOURS"] = 2
    now = utcnow()
    with app.app_context():
        remind_overdue(app.config, now)
        remind_overdue(app.config, now + timedelta(hours=1))
        remind_overdue(app.config, now + timedelta(hours=2))
    assert len(reminders()) == 4


def test_done_and_not_yet_due_tasks_are_not_reminded(app, overdue, user):
    with app.app_context():
        assert remind_overdue(app.config, utcnow() - timedelta(hours=2)) == []   # before due
    core.act(overdue, user("t2002"), "approve", opinion="同意")
    Task.update(due=utcnow() - timedelta(hours=1)).where(Task.instance == overdue).execute()
    Task.update(due=None).where(Task.instance == overdue, Task.status == "open").execute()
    with app.app_context():
        assert remind_overdue(app.config) == []


def test_reminders_are_delivered_with_the_step_and_a_link(app, overdue, smtp, consumer):
    from tests.notify.conftest import wait_until
    with app.app_context():
        remind_overdue(app.config)
    consumer.start()
    wait_until(lambda: any("超期提醒" in (m["Subject"] or "") for _, m in smtp.messages))
    mail = [m for _, m in smtp.messages if "超期提醒" in m["Subject"]][0]
    text = mail.get_content()
    assert "单位领导审批" in text and f"/instances/{overdue.serial}" in text
