"""Separation of duties (SPEC §8.3): no step hands an instance to its own applicant."""
from datetime import timedelta

import pytest

from app.engine import core, delegation
from app.engine.exceptions import Invalid, NotAllowed
from app.models import FlowRecord, Task, User, utcnow
from plugins.assignees import ASSIGNEE_KINDS, AssigneeKind, assignee_kind
from tests.engine.conftest import CHAIN, open_assignees


def define(text, **replace):
    from app.defs.store import import_text
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    service, _, _ = import_text(text, "t.yaml")
    return service


LEADER = "    by: {role: dept_leader, of: applicant}\n"


def records(inst, action=None):
    q = FlowRecord.select().where(FlowRecord.instance == inst).order_by(FlowRecord.id)
    return [r for r in q if action is None or r.action == action]


def test_a_leaders_own_application_is_escalated_to_the_admins(app, user):
    service = define(CHAIN)                      # 办公室 has no dept_admin: system admins
    inst = core.start(service, user("t2002"), {"subject": "我的申请"})   # 张华 leads 宣传部
    assert inst.step == "leader" and open_assignees(inst) == ["admin"]
    why = records(inst, "escalate")
    assert len(why) == 1 and why[0].detail == "申请人不能审批本人的申请，已转交系统管理员"
    assert why[0].user_id is None


def test_escalation_goes_to_the_service_departments_dept_admin(app, user):
    service = define(CHAIN, **{"department: 办公室": "department: 网络信息中心"})
    inst = core.start(service, user("t2002"), {"subject": "x"})
    assert open_assignees(inst) == ["t1001"]     # 梁震鲁, dept_admin of 网络信息中心


def test_escalate_to_names_whom(app, user):
    service = define(CHAIN, **{LEADER: LEADER + "    escalate_to: {user: t3001}\n"})
    inst = core.start(service, user("t2002"), {"subject": "x"})
    assert open_assignees(inst) == ["t3001"]
    assert records(inst, "escalate")[0].detail == "申请人不能审批本人的申请，已转交赵敏"
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    assert inst.step == "keeper"


def test_skip_with_nobody_else_skips_the_step_and_says_so(app, user):
    service = define(CHAIN, **{LEADER: LEADER + "    self_approval: skip\n"})
    inst = core.start(service, user("t2002"), {"subject": "x"})
    assert inst.step == "keeper" and open_assignees(inst) == ["t3002"]
    skipped = records(inst, "skip")
    assert [(r.step, r.detail) for r in skipped] == [("leader", "申请人不能审批本人的申请，本步骤已跳过")]


def test_skip_drops_only_the_applicants_share(app, user):
    service = define(CHAIN, **{LEADER: "    by: {users: [t2002, t2001]}\n    mode: all\n"
                                       "    self_approval: skip\n"})
    inst = core.start(service, user("t2002"), {"subject": "x"})
    assert open_assignees(inst) == ["t2001"]
    inst = core.act(inst, user("t2001"), "approve", opinion="同意")   # 会签 of one: moves on
    assert inst.step == "keeper"


def test_in_a_or_sign_step_the_other_assignees_decide_alone(app, user):
    service = define(CHAIN, **{LEADER: "    by: {users: [t2002, t2001]}\n"})     # 或签
    inst = core.start(service, user("t2002"), {"subject": "x"})
    assert open_assignees(inst) == ["t2001"]
    assert records(inst, "escalate")[0].detail == "申请人不能审批本人的申请，由本步骤其他办理人办理"


def test_allow_keeps_the_old_behaviour(app, user):
    service = define(CHAIN, **{LEADER: LEADER + "    self_approval: allow\n"})
    inst = core.start(service, user("t2002"), {"subject": "x"})
    assert open_assignees(inst) == ["t2002"] and not records(inst, "escalate")
    assert core.act(inst, user("t2002"), "approve", opinion="同意").step == "keeper"


def test_a_plugin_assignee_kind_is_screened_too(app, user):
    @assignee_kind("everyone_named_li")
    class Li(AssigneeKind):
        label, syntax = "李姓", "{everyone_named_li: x}"
        schema = {"type": "object", "required": ["everyone_named_li"],
                  "properties": {"everyone_named_li": {"type": "string"}}}

        def resolve(self, spec, ctx):
            return [User.get(User.username == "t2001"), ctx.applicant]
    try:
        service = define(CHAIN, **{LEADER: "    by: {everyone_named_li: x}\n    mode: all\n"})
        inst = core.start(service, user("t2002"), {"subject": "x"})
        assert open_assignees(inst) == ["admin", "t2001"]
    finally:
        ASSIGNEE_KINDS.unregister("everyone_named_li")


def test_a_picked_approver_who_is_the_applicant_is_escalated(app, user):
    text = CHAIN.replace("    - {name: note, label: 备注, type: textarea}\n",
                         "    - {name: note, label: 备注, type: textarea}\n"
                         "    - {name: boss, label: 审批人, type: user}\n")
    service = define(text, **{LEADER: "    by: {field: boss}\n"})
    inst = core.start(service, user("t2001"), {"subject": "x", "boss": "t2001"})
    assert open_assignees(inst) == ["admin"]


def _delegate(frm, to, now=None):
    now = now or utcnow()
    return delegation.create(frm, to, now - timedelta(minutes=1), now + timedelta(days=3))


def test_a_delegation_to_the_applicant_does_not_route_his_own_item_to_him(app, user):
    service = define(CHAIN)
    _delegate(user("t2002"), "t2001")            # 张华 away, 李明 his deputy
    inst = core.start(service, user("t2001"), {"subject": "我自己的"})
    assert open_assignees(inst) == ["t2002"]     # the delegator keeps it
    assert "委托未生效" in records(inst, "escalate")[0].detail
    with pytest.raises(NotAllowed):
        core.act(inst, user("t2001"), "approve", opinion="同意")
    other = core.start(service, user("t2002"), {"subject": "别人的"})   # escalated to admin
    assert open_assignees(other) == ["admin"]


