"""或签 (any) and 会签 (all): who decides, what the others' to-dos become, and races."""
import pytest

from app.db import db
from app.engine import core
from app.engine.exceptions import Conflict
from app.models import FlowRecord, Instance, Task
from tests.racing import race
from tests.workflow.conftest import COUNCIL, open_do, records, to_council


def test_all_waits_for_every_assignee_then_moves_on(depth, user):
    inst = to_council(depth, user)
    assert inst.step == "council" and open_do(inst) == sorted(COUNCIL)   # not t2002 of 宣传部
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    assert inst.step == "council" and open_do(inst) == ["t3002", "t8001"]
    with pytest.raises(Conflict):                                         # already approved
        core.act(inst, user("t3001"), "approve", opinion="再来一次")
    inst = core.act(inst, user("t8001"), "approve", opinion="同意")
    assert inst.step == "council"
    inst = core.act(inst, user("t3002"), "approve", opinion="同意")
    assert inst.step == "keeper" and open_do(inst) == ["t3002"]
    council = [r for r in records(inst) if r[0] == "council"]
    assert sorted(r[2] for r in council) == sorted(COUNCIL) and {r[1] for r in council} == {"approve"}


@pytest.mark.parametrize("decision", ["return", "terminate"])
def test_all_one_return_or_terminate_decides_at_once(depth, user, decision):
    inst = to_council(depth, user)
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    inst = core.act(inst, user("t8001"), decision, opinion="不同意")
    expected = {"return": ("returned", "fill"), "terminate": ("terminated", None)}[decision]
    assert (inst.status, inst.step) == expected
    closed = Task.get(Task.instance == inst, Task.step == "council", Task.assignee == user("t3002"))
    assert (closed.status, closed.action) == ("closed", "close")
    assert ("council", "close", "t3002") in records(inst)
    with pytest.raises(Conflict):
        core.act(inst, user("t3002"), "approve", opinion="晚了")


def test_any_first_decides_and_the_others_are_closed_with_a_record(chain_any, user):
    inst = core.start(chain_any, user("t2001"), {"subject": "或签"})
    assert open_do(inst) == sorted(COUNCIL)
    inst = core.act(inst, user("t8001"), "approve", opinion="同意")
    assert inst.status == "completed" and open_do(inst) == []
    closes = [r for r in FlowRecord.select().where(FlowRecord.instance == inst,
                                                    FlowRecord.action == "close")]
    assert sorted(r.user.username for r in closes) == ["t3001", "t3002"]
    assert all("冯校长" in r.detail for r in closes)


ANY = """
format: 1
id: wf-any
number: 9202
name: 或签测试
category: 测试
department: 办公室
audience: [staff]
form:
  title: 或签测试
  fields:
    - {name: subject, label: 事由, type: text, required: true}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: pick, name: 或签, by: {role: council, department: 办公室}, mode: any}
"""


@pytest.fixture
def chain_any(depth):
    from app.defs.store import import_text
    return import_text(ANY, "wf-any.yaml")[0]


# ---------------------------------------------------------------- races on one 会签 step

def check_all_approved_once(serial, outcomes):
    inst = Instance.get(Instance.serial == serial)
    assert set(outcomes.values()) == {"ok"}, outcomes                 # every approval counts
    approvals = FlowRecord.select().where(FlowRecord.instance == inst, FlowRecord.step == "council",
                                          FlowRecord.action == "approve").count()
    assert approvals == len(COUNCIL)
    assert inst.step == "keeper"                                       # exactly one transition
    assert Task.select().where(Task.instance == inst, Task.step == "keeper").count() == 1


def check_return_decided_once(serial, outcomes):
    inst = Instance.get(Instance.serial == serial)
    assert outcomes["t8001"] == "ok", outcomes                         # the return always lands
    assert (inst.status, inst.step) == ("returned", "fill")
    kinds = [(r.user.username, r.action) for r in FlowRecord.select().where(
        FlowRecord.instance == inst, FlowRecord.step == "council")]
    assert kinds.count(("t8001", "return")) == 1
    for name in ("t3001", "t3002"):                                   # approved first, or closed
        mine = [a for u, a in kinds if u == name]
        assert mine in (["approve"], ["close"]), kinds
        assert (outcomes[name] == "ok") == (mine == ["approve"])
    assert Task.select().where(Task.instance == inst, Task.step == "keeper").count() == 0
    assert Task.select().where(Task.instance == inst, Task.status == "open").count() == 1


def council_serial(depth, user):
    serial = to_council(depth, user).serial
    db.close()
    db.connect()
    return serial


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_all_approvals_give_one_transition_on_sqlite(app, depth, user, round_):
    serial = council_serial(depth, user)
    outcomes = race(app, serial, [(u, "approve") for u in COUNCIL])
    db.connect(reuse_if_open=True)
    check_all_approved_once(serial, outcomes)


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_return_and_approvals_on_sqlite(app, depth, user, round_):
    serial = council_serial(depth, user)
    outcomes = race(app, serial, [("t3001", "approve"), ("t8001", "return"), ("t3002", "approve")])
    db.connect(reuse_if_open=True)
    check_return_decided_once(serial, outcomes)


@pytest.mark.postgres
def test_concurrent_all_decisions_on_postgres(pg_app, user):
    from tests.workflow.conftest import DEPTH
    from app.defs.store import import_text
    from app.people.directory import grant
    service = import_text(DEPTH, "wf-depth.yaml")[0]
    for username in COUNCIL:
        grant(user(username), "council@办公室")
    serial = to_council(service, user).serial
    check_all_approved_once(serial, race(pg_app, serial, [(u, "approve") for u in COUNCIL]))
    serial = to_council(service, user).serial
    outcomes = race(pg_app, serial, [("t3001", "approve"), ("t8001", "return"), ("t3002", "approve")])
    check_return_decided_once(serial, outcomes)
