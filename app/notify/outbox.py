"""Writing the outbox inside the engine's transaction, and handing new rows to huey after it.

``write`` only inserts rows (it runs inside a transition: no I/O beyond the database). The
ids are remembered on ``g`` and enqueued when the app context ends — after the transition
has committed — so a worker never looks for a row that is not visible yet. Rows whose
enqueue is lost (queue down, engine used outside an app context) are found by the sweeper.
"""
import logging

from flask import g, has_app_context

from app.db import on_rollback
from app.models import utcnow
from app.models.notify import Notification
from app.notify import prefs

log = logging.getLogger(__name__)


def write(user, kind: str, event_key: str, instance=None, task=None, step_name="",
          extra=None, link=None, channels=None) -> list[int]:
    """One pending row per channel of ``user`` (or per name in ``channels``); a repeated
    (event, user, channel) is ignored. ``link`` defaults to the instance's page."""
    channels = prefs.channels_for(user) if channels is None else channels
    now = utcnow()
    if link is None:
        link = f"/instances/{instance.serial}" if instance is not None else ""
    rows = [dict(user=user.id, channel=channel, kind=kind, event_key=event_key,
                 instance=instance.id if instance is not None else None,
                 task=task.id if task is not None else None, step_name=step_name or "",
                 extra=extra or {}, title=instance.title if instance is not None else "",
                 link=link, status="pending", next_attempt_at=now, created=now)
            for channel in channels]
    if not rows:
        return []
    ids = [r[0] for r in Notification.insert_many(rows).on_conflict_ignore()
           .returning(Notification.id).tuples().execute()]   # the rows new to the outbox
    remember(ids)
    return ids


def remember(ids):
    """Enqueue these ids when the current app context ends (after its transaction) —
    unless that transaction rolls back: then they are forgotten (no row, no job)."""
    if ids and has_app_context():
        pending = g.setdefault("notify_ids", [])
        pending.extend(ids)
        on_rollback(lambda: pending.__init__([i for i in pending if i not in set(ids)]))


def flush(exc=None) -> None:
    """teardown_appcontext: enqueue delivery of the rows written in this context.

    No query here: ids whose transaction rolled back were forgotten (``remember``); a row
    sent meanwhile is skipped by the worker, which claims only pending rows."""
    ids = g.pop("notify_ids", None) if has_app_context() else None
    if not ids or exc is not None:
        return
    try:
        from app.notify.tasks import enqueue
        enqueue(ids)
    except Exception:                       # the sweeper delivers them later
        log.warning("could not enqueue notifications %s; the sweeper will", ids, exc_info=True)
