"""The engine's runtime semantics (SPEC §3) on a real SQLite file."""
from datetime import timedelta

import pytest

from app.engine import core
from app.engine.exceptions import Conflict, Invalid, NoAssignee, NotAllowed
from app.engine.queries import milestones
from app.models import FlowRecord, Instance, Task, UserRole
from tests.engine.conftest import CHAIN, open_assignees


def actions_of(instance):
    return [(r.step, r.action) for r in FlowRecord.select().where(FlowRecord.instance == instance)
            .order_by(FlowRecord.id)]


def test_submit_routes_to_the_leader_of_the_applicants_department(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "采购", "amount": 10})
    assert inst.status == "running" and inst.step == "leader"
    assert open_assignees(inst) == ["t2002"]          # 张华 leads 宣传部, 李明's department
    assert inst.title == "测试审批_李明_采购"
    assert inst.data["unit"] == "宣传部"               # autofilled, read-only
    assert actions_of(inst) == [("fill", "submit")]


def test_serials_are_unique_and_increasing(chain, user):
    serials = [core.start(chain, user("t2001"), {"subject": f"s{i}"}).serial for i in range(5)]
    assert serials == sorted(serials) and len(set(serials)) == 5


def test_due_date_follows_time_limit(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    assert inst.due - inst.submitted == timedelta(days=3)
    assert {t.due for t in Task.select().where(Task.instance == inst, Task.status == "open")} == {inst.due}


def test_full_chain_skips_a_step_whose_condition_is_false(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "小额", "amount": 20})
    inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    assert inst.step == "keeper"                       # office skipped: amount ≤ 50
    inst = core.act(inst, user("t3002"), "approve", data={"note": "已盖章", "subject": "篡改"})
    assert inst.status == "completed" and inst.step is None and inst.finished
    assert inst.data["note"] == "已盖章" and inst.data["subject"] == "小额"   # edit: [note] only
    assert actions_of(inst) == [("fill", "submit"), ("leader", "approve"),
                                ("keeper", "approve"), ("end", "complete")]
    assert [m["state"] for m in milestones(core.service_def(inst), inst)] == ["done"] * 4


def test_condition_true_enters_the_extra_step(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "大额", "amount": 80})
    inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    assert inst.step == "office" and open_assignees(inst) == ["t3001"]
    ms = milestones(core.service_def(inst), inst)
    assert [(m["id"], m["state"]) for m in ms] == [
        ("fill", "done"), ("leader", "done"), ("office", "current"), ("keeper", "future"), ("end", "future")]