def test_moving_open_items_to_the_deputy_leaves_the_deputys_own(app, user):
    service = define(CHAIN)
    inst = core.start(service, user("t2001"), {"subject": "先提交"})
    assert open_assignees(inst) == ["t2002"]
    now = utcnow()
    delegation.create(user("t2002"), "t2001", now - timedelta(minutes=1), now + timedelta(days=1),
                      move_open=True)
    assert open_assignees(inst) == ["t2002"]


def test_an_applicant_holding_an_approvers_todo_cannot_decide_it(app, user):
    """A to-do routed before the rule (or by any other path): refused, nothing written."""
    service = define(CHAIN)
    inst = core.start(service, user("t2001"), {"subject": "x"})
    Task.update(assignee=user("t2001")).where(Task.instance == inst, Task.status == "open").execute()
    before = len(records(inst))
    assert core.available_actions(inst, user("t2001")) == ["withdraw", "remind"]   # no decision
    for action in ("approve", "return", "terminate"):
        with pytest.raises(NotAllowed, match="申请人不能审批本人的申请"):
            core.act(inst, user("t2001"), action, opinion="自己批")
    with pytest.raises(NotAllowed, match="申请人不能审批本人的申请"):
        core.act(inst, user("t2001"), "add_signer", to_users=["t3001"], position="before")
    assert open_assignees(inst) == ["t2001"] and len(records(inst)) == before


def test_transfer_and_reassign_never_to_the_applicant(app, user):
    service = define(CHAIN)
    inst = core.start(service, user("t2001"), {"subject": "x"})
    with pytest.raises(Invalid, match="申请人不能审批本人的申请"):
        core.act(inst, user("t2002"), "transfer", to_user="t2001")
    task = Task.get(Task.instance == inst, Task.status == "open")
    with pytest.raises(Invalid, match="申请人不能审批本人的申请"):
        core.reassign(task, "t2001", user("admin"))
    assert open_assignees(inst) == ["t2002"]


@pytest.mark.parametrize("who, shown", [
    ("s2023001", "林小雨（s2023001）"), ("e0001", "校外访客（e0001）"), ("t2001", "李明（t2001）")])
def test_add_signer_only_to_active_staff_other_than_the_applicant(app, user, who, shown):
    service = define(CHAIN, **{"    actions: [approve, return, terminate]\n":
                               "    actions: [approve, return, terminate, add_signer]\n"})
    inst = core.start(service, user("t2001"), {"subject": "x"})
    with pytest.raises(Invalid) as refused:
        core.act(inst, user("t2002"), "add_signer", to_users=["t3001", who], position="before")
    assert shown in refused.value.fields["to_users"][0]
    assert open_assignees(inst) == ["t2002"] and not records(inst, "add_signer")


def test_add_signer_refuses_an_inactive_colleague_by_name(app, user):
    service = define(CHAIN, **{"    actions: [approve, return, terminate]\n":
                               "    actions: [approve, return, terminate, add_signer]\n"})
    User.update(is_active=False).where(User.username == "t3001").execute()
    inst = core.start(service, user("t2001"), {"subject": "x"})
    with pytest.raises(Invalid, match="赵敏（t3001）"):
        core.act(inst, user("t2002"), "add_signer", to_users=["t3001"], position="after")
    inst = core.act(inst, user("t2002"), "add_signer", to_users=["t9002"], position="before")
    assert open_assignees(inst) == ["t9002"]


def test_definition_refuses_a_bad_self_approval(app):
    from app.defs.exceptions import DefinitionError
    from app.defs.store import import_text
    with pytest.raises(DefinitionError, match="self_approval"):
        import_text(CHAIN.replace(LEADER, LEADER + "    self_approval: maybe\n"), "t.yaml")
    with pytest.raises(DefinitionError, match="escalate_to"):
        import_text(CHAIN.replace(LEADER, LEADER + "    self_approval: skip\n"
                                               "    escalate_to: {user: t3001}\n"), "t.yaml")


def test_an_applicant_racing_the_approvers_never_wins(app, user, service):
    """The applicant holds the racers' role too: the approvers still get exactly one
    transition, the applicant a refusal (or a conflict once it moved), never an approval."""
    import threading
    from app.db import db
    from app.engine.exceptions import Conflict
    from tests.engine.test_concurrency import setup_race
    svc, racers = setup_race(user, service)                    # t2001 is a racer and applies
    db.close()
    db.connect()
    inst = core.start(svc, user("t2001"), {"subject": "抢"})
    assert "t2001" not in open_assignees(inst) and len(open_assignees(inst)) == 3
    serial, barrier, outcomes = inst.serial, threading.Barrier(len(racers)), {}

    def worker(username):
        with app.app_context():
            db.connect(reuse_if_open=True)
            try:
                person = User.get(User.username == username)
                fresh = core.get_instance(serial)
                barrier.wait()
                core.act(fresh, person, "approve", opinion=username, expected_step=fresh.step)
                outcomes[username] = "ok"
            except Conflict:
                outcomes[username] = "conflict"
            except NotAllowed:
                outcomes[username] = "refused"
            finally:
                db.close()
    threads = [threading.Thread(target=worker, args=(u,)) for u in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    db.connect(reuse_if_open=True)
    assert outcomes["t2001"] in ("refused", "conflict")
    assert sorted(outcomes.values()).count("ok") == 1, outcomes
    assert FlowRecord.select().where(FlowRecord.user == user("t2001"),
                                     FlowRecord.action == "approve").count() == 0
