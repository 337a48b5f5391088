"""Overdue reminders: an open to-do past its due time reminds its assignee once per
REMINDER_INTERVAL_HOURS (default 24).

The n-th reminder of a task is the event ``overdue:task:<id>:<n>`` with n = whole intervals
since the due time; the outbox's unique key makes a second run (another consumer, a rerun
after a crash) in the same interval a no-op.
"""
from app.db import write_transaction
from app.engine.queries import overdue_tasks
from app.models import utcnow
from app.models.notify import Notification
from app.notify import outbox


def interval_hours(config) -> float:
    return max(float(config.get("REMINDER_INTERVAL_HOURS") or 24), 0.01)


def event_key(task, now, hours) -> str:
    n = int((now - task.due).total_seconds() // (hours * 3600))
    return f"overdue:task:{task.id}:{n}"


def remind_overdue(config, now=None) -> list[int]:
    """Write reminder rows for overdue tasks not yet reminded in this interval; their ids."""
    now = now or utcnow()
    hours = interval_hours(config)
    candidates = {event_key(t, now, hours): t for t in overdue_tasks(now)}
    if not candidates:
        return []
    done = {n.event_key for n in Notification.select(Notification.event_key)
            .where(Notification.event_key.in_(list(candidates)))}
    ids = []
    for key, task in candidates.items():
        if key in done:
            continue
        with write_transaction():
            ids += outbox.write(task.assignee, "overdue", key, task.instance, task,
                                task.step_name, {"due": task.due.isoformat()})
    return ids
