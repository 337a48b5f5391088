"""Engine throughput: instances driven draft → submit → approve → completed through the engine
API, against a bare-peewee baseline writing the equivalent rows in as many transactions
(three per instance), in the same run on the same database."""
import time
from datetime import timedelta

from bench.common import config, counted, make_app, postgres_database, workdir

SUBJECT = {"subject": "采购办公用品", "amount": 12}


def drive_engine(service, applicant, approver, count):
    from app.engine import core
    for _ in range(count):
        inst = core.start(service, applicant, SUBJECT, submit=False)
        inst = core.submit(inst, applicant, None)
        inst = core.act(inst, approver, "approve", opinion="同意")
        assert inst.status == "completed"


def drive_baseline(service, version, applicant, approver, count):
    """The rows the engine writes, by hand: one transaction per step, no engine (the
    submitted data's revision row included: the engine keeps it for 修改记录)."""
    from app.db import write_transaction
    from app.models import Counter, FlowRecord, Instance, InstanceRevision, Task, utcnow
    for _ in range(count):
        with write_transaction():
            now = utcnow()
            Counter.update(value=Counter.value + 1).where(Counter.name == "serial").execute()
            serial = Counter.get_by_id("serial").value
            inst = Instance.create(serial=serial, service=service, version=version,
                                   applicant=applicant, title=f"基准审批_申请人_{serial}",
                                   status="draft", step="fill", data=SUBJECT, created=now,
                                   updated=now)
            FlowRecord.create(instance=inst, step="fill", step_name="填写申请",
                              action="save_draft", user=applicant, at=now)
        with write_transaction():
            now = utcnow()
            Task.create(instance=inst, step="fill", step_name="填写申请", assignee=applicant,
                        status="done", action="submit", created=now, acted=now)
            FlowRecord.create(instance=inst, step="fill", step_name="填写申请", action="submit",
                              user=applicant, at=now)
            InstanceRevision.create(instance=inst, number=1, data=SUBJECT, at=now, by=applicant)
            Task.create(instance=inst, step="approve", step_name="审批", assignee=approver,
                        created=now, due=now + timedelta(days=3))
            Instance.update(status="running", step="approve", submitted=now, updated=now,
                            due=now + timedelta(days=3), revision=1).where(
                Instance.id == inst.id).execute()
        with write_transaction():
            now = utcnow()
            Task.update(status="done", action="approve", acted=now).where(
                Task.instance == inst, Task.status == "open").execute()
            FlowRecord.create(instance=inst, step="approve", step_name="审批", action="approve",
                              user=approver, at=now, opinion="同意")
            FlowRecord.create(instance=inst, step="end", step_name="完成", action="complete",
                              at=now)
            Instance.update(status="completed", step=None, finished=now, updated=now,
                            revision=2).where(Instance.id == inst.id).execute()


def measure(cfg, count, rounds=4, listeners=False):
    """(engine instances/s, baseline instances/s), interleaved in rounds to share the noise.

    Without ``listeners`` the engine events' listeners (the notification outbox of another
    part) are detached, so the figure is the engine's own cost against the same rows."""
    from app.engine import events
    app = make_app(cfg)
    saved = {name: list(fns) for name, fns in events._listeners.items()}
    if not listeners:
        events._listeners.clear()
    try:
        return _measure(app, count, rounds)
    finally:
        events._listeners.clear()
        events._listeners.update(saved)


def _measure(app, count, rounds):
    from app.db import db
    from app.models import Service, User
    with app.app_context():
        db.connect(reuse_if_open=True)
        service = Service.get(Service.slug == "bench-approval")
        version = service.versions.first()
        applicant = User.get(User.username == "b00001")
        approver = User.get(User.username == "b00002")
        drive_engine(service, applicant, approver, 5)                 # warm caches
        drive_baseline(service, version, applicant, approver, 5)
        spent = {"engine": 0.0, "baseline": 0.0}
        per_round = max(1, count // rounds)
        for _ in range(rounds):
            for name in ("baseline", "engine"):
                started = time.perf_counter()
                if name == "engine":
                    drive_engine(service, applicant, approver, per_round)
                else:
                    drive_baseline(service, version, applicant, approver, per_round)
                spent[name] += time.perf_counter() - started
        db.close()
    total = per_round * rounds
    return total / spent["engine"], total / spent["baseline"]


def api_queries(cfg) -> dict:
    """SQL statements of one API submit (POST /services/…/instances) and one API approve
    (POST /instances/…/actions, its JSON answer included), each with 1 and with 20 form
    rows: they must not grow with the rows."""
    from app.db import db
    from app.people.directory import new_token
    from app.models import User
    app = make_app(cfg)
    with app.app_context():
        tokens = {u: new_token(User.get(User.username == u)) for u in ("b00001", "b00002")}
    client = app.test_client()
    counts = {}
    for rows in (1, 1, 20):           # the first compiles the definition in this process
        data = {"subject": "差旅报销", "items": [{"text": f"第{i}项", "amount": i}
                                              for i in range(rows)]}
        submit, response = counted(client.post, "/api/v1/services/bench-rows/instances",
                                    json={"data": data}, headers=_bearer(tokens["b00001"]))
        assert response.status_code == 201, response.get_json()
        serial = response.get_json()["serial"]
        approve, response = counted(client.post, f"/api/v1/instances/{serial}/actions",
                                     json={"action": "approve", "opinion": "同意"},
                                     headers=_bearer(tokens["b00002"]))
        assert response.status_code == 200 and response.get_json()["status"] == "completed"
        counts[rows] = (submit, approve)
    if not db.is_closed():
        db.close()
    if counts[1] != counts[20]:
        raise AssertionError(f"API statements grow with the form's rows: {counts}")
    return {"api_submit_queries": counts[1][0], "api_approve_queries": counts[1][1]}


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def run(quick: bool) -> dict:
    count = 80 if quick else 1200
    out = {}
    with workdir() as folder:
        engine, baseline = measure(config(folder), count)
        with_listeners, listeners_baseline = measure(
            config(folder, f"sqlite:///{folder}/listeners.db"), max(20, count // 3),
            listeners=True)
    out["engine_instances_per_s"] = engine
    out["engine_baseline_per_s"] = baseline
    out["engine_ratio"] = engine / baseline
    out["engine_with_listeners_per_s"] = with_listeners
    out["engine_with_listeners_ratio"] = with_listeners / listeners_baseline
    with workdir() as folder:
        out.update(api_queries(config(folder)))
    with postgres_database() as url, workdir() as folder:
        if url:
            engine, baseline = measure(config(folder, url), count // 2)
            out["engine_pg_instances_per_s"] = engine
            out["engine_pg_baseline_per_s"] = baseline
            out["engine_pg_ratio"] = engine / baseline
    return out
