"""退回 to an earlier step, resubmission, 撤回, 转办 and an admin's 改派."""
import pytest

from app.people.directory import grant
from app.engine import core, events
from app.engine.exceptions import Conflict, Invalid, NotAllowed, NotFound
from app.models import FlowRecord, Instance, Task
from tests.workflow.conftest import COUNCIL, DATA, open_do, records, to_council


def test_return_to_an_earlier_step_starts_that_step_again(depth, user):
    inst = to_council(depth, user)
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    with pytest.raises(Invalid):
        core.act(inst, user("t8001"), "return", to_step="keeper", opinion="x")
    inst = core.act(inst, user("t8001"), "return", to_step="review", opinion="请重新审核预算")
    assert (inst.status, inst.step) == ("running", "review") and open_do(inst) == ["t6001"]
    inst = core.act(inst, user("t6001"), "approve", opinion="已复核")
    assert inst.step == "council" and open_do(inst) == sorted(COUNCIL)   # a fresh 会签 round
    for name in COUNCIL:
        inst = core.act(inst, user(name), "approve", opinion="同意")
    assert inst.step == "keeper"


def test_resubmission_after_return_shows_the_opinion_and_keeps_readonly_fields(depth, user, login_as):
    inst = core.start(depth, user("t2001"), dict(DATA))
    inst = core.act(inst, user("t6001"), "return", opinion="预算写清楚")
    applicant = login_as("t2001")
    page = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "预算写清楚" in page and "已退回" in page
    response = applicant.post(f"/instances/{inst.serial}/edit", data={
        "op": "submit", "subject": "采购服务器（修改）", "reviewer": "t6001", "budget": "15",
        "secret": "底价 9 万", "note": "申请人不能写办理说明"})
    assert response.status_code == 302
    inst = Instance.get_by_id(inst.id)
    assert (inst.status, inst.step) == ("running", "review")
    assert inst.data["subject"] == "采购服务器（修改）" and inst.data["budget"] == 15
    assert "note" not in inst.data                              # not in the first step's edit:
    assert records(inst)[-2:] == [("review", "return", "t6001"), ("fill", "submit", "t2001")]


def test_resubmission_through_the_api_cannot_write_other_fields(depth, user, bearer, client):
    inst = core.start(depth, user("t2001"), dict(DATA))
    core.act(inst, user("t6001"), "return", opinion="改一下")
    response = client.post(f"/api/v1/instances/{inst.serial}/actions", headers=bearer("t2001"),
                           json={"action": "submit", "data": {"subject": "新事由", "note": "偷写"}})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "running" and body["data"]["subject"] == "新事由"
    assert "note" not in Instance.get_by_id(inst.id).data
    assert body["records"][-2]["opinion"] == "改一下"


def test_withdraw_before_anyone_acted_and_not_after(depth, user, login_as):
    inst = core.start(depth, user("t2001"), dict(DATA))
    with pytest.raises(NotAllowed):
        core.withdraw(inst, user("t6001"))
    applicant = login_as("t2001")
    response = applicant.post(f"/instances/{inst.serial}/act", data={"action": "withdraw"})
    assert response.status_code == 302
    inst = Instance.get_by_id(inst.id)
    assert inst.status == "terminated" and open_do(inst) == []
    assert ("review", "withdraw", "t2001") in records(inst)
    acted = core.start(depth, user("t2001"), dict(DATA))
    core.act(acted, user("t6001"), "transfer", to_user="t9001", opinion="请代审")
    with pytest.raises(Conflict):                                 # a transfer is an action too
        core.withdraw(acted, user("t2001"))
    council = to_council(depth, user)
    response = applicant.post(f"/instances/{council.serial}/act", data={"action": "withdraw"})
    assert response.status_code == 409 and "已有人办理" in response.get_data(as_text=True)


def test_transfer_leaves_a_record_and_the_colleague_decides(depth, user):
    inst = to_council(depth, user)
    inst = core.act(inst, user("t8001"), "transfer", to_user="t9002", opinion="出差，请代签")
    assert open_do(inst) == ["t3001", "t3002", "t9002"]
    row = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "transfer")
    assert row.user.username == "t8001" and "韩梅" in row.detail and row.opinion == "出差，请代签"
    old = Task.get(Task.instance == inst, Task.assignee == user("t8001"))
    assert (old.status, old.action) == ("closed", "transfer")
    for name in ("t3001", "t3002"):
        inst = core.act(inst, user(name), "approve", opinion="同意")
    assert inst.step == "council"                                 # still waits for the colleague
    inst = core.act(inst, user("t9002"), "approve", opinion="同意")
    assert inst.step == "keeper"


@pytest.mark.parametrize("target", ["t3001", "t8001", "nobody", ""])
def test_transfer_to_an_assignee_self_or_nobody_is_refused(depth, user, target):
    inst = to_council(depth, user)
    with pytest.raises(Invalid) as e:
        core.act(inst, user("t8001"), "transfer", to_user=target)
    assert "to_user" in e.value.fields
    assert open_do(inst) == sorted(COUNCIL)


def test_admin_reassigns_a_task_of_someone_who_left(depth, user):
    inst = to_council(depth, user)
    task = Task.get(Task.instance == inst, Task.assignee == user("t8001"), Task.status == "open")
    created = []
    listener = events.listen("task_created", lambda instance, task: created.append(task.assignee_id))
    try:
        new = core.reassign(task, "t9001", by=user("admin"))
    finally:
        events._listeners["task_created"].remove(listener)
    assert new.assignee.username == "t9001" and new.status == "open" and new.due == inst.due
    assert created == [user("t9001").id]
    old = Task.get_by_id(task.id)
    assert (old.status, old.action) == ("closed", "reassign")
    row = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "reassign")
    assert row.user.username == "admin" and "冯校长" in row.detail and "陈静" in row.detail
    assert open_do(inst) == ["t3001", "t3002", "t9001"]
    with pytest.raises(Conflict):
        core.reassign(task, "t9002", by=user("admin"))            # that task is closed now


def test_reassign_is_for_admins_and_the_services_dept_admin(depth, user):
    inst = to_council(depth, user)
    task = Task.get(Task.instance == inst, Task.assignee == user("t8001"), Task.status == "open")
    for intruder in ("t2002", "t8001", "t3001"):                  # dept_admin of 宣传部, assignees
        with pytest.raises(NotAllowed):
            core.reassign(task, "t9001", by=user(intruder))
    grant(user("t3001"), "dept_admin@办公室")
    assert core.reassign(task.id, user("t9001"), by=user("t3001")).assignee.username == "t9001"
    with pytest.raises(NotFound):
        core.reassign(10 ** 9, "t9001", by=user("admin"))


def test_reassign_refuses_a_holder_and_a_finished_task(depth, user):
    inst = to_council(depth, user)
    task = Task.get(Task.instance == inst, Task.assignee == user("t8001"), Task.status == "open")
    with pytest.raises(Invalid):
        core.reassign(task, "t3001", by=user("admin"))
    core.act(inst, user("t8001"), "approve", opinion="同意")
    with pytest.raises(Conflict):
        core.reassign(task, "t9001", by=user("admin"))