def test_opinion_required(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    with pytest.raises(Invalid) as e:
        core.act(inst, user("t2002"), "approve")
    assert "opinion" in e.value.fields
    assert Instance.get_by_id(inst.id).step == "leader"


def test_only_a_current_assignee_may_act(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    for intruder in ("t2001", "t3001", "s2023001"):
        with pytest.raises(NotAllowed):
            core.act(inst, user(intruder), "approve", opinion="我来批")
    assert actions_of(inst) == [("fill", "submit")]


def test_action_not_allowed_on_the_step(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x", "amount": 80})
    inst = core.act(inst, user("t2002"), "approve", opinion="ok")
    with pytest.raises(NotAllowed):
        core.act(inst, user("t3001"), "terminate")


def test_return_to_applicant_then_resubmit(chain, user):
    applicant = user("t2001")
    inst = core.start(chain, applicant, {"subject": "初稿"})
    inst = core.act(inst, user("t2002"), "return", opinion="事由写清楚")
    assert inst.status == "returned" and inst.step == "fill"
    assert open_assignees(inst) == ["t2001"]
    with pytest.raises(NotAllowed):
        core.submit(inst, user("t2002"), {"subject": "别人改"})
    inst = core.submit(inst, applicant, {"subject": "修改后"})
    assert inst.status == "running" and inst.step == "leader" and inst.data["subject"] == "修改后"
    assert actions_of(inst)[-2:] == [("leader", "return"), ("fill", "submit")]


def test_return_to_an_allowed_earlier_step(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x", "amount": 99})
    inst = core.act(inst, user("t2002"), "approve", opinion="ok")
    with pytest.raises(Invalid):
        core.act(inst, user("t3001"), "return", to_step="keeper")
    inst = core.act(inst, user("t3001"), "return", to_step="leader", opinion="请领导再看")
    assert inst.status == "running" and inst.step == "leader" and open_assignees(inst) == ["t2002"]


def test_terminate(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    inst = core.act(inst, user("t2002"), "terminate", opinion="不符合条件")
    assert inst.status == "terminated" and inst.step is None and open_assignees(inst) == []
    with pytest.raises(Conflict):
        core.act(inst, user("t2002"), "approve", opinion="again")


def test_withdraw_only_before_anyone_acted(chain, user):
    applicant = user("t2001")
    inst = core.start(chain, applicant, {"subject": "x", "amount": 80})
    with pytest.raises(NotAllowed):
        core.withdraw(inst, user("t2002"))
    first = core.withdraw(inst, applicant)
    assert first.status == "terminated" and actions_of(first)[-1] == ("leader", "withdraw")
    inst = core.start(chain, applicant, {"subject": "y"})
    inst = core.act(inst, user("t2002"), "approve", opinion="ok")
    with pytest.raises(Conflict):
        core.withdraw(inst, applicant)


def test_draft_then_submit(chain, user):
    applicant = user("t2001")
    inst = core.start(chain, applicant, {"note": "先存一下"}, submit=False)
    assert inst.status == "draft" and inst.serial
    assert Task.select().where(Task.instance == inst).count() == 0
    with pytest.raises(Invalid) as e:
        core.submit(inst, applicant, {})
    assert "subject" in e.value.fields                 # required only on submit
    inst = core.submit(core.get_instance(inst.serial), applicant, {"subject": "补全"})
    assert inst.status == "running" and inst.data["note"] == "先存一下"


def test_invalid_data_writes_nothing(chain, user):
    before = Instance.select().count()
    with pytest.raises(Invalid) as e:
        core.start(chain, user("t2001"), {"subject": "x" * 51, "amount": "abc"})
    assert set(e.value.fields) >= {"subject", "amount"}
    assert Instance.select().count() == before


def test_readonly_field_cannot_be_overwritten(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x", "unit": "校长办公室"})
    assert inst.data["unit"] == "宣传部"


def test_outside_audience_may_not_start(chain, user):
    with pytest.raises(NotAllowed):
        core.start(chain, user("s2023001"), {"subject": "x"})


def test_idempotency_key_creates_one_instance(chain, user):
    a = core.start(chain, user("t2001"), {"subject": "x"}, idempotency_key="k1")
    b = core.start(chain, user("t2001"), {"subject": "x"}, idempotency_key="k1")
    c = core.start(chain, user("t2002"), {"subject": "x"}, idempotency_key="k1")
    assert a.id == b.id and c.id != a.id


def test_no_assignee_is_an_error_and_leaves_nothing_half_written(chain, user):
    UserRole.delete().where(UserRole.user == user("t2002")).execute()
    before = (Instance.select().count(), Task.select().count(), FlowRecord.select().count())
    with pytest.raises(NoAssignee) as e:
        core.start(chain, user("t2001"), {"subject": "x"})
    assert "单位领导审批" in e.value.message
    assert (Instance.select().count(), Task.select().count(), FlowRecord.select().count()) == before


def test_new_version_does_not_change_running_instances(chain, user):
    from app.defs.store import import_text
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    _, v2, status = import_text(CHAIN.replace("name: 单位领导审批", "name: 领导审核"), "t.yaml")
    assert status == "new-version" and v2.version == 2
    assert core.service_def(core.get_instance(inst.serial)).step("leader").name == "单位领导审批"
    newer = core.start(chain, user("t2001"), {"subject": "y"})
    assert core.service_def(newer).step("leader").name == "领导审核"
    _, _, again = import_text(CHAIN.replace("name: 单位领导审批", "name: 领导审核"), "t.yaml")
    assert again == "unchanged"


def test_transfer_hands_the_task_over(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "x"})
    inst = core.act(inst, user("t2002"), "transfer", to_user="t9002", opinion="请代办")
    assert open_assignees(inst) == ["t9002"]
    with pytest.raises(Conflict):
        core.act(inst, user("t2002"), "approve", opinion="ok")
    inst = core.act(inst, user("t9002"), "approve", opinion="同意")
    assert inst.step == "keeper"
