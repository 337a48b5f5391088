"""Mixed load: 50 simulated people on gunicorn for 60 s (QUICK: 20 people, 15 s), then an
integrity check of what they did. ``python -m bench load [--quick]``.

gunicorn (4 sync workers) is started by the bench on 127.0.0.1 only; every request goes
there. Five departments, each with 7 applicants, two leaders sharing a 或签 step and one
office clerk (a single-assignee step). Each person is a thread with its own connection:

- applicants: the catalog (首页, 服务中心, 流程指南), their 进行中事项 (page and API) and
  submits through the API with an Idempotency-Key (one in ten sent twice: a retry);
- leaders and clerks: their 待办 (page and API), then 通过 (leaders sometimes 终止) on one
  of the first items — two leaders racing for the same item is expected (409 for one).

Figures (``load_`` on SQLite, ``load_pg_`` on PostgreSQL + Redis when ONEHALL_TEST_POSTGRES
and ONEHALL_TEST_REDIS are set; then ``load_pg_ratio``, PostgreSQL's requests/s over
SQLite's in the same run): requests/s, p50/p99 overall and per kind, answers by
status, ``*_errors`` (anything but 200/201 and the expected 409s), and ``*_integrity``:
``ok`` or what is wrong — every distinct 201 serial is one instance; a running instance has
two open to-dos at the 或签 step or one at the clerk's, and none elsewhere; a finished one
has none; the decisions recorded are exactly the 200 answers to actions; the submits
recorded are exactly the distinct 201 serials.
"""
from __future__ import annotations

import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from urllib.parse import quote

from bench.common import CHEAP_HASH, percentile, postgres_database, workdir
from bench.todo import Server

SERVICE = "bench-load"
DEPARTMENTS = 5
APPLICANTS, LEADERS, CLERKS = 7, 2, 1            # per department: 10 people, 50 in all
PASSWORD = "bench1234"
MAX_REQUESTS_PER_USER = 20_000                   # a bound besides the clock
DEFINITION = """
format: 1
id: bench-load
number: 99002
name: 基准负载审批
category: 基准
department: 基准负载部门0
audience: [staff]
time_limit: 3d
title: "{service}_{applicant.name}_{form.subject}"
form:
  title: 基准负载审批表
  fields:
    - {name: subject, label: 事由, type: text, required: true, max_length: 100}
    - {name: amount, label: 金额, type: number, minimum: 0}
steps:
  - {id: fill, name: 填写申请, by: applicant}
  - id: leader
    name: 领导审批（或签）
    by: {role: bench_leader, of: applicant}
    mode: any
    actions: [approve, terminate]
  - id: clerk
    name: 办公室办理
    by: {role: bench_clerk, of: applicant}
    actions: [approve]
"""
DECISIONS = ("approve", "terminate")


# ---------------------------------------------------------------- set-up

def config(folder, database_url=None, huey_url=None) -> dict:
    return {
        "SECRET_KEY": "bench-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url or f"sqlite:///{os.path.join(folder, 'load.db')}",
        "UPLOAD_DIR": os.path.join(folder, "uploads"),
        "HUEY_URL": huey_url or f"sqlite:///{os.path.join(folder, 'huey.db')}",
        "HUEY_NAME": f"onehall-bench-{uuid.uuid4().hex[:10]}",
        "PASSWORD_HASH": CHEAP_HASH,
        "LOGIN_MAX_FAILURES": 1000, "ADDRESS_MAX_FAILURES": 100000,
    }


def prepare(cfg, people: int):
    """Tables, the service and ``people`` users; each person's (role, username, cookie, token)."""
    from app import create_app
    from app.db import db
    from app.defs.store import import_text
    from app.people.directory import add_user, new_token
    from app.models import create_tables
    app = create_app(dict(cfg, WTF_CSRF_ENABLED=False))
    per_dept = APPLICANTS + LEADERS + CLERKS
    with app.app_context():
        db.connect(reuse_if_open=True)
        create_tables()
        users = []
        for n in range(people):
            dept, k = divmod(n, per_dept)
            role = "applicant" if k < APPLICANTS else "leader" if k < APPLICANTS + LEADERS else "clerk"
            roles = {"leader": ["bench_leader"], "clerk": ["bench_clerk"]}.get(role, [])
            user = add_user(f"L{n:03d}", name=f"负载{n:03d}", type="staff",
                            department_name=f"基准负载部门{dept % DEPARTMENTS}", roles=roles, password=PASSWORD)
            users.append((role, user.username, new_token(user)))
        import_text(DEFINITION, "bench-load.yaml")
    people_out = []
    for role, username, token in users:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"bench login of {username} failed ({response.status_code})")
        people_out.append((role, username, client.get_cookie("session").value, token))
    return app, people_out


# ---------------------------------------------------------------- the simulated people

