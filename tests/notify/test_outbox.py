"""Outbox rows are written with the transition, follow the users' choices and never repeat."""
import pytest

from app.engine import core, events
from app.models import Instance, User
from app.models.notify import Notification
from app.notify import outbox, prefs
from tests.engine.conftest import CHAIN

N = Notification


@pytest.fixture
def chain(app):
    from app.defs.store import import_text
    return import_text(CHAIN, "test-chain.yaml")[0]


def kinds(username):
    return sorted((n.kind, n.channel) for n in N.select().join(User).where(User.username == username))


def test_a_new_todo_writes_in_app_and_email_rows_for_the_assignee(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    assert kinds("t2002") == [("todo", "email"), ("todo", "inapp")]
    row = N.get(N.channel == "inapp")
    assert (row.status, row.instance_id, row.step_name, row.link) == (
        "pending", inst.id, "单位领导审批", f"/instances/{inst.serial}")
    assert row.title == inst.title
    assert kinds("t2001") == []                           # the applicant acted themselves


def test_a_user_without_email_gets_in_app_only(app, chain, user):
    User.update(email=None).where(User.username == "t2002").execute()
    core.start(chain, user("t2001"), {"subject": "采购"})
    assert kinds("t2002") == [("todo", "inapp")]


def test_saved_preferences_are_respected(app, chain, user):
    prefs.save(user("t2002"), ["sms", "wecom"], "http://127.0.0.1:9/hook")
    core.start(chain, user("t2001"), {"subject": "采购"})
    assert kinds("t2002") == [("todo", "inapp"), ("todo", "sms"), ("todo", "wecom")]


def test_wecom_without_any_webhook_is_skipped_and_the_department_one_is_used(app, chain, user):
    from app.models.notify import DepartmentWebhook
    prefs.save(user("t2002"), ["wecom"], "")
    core.start(chain, user("t2001"), {"subject": "一"})
    assert kinds("t2002") == [("todo", "inapp")]
    DepartmentWebhook.create(department=user("t2002").department, wecom_webhook="https://qyapi.weixin.qq.com/x")
    core.start(chain, user("t2001"), {"subject": "二"})
    assert kinds("t2002").count(("todo", "wecom")) == 1


def test_return_completion_termination_and_cc_reach_the_right_people(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "退回", "amount": 10})
    core.act(inst, user("t2002"), "return", opinion="请补充")
    assert ("returned", "inapp") in kinds("t2001")
    row = N.get(N.kind == "returned", N.channel == "inapp")
    assert row.extra == {"by": "张华", "opinion": "请补充"}

    inst = core.start(chain, user("t2001"), {"subject": "终止"})
    core.act(inst, user("t2002"), "terminate", opinion="不同意")
    assert N.select().where(N.kind == "terminated", N.instance == inst).count() == 2

    inst = core.start(chain, user("t2001"), {"subject": "办结", "amount": 10})
    inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    core.act(inst, user("t3002"), "approve")
    assert N.select().where(N.kind == "completed", N.instance == inst).count() == 2


def test_withdrawing_ones_own_application_sends_nothing_to_oneself(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "撤回"})
    core.withdraw(inst, user("t2001"))
    assert kinds("t2001") == []


def test_a_failed_transition_rolls_back_its_notifications(app, chain, user):
    def broken_listener(instance, task):
        raise RuntimeError("another listener failed")

    events.listen("task_created", broken_listener)
    try:
        with pytest.raises(RuntimeError):
            core.start(chain, user("t2001"), {"subject": "回滚"})
    finally:
        events._listeners["task_created"].remove(broken_listener)
    assert N.select().count() == 0
    assert not Instance.select().where(Instance.title.contains("回滚")).exists()


def test_the_same_event_never_writes_a_second_row(app, chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "重复"})
    from app.models import Task
    task = Task.get(Task.instance == inst, Task.status == "open")
    before = N.select().count()
    outbox.write(task.assignee, "todo", f"todo:task:{task.id}", inst, task, task.step_name)
    assert N.select().count() == before == 2


def test_rows_are_enqueued_only_after_commit_and_only_when_they_exist(app, chain, user):
    from app.queue import huey
    with app.app_context():
        core.start(chain, user("t2001"), {"subject": "入队"})
        assert huey.pending_count() == 0                  # still inside the request
    assert huey.pending_count() == 2


def test_rows_of_a_refused_transition_are_never_enqueued(app, chain, user):
    """A listener wrote its rows, then the transition was refused and rolled back: the app
    context ends without an error, and no job names a row that never committed."""
    from app.engine.exceptions import Conflict
    from app.queue import huey

    def refuse(instance, task):
        raise Conflict("有人抢先办理")

    with app.app_context():
        kept = core.start(chain, user("t2001"), {"subject": "保留"})
        events.listen("task_created", refuse)
        try:
            with pytest.raises(Conflict):
                core.start(chain, user("t2001"), {"subject": "撤销"})
        finally:
            events._listeners["task_created"].remove(refuse)
    assert huey.pending_count() == 2                     # the kept instance's two rows only
    assert {n.instance_id for n in N.select()} == {kept.id}
