"""Engine-event listeners: each event that needs someone's attention writes outbox rows.

They run inside the transition's transaction (see app.engine.events), so the rows commit
or roll back with it. Registered by ``register()`` from ``app.notify.init_app``.
"""
from app.engine import events
from app.engine.states import FINISHED, Action
from app.models import FlowRecord
from app.notify import outbox


def on_task_created(instance, task):
    outbox.write(task.assignee, "todo", f"todo:task:{task.id}", instance, task, task.step_name)


def on_cc_created(instance, task):
    outbox.write(task.assignee, "cc", f"cc:task:{task.id}", instance, task, task.step_name)


def on_returned(instance, task, by=None, opinion=""):
    extra = {"by": by.name if by is not None else "", "opinion": opinion or ""}
    outbox.write(task.assignee, "returned", f"returned:task:{task.id}", instance, task,
                 task.step_name, extra)


def on_reminded(instance, task, by=None):
    """催办: one message per open to-do per reminder (the record's time keys the event)."""
    extra = {"by": by.name if by is not None else ""}
    stamp = instance.updated.strftime("%Y%m%d%H%M%S%f") if instance.updated else ""
    outbox.write(task.assignee, "remind", f"remind:task:{task.id}:{stamp}", instance, task,
                 task.step_name, extra)


def on_finished(instance, status):
    if status not in FINISHED or _withdrawn_by_applicant(instance):
        return
    outbox.write(instance.applicant, status, f"{status}:instance:{instance.id}", instance)


def _withdrawn_by_applicant(instance) -> bool:
    """撤回 is the applicant's own doing: no message to tell them about it."""
    known = getattr(instance, "_last_action", None)     # the engine's latest record, if written
    if known is not None:
        return known == Action.WITHDRAW
    last = (FlowRecord.select(FlowRecord.action).where(FlowRecord.instance == instance)
            .order_by(FlowRecord.id.desc()).first())
    return last is not None and last.action == Action.WITHDRAW


def register() -> None:
    events.listen("task_created", on_task_created)
    events.listen("cc_created", on_cc_created)
    events.listen("returned", on_returned)
    events.listen("finished", on_finished)
    events.listen("reminded", on_reminded)
