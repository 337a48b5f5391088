"""huey tasks of the notify part. They take ids, open their own app context and connection
(``app.queue.task_context``).

- ``deliver_task(id)``: enqueued by the web process after commit; a retry is scheduled by
  itself with backoff.
- ``sweep``: every minute (and when a consumer starts) re-enqueues rows that are pending
  and due or stuck in 'sending' past their lease — rows written while the consumer was down,
  enqueues that were lost, sends a crashed worker never finished.
- ``remind``: every 10 minutes writes overdue reminders (once per interval per task).
"""
import logging

from huey import crontab

from app.queue import huey, task_context

log = logging.getLogger(__name__)


@huey.task()
def deliver_task(notification_id: int):
    from app.notify import delivery
    with task_context() as config:
        outcome, delay = delivery.deliver(int(notification_id), config)
    if outcome == "retry":
        deliver_task.schedule((notification_id,), delay=delay)
    return None


@huey.periodic_task(crontab(minute="*"))
def sweep():
    from app.notify import delivery
    with task_context() as config:
        ids = delivery.due_ids(config)
    enqueue(ids)


@huey.periodic_task(crontab(minute="*/10"))
def remind():
    from app.notify import reminders
    with task_context() as config:
        reminders.remind_overdue(config)   # enqueued when the app context ends


def enqueue(ids) -> None:
    for nid in ids:
        deliver_task(int(nid))