class Tally:
    """Every answer: (kind, status, seconds); plus the serials of 201s and action outcomes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers = []
        self.serials = set()
        self.created = 0          # 201 answers, replays included
        self.decided = Counter()  # action → 200 answers

    def add(self, kind, status, seconds):
        with self.lock:
            self.answers.append((kind, status, seconds))


class Person(threading.Thread):
    def __init__(self, port, role, username, cookie, token, tally, stop_at, seed):
        super().__init__(daemon=True)
        self.port, self.role, self.username = port, role, username
        self.cookie, self.token, self.tally, self.stop_at = cookie, token, tally, stop_at
        self.rng = random.Random(seed)
        self.conn = None

    # -- one request
    def call(self, kind, method, path, body=None, headers=None, api=True):
        headers = dict(headers or {})
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
        else:
            headers["Cookie"] = f"session={self.cookie}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        status, payload = 0, b""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            payload, status = response.read(), response.status
            if response.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException, ValueError):   # counted as "no answer"
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        self.tally.add(kind, status, time.perf_counter() - started)
        return status, payload

    def run(self):
        for _ in range(MAX_REQUESTS_PER_USER):
            if time.monotonic() >= self.stop_at:
                break
            (self.applicant_turn if self.role == "applicant" else self.approver_turn)()
        if self.conn is not None:
            self.conn.close()

    # -- applicants
    def applicant_turn(self):
        pick = self.rng.random()
        if pick < 0.30:
            path = self.rng.choice(["/", "/services", f"/services/{SERVICE}", f"/services?q={quote('基准')}"])
            self.call("catalog", "GET", path, api=False)
        elif pick < 0.55:
            if self.rng.random() < 0.5:
                self.call("todo", "GET", "/me/items?box=in_progress", api=False)
            else:
                self.call("todo", "GET", "/api/v1/me/items?box=in_progress")
        else:
            self.submit()

    def submit(self):
        key = uuid.uuid4().hex
        body = {"data": {"subject": f"负载{self.rng.randrange(10**6)}", "amount": self.rng.randrange(100)},
                "submit": True}
        for _ in range(2 if self.rng.random() < 0.1 else 1):       # a retried submit
            status, payload = self.call("submit", "POST", f"/api/v1/services/{SERVICE}/instances",
                                        body, {"Idempotency-Key": key})
            if status == 201:
                serial = json.loads(payload)["serial"]
                with self.tally.lock:
                    self.tally.created += 1
                    self.tally.serials.add(serial)

    # -- leaders and clerks
    def approver_turn(self):
        if self.rng.random() < 0.2:
            self.call("todo", "GET", "/me/items?box=todo", api=False)
            return
        status, payload = self.call("todo", "GET", "/api/v1/me/items?box=todo")
        if status != 200:
            return
        items = json.loads(payload)["items"]
        if not items:
            time.sleep(0.05)
            return
        item = self.rng.choice(items[:5])
        action = "terminate" if self.role == "leader" and self.rng.random() < 0.05 else "approve"
        status, _ = self.call("act", "POST", f"/api/v1/instances/{item['serial']}/actions",
                              {"action": action, "opinion": "同意" if action == "approve" else "不予办理"})
        if status == 200:
            with self.tally.lock:
                self.tally.decided[action] += 1


# ---------------------------------------------------------------- integrity

def integrity(app, tally) -> list[str]:
    """What is wrong in the database after the run ([] when nothing is)."""
    from app.db import db
    from app.models import FlowRecord, Instance, Service, Task
    problems = []
    with app.app_context():
        db.connect(reuse_if_open=True)
        service = Service.get(Service.slug == SERVICE)
        instances = {i.serial: i for i in Instance.select().where(Instance.service == service)}
        if set(instances) != tally.serials:
            problems.append(f"{len(instances)} instances for {len(tally.serials)} distinct 201 serials")
        open_tasks, decisions, submits = Counter(), Counter(), Counter()
        for inst_id, step in (Task.select(Task.instance, Task.step)
                              .where(Task.status == "open", Task.kind == "do").tuples()):
            open_tasks[(inst_id, step)] += 1
        for inst_id, step, action in (FlowRecord.select(FlowRecord.instance, FlowRecord.step, FlowRecord.action)
                                      .join(Instance).where(Instance.service == service).tuples()):
            if action in DECISIONS:
                decisions[(inst_id, step, action)] += 1
            if action == "submit":
                submits[inst_id] += 1
        for inst in instances.values():
            problems += _check(inst, open_tasks, decisions)
            if submits[inst.id] != 1:
                problems.append(f"#{inst.serial}: {submits[inst.id]} submit records")
        recorded = Counter()
        for (_, _, action), n in decisions.items():
            recorded[action] += n
        for action in DECISIONS:
            if recorded[action] != tally.decided[action]:
                problems.append(f"{recorded[action]} {action} records for {tally.decided[action]} answers 200")
        db.close()
    return problems


def _check(inst, open_tasks, decisions) -> list[str]:
    mine = {step: n for (i, step), n in open_tasks.items() if i == inst.id}
    approved = {step: decisions[(inst.id, step, "approve")] for step in ("leader", "clerk")}
    terminated = sum(decisions[(inst.id, s, "terminate")] for s in ("leader", "clerk"))
    expected = {"running": {"leader": ({"leader": LEADERS}, {"leader": 0, "clerk": 0}, 0),
                            "clerk": ({"clerk": CLERKS}, {"leader": 1, "clerk": 0}, 0)}.get(inst.step),
                "completed": ({}, {"leader": 1, "clerk": 1}, 0),
                "terminated": ({}, {"leader": 0, "clerk": 0}, 1)}.get(inst.status)
    if expected is None:
        return [f"#{inst.serial}: unexpected state {inst.status}/{inst.step}"]
    tasks, approvals, terminations = expected
    out = []
    if mine != tasks:
        out.append(f"#{inst.serial} ({inst.status}/{inst.step}): open to-dos {mine}, expected {tasks}")
    if approved != approvals or terminated != terminations:
        out.append(f"#{inst.serial} ({inst.status}/{inst.step}): approvals {approved}, terminations {terminated}")
    return out


# ---------------------------------------------------------------- the run

def figures(prefix, tally, people, seconds, problems, workers) -> dict:
    statuses = Counter(status for _, status, _ in tally.answers)
    expected = {200, 201}
    conflicts = sum(1 for kind, status, _ in tally.answers if kind == "act" and status == 409)
    errors = sum(n for status, n in statuses.items() if status not in expected) - conflicts
    times = sorted(s for _, _, s in tally.answers)
    out = {f"{prefix}_users": people, f"{prefix}_workers": workers, f"{prefix}_seconds": seconds,
           f"{prefix}_requests": len(tally.answers), f"{prefix}_rps": len(tally.answers) / seconds,
           f"{prefix}_p50_ms": percentile(times, 0.50) * 1000, f"{prefix}_p99_ms": percentile(times, 0.99) * 1000}
    for kind in ("catalog", "todo", "submit", "act"):
        mine = sorted(s for k, _, s in tally.answers if k == kind)
        out[f"{prefix}_{kind}_requests"] = len(mine)
        out[f"{prefix}_{kind}_p50_ms"] = percentile(mine, 0.50) * 1000
        out[f"{prefix}_{kind}_p99_ms"] = percentile(mine, 0.99) * 1000
    for status in sorted(statuses):
        out[f"{prefix}_status_{status or 'no_answer'}"] = statuses[status]
    out.update({f"{prefix}_conflicts_409": conflicts, f"{prefix}_errors": errors,
                f"{prefix}_instances": len(tally.serials), f"{prefix}_retried_submits": tally.created - len(tally.serials),
                f"{prefix}_approvals": tally.decided["approve"], f"{prefix}_terminations": tally.decided["terminate"],
                f"{prefix}_integrity": "ok" if not problems else f"FAILED: {len(problems)} problems: "
                + "; ".join(problems[:5])})
    return out


def load_run(prefix, cfg, people, seconds, workers=4) -> dict:
    app, persons = prepare(cfg, people)
    env = {"ONEHALL_BENCH_CONFIG": json.dumps(cfg)}
    server = Server("bench.todo_wsgi:app", env, "/", workers=workers)
    tally = Tally()
    try:
        stop_at = time.monotonic() + seconds
        threads = [Person(server.port, role, username, cookie, token, tally, stop_at, n)
                   for n, (role, username, cookie, token) in enumerate(persons)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + 120)
    finally:
        server.stop()
    problems = integrity(app, tally)
    return figures(prefix, tally, people, seconds, problems, workers)


def run(quick: bool) -> dict:
    people, seconds = (20, 15.0) if quick else (50, 60.0)
    out = {}
    with workdir() as folder:
        out.update(load_run("load", config(folder), people, seconds))
    redis_url = os.environ.get("ONEHALL_TEST_REDIS")
    if os.environ.get("ONEHALL_TEST_POSTGRES") and redis_url:
        with workdir() as folder, postgres_database() as pg_url:
            cfg = config(folder, database_url=pg_url, huey_url=redis_url)
            try:
                out.update(load_run("load_pg", cfg, people, seconds))
            finally:
                _flush_queue(cfg)
        out["load_pg_ratio"] = out["load_pg_rps"] / out["load_rps"]
    return out


def _flush_queue(cfg):
    from app.queue import make_huey
    make_huey(cfg["HUEY_URL"], cfg["SECRET_KEY"], name=cfg["HUEY_NAME"]).storage.flush_all()


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    for key, value in run(quick).items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}", flush=True)
