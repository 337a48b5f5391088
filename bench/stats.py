"""统计分析 at 100,000 instances: GET /api/v1/stats for one department's services.

20 services in 20 departments share the instances (submitted over the last 180 days: 70 %
completed after 1–200 hours, 10 % terminated, the rest running, some past their due date;
a fifth of the completed rated). ``stats_ms_100k`` is the median over several requests of a
dept_admin's API call over the whole 180 days (target < 300 ms); ``stats_admin_ms_100k`` the
same for an admin over every service; ``stats_queries`` the SQL statements of one call.
"""
import statistics
import time
from datetime import timedelta

from bench.common import PASSWORD, config, make_app, workdir
from bench.seed import Writer, new_rng, seed_users

SERVICES = 20
DAYS = 180
RUNS = 7


def definition(i: int) -> str:
    from bench.common import DEFINITION
    return (DEFINITION.replace("id: bench-approval", f"id: stats-{i:02d}")
            .replace("number: 99001", f"number: {98000 + i}")
            .replace("name: 基准审批", f"name: 统计服务{i:02d}")
            .replace("department: 基准部门", f"department: 基准学院{i:02d}"))


def seed(db, users, total, rng):
    from app.defs.store import import_text
    from app.models import Counter, Instance, Service, Task, utcnow
    from app.models.hall import Rating
    services = []
    for i in range(SERVICES):
        import_text(definition(i), f"stats-{i:02d}.yaml")
        service = Service.get(Service.slug == f"stats-{i:02d}")
        services.append((service.id, service.versions.first().id))
    now = utcnow()
    first = now - timedelta(days=DAYS)
    w = Writer(db.connection())
    next_id = (Instance.select(Instance.id).order_by(Instance.id.desc()).scalar() or 0) + 1
    serial = 500_000
    with db.atomic():
        for k in range(total):
            sid, version = services[k % SERVICES]
            applicant, approver = users[rng.randrange(len(users))], users[rng.randrange(len(users))]
            submitted = first + timedelta(seconds=rng.randrange(DAYS * 86400 - 3600))
            roll = rng.random()
            status = "completed" if roll < .7 else "terminated" if roll < .8 else "running"
            hours = rng.uniform(1, 200)
            finished = submitted + timedelta(hours=hours) if status != "running" else None
            due = submitted + timedelta(days=3)
            iid = next_id + k
            w.add(Instance, id=iid, serial=serial + k, service=sid, version=version,
                  applicant=applicant, title=f"统计_{serial + k}", status=status,
                  step="approve" if status == "running" else None, data={}, created=submitted,
                  updated=finished or submitted, submitted=submitted, finished=finished, due=due,
                  revision=2)
            w.add(Task, instance=iid, step="fill", step_name="填写申请", assignee=applicant,
                  kind="do", status="done", action="submit", created=submitted, acted=submitted)
            w.add(Task, instance=iid, step="approve", step_name="审批", assignee=approver, kind="do",
                  status="open" if status == "running" else "done",
                  action=None if status == "running" else "approve", created=submitted,
                  acted=finished, due=due)
            if status == "completed" and rng.random() < .2:
                w.add(Rating, instance=iid, service=sid, user=applicant, stars=rng.randint(1, 5),
                      remark="", created=finished)
        w.flush()
        Counter.update(value=serial + total).where(Counter.name == "serial").execute()
    assert Task.select().where(Task.instance >= next_id).count() == 2 * total, "tasks missing"


def timed(client, url, headers) -> float:
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return elapsed


def run(quick: bool) -> dict:
    total = 10_000 if quick else 100_000
    with workdir() as folder:
        return _run(folder, total)


def _run(folder, total) -> dict:
    from app.db import db
    from app.people.directory import add_user, new_token
    from app.models import utcnow
    from app.people.passwords import hash_password
    app = make_app(dict(config(folder), WTF_CSRF_ENABLED=False))
    with app.app_context():
        db.connect(reuse_if_open=True)
        users = seed_users(db, 200, hash_password(PASSWORD))
        seed(db, users, total, new_rng())
        dept = add_user("stats-dept", name="部门管理员", type="staff", department_name="基准学院03",
                        roles=["dept_admin"], password=PASSWORD)
        boss = add_user("stats-admin", name="管理员", type="staff", roles=["admin"], password=PASSWORD)
        tokens = new_token(dept), new_token(boss)
        db.execute_sql("ANALYZE")
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    today = (utcnow() + timedelta(hours=8)).date()
    url = f"/api/v1/stats?from={today - timedelta(days=DAYS)}&to={today}"
    client = app.test_client()
    size = f"{total // 1000}k"
    out = {}
    for name, token in ((f"stats_ms_{size}", tokens[0]), (f"stats_admin_ms_{size}", tokens[1])):
        headers = {"Authorization": f"Bearer {token}"}
        timed(client, url, headers)                                  # warm the definition cache
        out[name] = statistics.median(timed(client, url, headers) for _ in range(RUNS))
    out["stats_queries"] = _queries(app, client, url, tokens[0])
    return out


def _queries(app, client, url, token) -> int:
    from app.db import db
    counted, original = [], db.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        counted.append(sql)
        return original(sql, params, *args, **kwargs)
    db.obj.execute_sql = counting
    try:
        client.get(url, headers={"Authorization": f"Bearer {token}"})
    finally:
        db.obj.execute_sql = original
    return len(counted)
