"""Assignees from a user field, roles scoped to a named department, and 抄送 (cc)."""
import pytest

from app.engine import core, events
from app.engine.exceptions import Invalid, NoAssignee, NotAllowed
from app.models import Instance, Task
from plugins import assignees
from tests.workflow.conftest import COUNCIL, DATA, open_do, to_council


@pytest.fixture
def heard():
    """Every engine event emitted during the test, as (event, instance serial, assignee)."""
    seen = []

    def make(name):
        def listener(instance, task=None, **_):
            seen.append((name, instance.serial, task.assignee.username if task else None))
        return listener

    added = [(name, events.listen(name, make(name))) for name in ("task_created", "cc_created")]
    yield seen
    for name, fn in added:
        events._listeners[name].remove(fn)


def test_assignee_comes_from_the_user_field(depth, user, heard):
    inst = core.start(depth, user("t2001"), dict(DATA))
    assert inst.step == "review" and open_do(inst) == ["t6001"]
    other = core.start(depth, user("t2001"), dict(DATA, reviewer="t9001"))
    assert open_do(other) == ["t9001"]
    assert ("task_created", inst.serial, "t6001") in heard


def test_unknown_user_in_the_field_is_a_form_error(depth, user):
    with pytest.raises(Invalid) as e:
        core.start(depth, user("t2001"), dict(DATA, reviewer="nobody"))
    assert "reviewer" in e.value.fields


def test_inactive_user_in_the_field_is_no_assignee(depth, user):
    gone = user("t6001")
    gone.is_active = False
    gone.save()
    with pytest.raises(NoAssignee):
        core.start(depth, user("t2001"), dict(DATA))


def test_role_scoped_to_a_named_department(depth, user):
    inst = to_council(depth, user)
    assert open_do(inst) == sorted(COUNCIL)                # t2002 holds council@宣传部 only
    assert assignees.describe({"role": "council", "department": "办公室"}) == "办公室的council"
    assert assignees.describe({"role": "dept_leader", "of": "applicant"}) == "申请人所在单位的单位领导"
    assert assignees.describe({"user": "t2002"}) == "张华（t2002）"
    ctx = assignees.Context(applicant=user("t2001"), data={})
    assert assignees.resolve({"role": "council", "department": "不存在的部门"}, ctx) == []


def test_cc_users_get_a_copy_and_an_event(depth, user, heard):
    inst = core.start(depth, user("t2001"), dict(DATA))
    copies = Task.select().where(Task.instance == inst, Task.kind == "cc")
    assert sorted(t.assignee.username for t in copies) == ["t9002", "t9003"]
    assert {t.status for t in copies} == {"cc"}
    assert ("cc_created", inst.serial, "t9003") in heard
    assert ("task_created", inst.serial, "t9003") not in heard


def test_cc_user_sees_the_item_in_the_cc_box_not_in_todo(depth, user, login_as):
    serial = core.start(depth, user("t2001"), dict(DATA)).serial
    copied = login_as("t9003")
    cc_box = copied.get("/me/items?box=cc").get_data(as_text=True)
    assert str(serial) in cc_box and "会签测试_李明_采购服务器" in cc_box
    assert str(serial) not in copied.get("/me/items?box=todo").get_data(as_text=True)
    page = copied.get(f"/instances/{serial}")
    assert page.status_code == 200 and "采购服务器" in page.get_data(as_text=True)


def test_cc_user_cannot_act_on_the_web(depth, user, login_as):
    serial = core.start(depth, user("t2001"), dict(DATA)).serial
    copied = login_as("t9003")
    response = copied.post(f"/instances/{serial}/act",
                           data={"action": "approve", "opinion": "我来批", "step": "review"})
    assert response.status_code == 403
    assert "不是该事项当前步骤的办理人" in response.get_data(as_text=True)
    inst = Instance.get(Instance.serial == serial)
    assert inst.step == "review" and open_do(inst) == ["t6001"]


def test_cc_user_cannot_act_through_the_api(depth, user, bearer, client):
    serial = core.start(depth, user("t2001"), dict(DATA)).serial
    items = client.get("/api/v1/me/items?box=cc", headers=bearer("t9002")).get_json()
    assert [i["serial"] for i in items["items"]] == [serial]
    for action in ("approve", "return", "terminate", "transfer"):
        response = client.post(f"/api/v1/instances/{serial}/actions", headers=bearer("t9002"),
                               json={"action": action, "opinion": "x", "to_user": "t9003"})
        assert response.status_code == 403, action
        assert response.get_json()["error"] == "forbidden"
    with pytest.raises(NotAllowed):
        core.act(core.get_instance(serial), user("t9002"), "approve")


def test_badge_counts_include_cc(depth, user):
    from app.engine.queries import box_counts
    core.start(depth, user("t2001"), dict(DATA))
    core.start(depth, user("t2001"), dict(DATA, subject="第二件"))
    core.start(depth, user("t2001"), dict(DATA, subject="草稿"), submit=False)
    assert box_counts(user("t9003")) == {"todo": 0, "cc": 2, "drafts": 0}
    assert box_counts(user("t6001")) == {"todo": 2, "cc": 0, "drafts": 0}
    assert box_counts(user("t2001")) == {"todo": 0, "cc": 0, "drafts": 1}
