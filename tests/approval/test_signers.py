"""加签 before / parallel / after, the races, and what each person may do meanwhile."""
import threading

import pytest

from app.db import db
from app.defs.store import import_text
from app.engine import core
from app.engine.exceptions import Conflict, Invalid, NotAllowed
from app.engine.machine import available_actions
from app.models import FlowRecord, Instance, Task
from tests.api.conftest import api  # noqa: F401
from tests.engine.conftest import CHAIN

SIGNABLE = CHAIN.replace("    opinion: required\n    actions: [approve, return, terminate]",
                         "    opinion: required\n    actions: [approve, return, terminate, add_signer]")


@pytest.fixture
def chain(app):
    service, _, _ = import_text(SIGNABLE, "test-chain.yaml")
    return service


def open_at(inst):
    return sorted((t.assignee.username, t.status) for t in Task.select().where(
        Task.instance == inst, Task.step == Instance.get_by_id(inst.id).step, Task.kind == "do",
        Task.status.in_(("open", "waiting"))))


def test_before_the_callers_todo_waits_and_comes_back(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    inst = core.act(inst, user("t2002"), "add_signer", to_users=["t3001"], position="before",
                    opinion="请办公室先看")
    assert open_at(inst) == [("t2002", "waiting"), ("t3001", "open")]
    assert available_actions(inst, user("t2002")) == ["remind"] or available_actions(inst, user("t2002")) == []
    assert available_actions(inst, user("t3001")) == ["approve"]
    with pytest.raises(NotAllowed):
        core.act(inst, user("t3001"), "return", opinion="不同意")
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    assert inst.step == "leader" and open_at(inst) == [("t2002", "open")]
    inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    assert inst.step == "keeper"
    record = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "add_signer")
    assert record.detail == "前加签：王芳" or record.detail.startswith("前加签：")


def test_parallel_makes_the_step_a_cosign_of_the_caller_and_the_added(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    inst = core.act(inst, user("t2002"), "add_signer", to_users=["t3001"], position="parallel")
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    assert inst.step == "leader" and open_at(inst) == [("t2002", "open")]   # waits for the caller
    inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    assert inst.step == "keeper"


def test_after_adds_a_step_that_shows_as_a_milestone(chain, user, app):
    from app.engine.queries import milestones
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    inst = core.act(inst, user("t2002"), "add_signer", to_users=["t3001", "t3002"], position="after")
    assert inst.step == "leader"
    names = [m["name"] for m in milestones(core.service_def(inst), inst)]
    assert names[:3] == ["填写申请", "单位领导审批", names[2]] and names[2].startswith("加签：")
    inst = core.act(inst, user("t2002"), "approve", opinion="同意")
    assert inst.step == "jiaqian-1" and open_at(inst) == [("t3001", "open"), ("t3002", "open")]
    inst = core.act(inst, user("t3001"), "approve")
    assert inst.step == "jiaqian-1"                                    # 会签 among the added
    inst = core.act(inst, user("t3002"), "approve")
    assert inst.step == "keeper"


def test_bad_add_signer_requests(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    with pytest.raises(Invalid):
        core.act(inst, user("t2002"), "add_signer", to_users=["t2002"], position="before")
    with pytest.raises(Invalid):
        core.act(inst, user("t2002"), "add_signer", to_users=["nobody"], position="before")
    with pytest.raises(Invalid):
        core.act(inst, user("t2002"), "add_signer", to_users=["t2001"], position="before")
    with pytest.raises(Invalid):
        core.act(inst, user("t2002"), "add_signer", to_users=["t3001"], position="sideways")
    with pytest.raises(NotAllowed):
        core.act(inst, user("t3001"), "add_signer", to_users=["t3002"], position="before")


def test_a_step_without_add_signer_refuses_it(app, user):
    service, _, _ = import_text(CHAIN, "test-chain.yaml")
    inst = core.start(service, user("t2001"), {"subject": "采购"})
    with pytest.raises(NotAllowed):
        core.act(inst, user("t2002"), "add_signer", to_users=["t3001"], position="before")


def test_add_signer_through_the_api(api, chain):
    serial = api("t2001").start("test-chain", {"subject": "采购"}).get_json()["serial"]
    response = api("t2002").act(serial, "add_signer", to_users=["t3001"], position="before", opinion="请会签")
    assert response.status_code == 200, response.get_json()
    assert api("t3001").get(f"/api/v1/instances/{serial}").get_json()["actions"] == ["approve"]
    todo = api("t3001").get("/api/v1/me/items?box=todo").get_json()
    assert serial in [i["serial"] for i in todo["items"]]
    mine = api("t2002").get("/api/v1/me/items?box=todo").get_json()
    assert serial not in [i["serial"] for i in mine["items"]]          # waiting: off their 待办
    bad = api("t2002").act(serial, "add_signer", to_users="t3001", position="before")
    assert bad.status_code == 422


def _race(app_obj, serial):
    """Two leaders of a 或签 step: one approves while the other adds a signer."""
    barrier, outcomes = threading.Barrier(2), {}

    def run(name, fn):
        with app_obj.app_context():
            db.connect(reuse_if_open=True)
            try:
                from app.models import User
                inst = core.get_instance(serial)
                barrier.wait()
                fn(inst, User)
                outcomes[name] = "ok"
            except (Conflict, NotAllowed):
                outcomes[name] = "refused"
            finally:
                db.close()

    threads = [
        threading.Thread(target=run, args=("approve", lambda i, U: core.act(
            i, U.get(U.username == "t2002"), "approve", opinion="同意", expected_step=i.step))),
        threading.Thread(target=run, args=("add", lambda i, U: core.act(
            i, U.get(U.username == "racer2"), "add_signer", to_users=["t3001"], position="before",
            expected_step=i.step))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _two_leaders(user):
    from app.people.directory import add_user, grant
    other = add_user("racer2", name="赵六", type="staff", department_name="宣传部", password="x-Strong-123")
    grant(other, "dept_leader")


def _check_one_winner(serial, outcomes):
    assert sorted(outcomes.values()) == ["ok", "refused"], outcomes
    inst = Instance.get(Instance.serial == serial)
    records = [r.action for r in FlowRecord.select().where(FlowRecord.instance == inst)]
    if outcomes["approve"] == "ok":
        assert inst.step == "keeper" and "add_signer" not in records
    else:
        assert inst.step == "leader" and "add_signer" in records and "approve" not in records


@pytest.mark.parametrize("round_", range(3))
def test_approve_and_add_signer_at_once_on_sqlite(app, chain, user, round_):
    _two_leaders(user)
    serial = core.start(chain, user("t2001"), {"subject": "抢"}).serial
    db.close()
    outcomes = _race(app, serial)
    db.connect(reuse_if_open=True)
    _check_one_winner(serial, outcomes)


@pytest.mark.postgres
def test_approve_and_add_signer_at_once_on_postgres(pg_app, user):
    service, _, _ = import_text(SIGNABLE, "test-chain.yaml")
    _two_leaders(user)
    serial = core.start(service, user("t2001"), {"subject": "抢"}).serial
    _check_one_winner(serial, _race(pg_app, serial))
