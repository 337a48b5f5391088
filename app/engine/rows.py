"""Row-level helpers of the engine's transitions; call them inside ``write_transaction()``.

The instance row is re-read (and on PostgreSQL locked) first; tasks are claimed with a
conditional UPDATE and the instance is written back only if its revision did not move,
so two transitions racing on one instance can never both land.

The hot statements are prepared (app.db.prepared): peewee builds their SQL once.
"""
from types import SimpleNamespace

from app.db import is_sqlite
from app.engine.exceptions import Conflict, EngineError, NotAllowed, NotFound
from app.engine.states import DECISIONS, OPEN_TASK, Action, Status, TaskStatus
from app.db.prepared import Insert, SelectRows, Statement
from app.models import FlowRecord, Instance, ServiceVersion, Task

LOCK = SelectRows(Instance, lambda q, s: (q.where(Instance.id == s.id) if is_sqlite()
                                      else q.where(Instance.id == s.id).for_update()),
              id=Instance.id).named("engine.lock", id=lambda w: w.instance.id)
INSERT_RECORD = Insert(FlowRecord).named(
    "engine.insert_record", instance=lambda w: w.instance.id, step="fill", step_name="填写",
    action=Action.REMIND, user=lambda w: w.user)
INSERT_TASK = Insert(Task).named(
    "engine.insert_task", instance=lambda w: w.instance.id, step="fill", step_name="填写",
    assignee=lambda w: w.leader, kind="do")
INSERT_INSTANCE = Insert(Instance).named(
    "engine.insert_instance", serial=lambda w: w.instance.serial + 10 ** 6,
    service=lambda w: w.instance.service_id, version=lambda w: w.instance.version_id,
    applicant=lambda w: w.user, status=Status.DRAFT, title="样例", data={"subject": "样例"})
LATEST_VERSION = Statement(
    lambda s: (ServiceVersion.select(ServiceVersion.id, ServiceVersion.digest)
               .where(ServiceVersion.service == s.service)
               .order_by(ServiceVersion.version.desc()).limit(1)),
    service=ServiceVersion.service).named("engine.latest_version",
                                          service=lambda w: w.instance.service_id)


TASK_KEY = ("step", "assignee", "kind", "status")


def add_task(instance, **values) -> None:
    """Buffer a task row: it is written with the next ``flush_tasks`` (the to-dos of the step
    entered next, in one INSERT) or, at the latest, by ``save``."""
    instance.__dict__.setdefault("_task_rows", []).append(values)


def flush_tasks(instance, new_rows=()) -> list:
    """Write the buffered task rows and ``new_rows`` in one statement; the Task objects of
    ``new_rows``, in order."""
    buffered = instance.__dict__.pop("_task_rows", [])
    rows = [dict(r, instance=instance) for r in buffered + list(new_rows)]
    if not rows:
        return []
    return INSERT_TASK.create_many(rows, TASK_KEY)[len(buffered):]


def lock(instance) -> Instance:
    """The instance re-read (and locked on PostgreSQL); what the caller's object already
    knows that cannot change (its applicant row, its definition) is carried over."""
    fresh = LOCK.first(id=instance.id)
    if fresh is None:
        raise NotFound("事项不存在")
    for known in ("applicant", "service"):
        if known in instance.__rel__ and fresh.__data__.get(known) == instance.__data__.get(known):
            fresh.__rel__[known] = instance.__rel__[known]
    for memo in ("_service_def", "_version_digest"):
        if getattr(instance, memo, None):
            setattr(fresh, memo, getattr(instance, memo))
    return fresh


def open_task(instance, user):
    """The user's open to-do on the instance's current step (cc copies never count)."""
    if not instance.step:
        return None
    return (Task.select().where(Task.instance == instance, Task.step == instance.step,
                                Task.assignee == user, Task.kind == "do",
                                Task.status == TaskStatus.OPEN).first())


def claim_task(instance, user, action, now, task=None, status=TaskStatus.DONE):
    task = task or open_task(instance, user)
    claimed = 0
    if task is not None:
        claimed = (Task.update(status=status, action=action, acted=now)
                   .where(Task.id == task.id, Task.status == TaskStatus.OPEN).execute())
    if claimed != 1:
        raise Conflict("该事项已被处理，请刷新查看")
    return task


CLAIM_OWN = Statement(
    lambda s: (Task.update(status=TaskStatus.DONE, action=s.action, acted=s.now)
               .where(Task.instance == s.instance, Task.step == s.step, Task.assignee == s.user,
                      Task.kind == "do", Task.status == TaskStatus.OPEN)
               .returning(Task.id, Task.added, Task.added_by, Task.on_behalf_of)),
    action=Task.action, now=Task.acted, instance=Task.instance, step=Task.step, user=Task.assignee).named(
    "engine.claim_own", action=Action.APPROVE, now=lambda w: w.now, instance=lambda w: w.instance.id,
    step=lambda w: w.instance.step, user=lambda w: w.leader)


