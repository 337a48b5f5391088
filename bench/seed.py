"""Fast bulk seeding of users and instances for the to-do benchmark (raw executemany).

Every column of a model is written: values given here, else the field's default, so a
column another part adds with a default does not break the seeding.
"""
import json
import random
from datetime import timedelta

BATCH = 5000
HOT = 8                       # users whose to-do pages the load generator requests
HOT_TODOS = 25                # open to-dos each hot user holds from the start


class Writer:
    """Collects rows per model and writes them with one executemany per batch."""

    def __init__(self, conn):
        self.conn, self.pending, self.columns, self.order = conn, {}, {}, []

    def _shape(self, model):
        if model not in self.columns:
            fields = [f for f in model._meta.sorted_fields if f.name != "id"]
            sql = 'INSERT INTO "{}" ({}) VALUES ({})'.format(
                model._meta.table_name, ", ".join(f'"{f.column_name}"' for f in fields),
                ", ".join("?" * len(fields)))
            self.columns[model] = (fields, sql)
            self.order.append(model)
        return self.columns[model]

    def add(self, model, **values):
        fields, _ = self._shape(model)
        row = []
        for f in fields:
            value = values.get(f.name, values.get(f.column_name, _default(f)))
            row.append(_adapt(value))
        self.pending.setdefault(model, []).append(row)
        if len(self.pending[model]) >= BATCH:
            self.flush()          # every model, parents first: foreign keys hold

    def flush(self, model=None):
        for m in [model] if model else self.order:
            rows = self.pending.pop(m, [])
            if rows:
                self.conn.executemany(self._shape(m)[1], rows)


def _default(field):
    default = field.default
    return default() if callable(default) else default


def _adapt(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if hasattr(value, "isoformat"):
        return str(value)
    if hasattr(value, "_meta"):               # a model row: its id
        return value.id
    return value


def seed_users(db, count, password_hash):
    from app.models import Department, User
    conn = db.connection()
    w = Writer(conn)
    with db.atomic():
        depts = [Department.get_or_create(name=f"基准学院{i:02d}")[0].id for i in range(20)]
        for n in range(3, count + 3):
            w.add(User, username=f"b{n:05d}", name=f"用户{n:05d}", type="staff",
                  department=depts[n % len(depts)], password_hash=password_hash, activated=True,
                  is_active=True, session_epoch=0)
        w.flush()
    return [u for u, in User.select(User.id).where(User.username.startswith("b")).order_by(User.id).tuples()]


def seed_instances(db, users, count, start_serial, rng, hot_todos=0):
    """``count`` instances: 70 % waiting on a random user's to-do, 30 % completed.

    The first HOT users get ``hot_todos`` open to-dos each before the random ones."""
    from app.models import Counter, FlowRecord, Instance, Service, Task, utcnow
    service = Service.get(Service.slug == "bench-approval")
    version = service.versions.first().id
    conn = db.connection()
    w = Writer(conn)
    base = utcnow() - timedelta(days=30)
    next_id = (Instance.select(Instance.id).order_by(Instance.id.desc()).scalar() or 0) + 1
    hot = [u for u in users[:HOT] for _ in range(hot_todos)]
    with db.atomic():
        for k in range(count):
            serial = start_serial + k
            applicant = users[rng.randrange(len(users))]
            assignee = hot[k] if k < len(hot) else users[rng.randrange(len(users))]
            moment = base + timedelta(seconds=serial)
            done = k >= len(hot) and rng.random() < 0.3
            w.add(Instance, id=next_id + k, serial=serial, service=service.id, version=version,
                  applicant=applicant, title=f"基准审批_用户{applicant:05d}_第{serial}号",
                  status="completed" if done else "running", step=None if done else "approve",
                  data={"subject": f"第{serial}号", "amount": serial % 100}, created=moment,
                  updated=moment, submitted=moment, finished=moment if done else None,
                  due=moment + timedelta(days=3), revision=2 if done else 1)
            _tasks_and_records(w, next_id + k, applicant, assignee, moment, done, Task, FlowRecord)
        w.flush()
        Counter.update(value=start_serial + count).where(Counter.name == "serial").execute()
    return start_serial + count


def _tasks_and_records(w, inst, applicant, assignee, moment, done, Task, FlowRecord):
    w.add(Task, instance=inst, step="fill", step_name="填写申请", assignee=applicant, kind="do",
          status="done", action="submit", created=moment, acted=moment)
    w.add(Task, instance=inst, step="approve", step_name="审批", assignee=assignee, kind="do",
          status="done" if done else "open", action="approve" if done else None, created=moment,
          acted=moment if done else None, due=moment + timedelta(days=3))
    w.add(FlowRecord, instance=inst, step="fill", step_name="填写申请", action="submit",
          user=applicant, at=moment, opinion="", detail="")
    if done:
        w.add(FlowRecord, instance=inst, step="approve", step_name="审批", action="approve",
              user=assignee, at=moment, opinion="同意", detail="")
        w.add(FlowRecord, instance=inst, step="end", step_name="完成", action="complete",
              user=None, at=moment, opinion="", detail="")


def new_rng(seed=20240601):
    return random.Random(seed)
