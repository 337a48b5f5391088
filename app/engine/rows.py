"""Row-level helpers of the engine's transitions; call them inside ``write_transaction()``.

The instance row is re-read (and on PostgreSQL locked) first; tasks are claimed with a
conditional UPDATE and the instance is written back only if its revision did not move,
so two transitions racing on one instance can never both land.
"""
from app.db import is_sqlite
from app.engine.exceptions import Conflict, NotFound
from app.models import FlowRecord, Instance, Task

DECISIONS = ("approve", "return", "terminate", "transfer")


def lock(instance) -> Instance:
    """The instance re-read (and locked on PostgreSQL); what the caller's object already
    knows that cannot change (its applicant row, its definition) is carried over."""
    query = Instance.select().where(Instance.id == instance.id)
    if not is_sqlite():
        query = query.for_update()
    fresh = query.first()
    if fresh is None:
        raise NotFound("事项不存在")
    if "applicant" in instance.__rel__:
        fresh.__rel__["applicant"] = instance.__rel__["applicant"]
    if getattr(instance, "_service_def", None):
        fresh._service_def = instance._service_def
    return fresh


def open_task(instance, user):
    """The user's open to-do on the instance's current step (cc copies never count)."""
    if not instance.step:
        return None
    return (Task.select().where(Task.instance == instance, Task.step == instance.step,
                                Task.assignee == user, Task.kind == "do",
                                Task.status == "open").first())


def claim_task(instance, user, action, now, task=None, status="done"):
    task = task or open_task(instance, user)
    claimed = 0
    if task is not None:
        claimed = (Task.update(status=status, action=action, acted=now)
                   .where(Task.id == task.id, Task.status == "open").execute())
    if claimed != 1:
        raise Conflict("该事项已被处理，请刷新查看")
    return task


def claim_own_task_row(instance, user, action, now):
    """Like claim_own_task, in the same one UPDATE, returning the claimed to-do's
    (id, added, added_by, on_behalf_of) — or None when the user holds none."""
    if not instance.step:
        return None
    found = list(Task.update(status="done", action=action, acted=now)
                 .where(Task.instance == instance, Task.step == instance.step, Task.assignee == user,
                        Task.kind == "do", Task.status == "open")
                 .returning(Task.id, Task.added, Task.added_by, Task.on_behalf_of).tuples().execute())
    if len(found) != 1:
        return None
    return dict(zip(("id", "added", "added_by", "on_behalf_of"), found[0]))


def claim_own_task(instance, user, action, now) -> bool:
    """Mark the user's open to-do on the current step as acted, in one conditional UPDATE;
    False when they hold none (never an assignee, already acted, or someone decided first)."""
    if not instance.step:
        return False
    return (Task.update(status="done", action=action, acted=now)
            .where(Task.instance == instance, Task.step == instance.step, Task.assignee == user,
                   Task.kind == "do", Task.status == "open").execute()) == 1


def close_open_tasks(instance, step, now, by=None):
    """Close the step's other open to-dos, each with a record of why (或签, 退回, 终止 …)."""
    others = list(Task.select().where(Task.instance == instance, Task.step == step.id,
                                      Task.kind == "do", Task.status.in_(("open", "waiting"))))
    if not others:
        return
    Task.update(status="closed", action="close", acted=now).where(
        Task.id.in_([t.id for t in others]), Task.status.in_(("open", "waiting"))).execute()
    detail = f"已由 {by.name} 办理" if by else "本步骤已办结"
    FlowRecord.insert_many([
        {"instance": instance.id, "step": step.id, "step_name": step.name, "action": "close",
         "user": t.assignee_id, "at": now, "opinion": "", "detail": detail} for t in others
    ]).execute()


def record(instance, step, action, user, now, opinion="", detail="", notes=None, on_behalf_of=None):
    FlowRecord.create(instance=instance, step=step.id, step_name=step.name, action=action,
                      user=user, at=now, opinion=opinion or "", detail=detail, notes=notes or None,
                      on_behalf_of=on_behalf_of)


SAVED_FIELDS = ("status", "step", "data", "title", "updated", "submitted", "finished", "due",
                "revision", "version", "inserted")


def save(instance, now):
    """Write the instance only if nobody else moved it since we locked it."""
    old = instance.revision
    instance.revision = old + 1
    instance.updated = now
    fields = {f: getattr(instance, f) for f in SAVED_FIELDS}
    n = Instance.update(**fields).where(Instance.id == instance.id,
                                        Instance.revision == old).execute()
    if n != 1:
        raise Conflict("该事项已被他人处理，请刷新查看")


def someone_acted(instance, applicant) -> bool:
    """Whether anyone but the applicant has decided or transferred a to-do on the instance."""
    return (Task.select().where(Task.instance == instance, Task.assignee != applicant,
                                Task.kind == "do", Task.action.in_(DECISIONS)).exists())