def claim_own_task_row(instance, user, action, now):
    """Mark the user's open to-do on the current step as acted, in one conditional UPDATE,
    returning its id, added, added_by and on_behalf_of — or None when they hold none (never
    an assignee, already acted, or someone decided first)."""
    if not instance.step:
        return None
    found = CLAIM_OWN.execute(action=action, now=now, instance=instance.id, step=instance.step,
                              user=user.id).fetchall()
    if len(found) != 1:
        return None
    return SimpleNamespace(**dict(zip(("id", "added", "added_by", "on_behalf_of"), found[0])))


OPEN_ON_STEP = Statement(
    lambda s: (Task.select(Task.id, Task.assignee, Task.added)
               .where(Task.instance == s.instance, Task.step == s.step, Task.kind == "do",
                      Task.status.in_(OPEN_TASK))),
    instance=Task.instance, step=Task.step).named(
    "engine.open_on_step", instance=lambda w: w.instance.id, step=lambda w: w.instance.step)


def open_on_step(instance, step_id) -> list:
    """(id, assignee id, added) of the step's open or waiting to-dos, in one prepared query."""
    return OPEN_ON_STEP.execute(instance=instance.id, step=step_id).fetchall()


def close_open_tasks(instance, step, now, by=None, others=None):
    """Close the step's other open to-dos, each with a record of why (或签, 退回, 终止 …).
    ``others``: their (id, assignee id, added) rows when the caller already read them."""
    if others is None:
        others = open_on_step(instance, step.id)
    if not others:
        return
    Task.update(status=TaskStatus.CLOSED, action=Action.CLOSE, acted=now).where(
        Task.id.in_([t[0] for t in others]), Task.status.in_(OPEN_TASK)).execute()
    detail = f"已由 {by.name} 办理" if by else "本步骤已办结"
    FlowRecord.insert_many([
        {"instance": instance.id, "step": step.id, "step_name": step.name, "action": Action.CLOSE,
         "user": t[1], "at": now, "opinion": "", "detail": detail} for t in others
    ]).execute()


def record(instance, step, action, user, now, opinion="", detail="", notes=None, on_behalf_of=None):
    INSERT_RECORD.run(instance=instance.id, step=step.id, step_name=step.name, action=action,
                      user=user.id if user is not None else None, at=now, opinion=opinion or "",
                      detail=detail, notes=notes or None, on_behalf_of=on_behalf_of)
    instance._last_action = action        # listeners ask (a 撤回 tells nobody) without a query


SAVED_FIELDS = ("status", "step", "data", "title", "updated", "submitted", "finished", "due",
                "revision", "version", "inserted")
SAVE = Statement(
    lambda s: (Instance.update({getattr(Instance, f): getattr(s, f) for f in SAVED_FIELDS})
               .where(Instance.id == s.id, Instance.revision == s.old)),
    id=Instance.id, old=Instance.revision, **{f: getattr(Instance, f) for f in SAVED_FIELDS}
).named("engine.save", id=lambda w: w.instance.id, old=lambda w: w.instance.revision,
        **{f: (lambda w, f=f: getattr(w.instance, f if f != "version" else "version_id"))
           for f in SAVED_FIELDS})


def save(instance, now):
    """Write the instance only if nobody else moved it since we locked it."""
    flush_tasks(instance)
    old = instance.revision
    instance.revision = old + 1
    instance.updated = now
    data = instance.__data__                    # version: its id; never load the version row
    n = SAVE.execute(id=instance.id, old=old, **{f: data.get(f) for f in SAVED_FIELDS}).rowcount
    if n != 1:
        raise Conflict("该事项已被他人处理，请刷新查看")


def someone_acted(instance, applicant) -> bool:
    """Whether anyone but the applicant has decided or transferred a to-do on the instance."""
    return (Task.select().where(Task.instance == instance, Task.assignee != applicant,
                                Task.kind == "do", Task.action.in_(DECISIONS)).exists())


def refusal(instance, user, first_step) -> EngineError:
    """409 when the user was an approver here and the item moved on (or they already acted);
    403 when they never had a part in it beyond applying."""
    steps = {t.step for t in Task.select(Task.step).where(
        Task.instance == instance, Task.assignee == user, Task.kind == "do")}
    if steps - {first_step}:
        return Conflict("该事项已被处理或已流转到下一步，请刷新查看")
    return NotAllowed("您不是该事项当前步骤的办理人")
