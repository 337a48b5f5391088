"""Two approvers clicking at once: exactly one transition, the other a clear conflict."""
import threading

import pytest

from app.db import db
from app.people.directory import grant
from app.engine import core
from app.models import FlowRecord, Instance, Task
from tests.racing import race as race_moves

RACE = """
format: 1
id: race
number: 9100
name: 并发测试
category: 测试
department: 办公室
audience: [staff]
form:
  title: 并发测试
  fields:
    - {name: subject, label: 事由, type: text, required: true}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: check, name: 审核, by: {role: racer, department: 办公室}, mode: any}
  - {id: last, name: 复核, by: {user: t3001}}
"""


def race(app_obj, serial, usernames):
    """Every user approves the same instance at the same moment."""
    return race_moves(app_obj, serial, [(u, "approve") for u in usernames])


def setup_race(user, service_rows):
    from app.defs.store import import_text
    service, _, _ = import_text(RACE, "race.yaml")
    racers = ["t3001", "t3002", "t8001", "t2001"]
    for username in racers:
        grant(user(username), "racer@办公室")
    return service, racers


def check_single_transition(serial, outcomes, racers):
    inst = Instance.get(Instance.serial == serial)
    assert sorted(outcomes.values()).count("ok") == 1, outcomes
    assert sorted(outcomes.values()).count("conflict") == len(racers) - 1, outcomes
    approvals = FlowRecord.select().where(FlowRecord.instance == inst, FlowRecord.step == "check",
                                          FlowRecord.action == "approve").count()
    assert approvals == 1
    assert inst.step == "last"
    assert Task.select().where(Task.instance == inst, Task.step == "last").count() == 1


@pytest.mark.parametrize("round_", range(3))
def test_racing_approvals_on_sqlite(app, user, service, round_):
    svc, racers = setup_race(user, service)
    db.close()
    db.connect()
    serial = core.start(svc, user("t9002"), {"subject": "抢"}).serial   # not a racer: no self-approval
    outcomes = race(app, serial, racers)
    db.connect(reuse_if_open=True)
    check_single_transition(serial, outcomes, racers)


@pytest.mark.postgres
def test_racing_approvals_on_postgres(pg_app, user, service):
    svc, racers = setup_race(user, service)
    serial = core.start(svc, user("t9002"), {"subject": "抢"}).serial   # not a racer: no self-approval
    outcomes = race(pg_app, serial, racers)
    check_single_transition(serial, outcomes, racers)


def test_racing_idempotent_submits_create_one_instance(app, user, service):
    svc, _ = setup_race(user, service)
    applicant_id = user("t2001").id
    barrier = threading.Barrier(4)
    serials = []

    def worker():
        from app.models import User
        with app.app_context():
            db.connect(reuse_if_open=True)
            try:
                barrier.wait()
                serials.append(core.start(svc, User.get_by_id(applicant_id), {"subject": "x"},
                                          idempotency_key="same-click").serial)
            finally:
                db.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    db.connect(reuse_if_open=True)
    assert len(serials) == 4 and len(set(serials)) == 1
    assert Instance.select().where(Instance.service == svc).count() == 1
