"""The daily retention run in the worker (``flask retention run`` does the same by hand)."""
import logging

from huey import crontab

from app.queue import huey, task_context

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="3", minute="17"))
def retention_daily():
    with task_context():
        run_and_record(dry_run=False)


def run_and_record(dry_run: bool):
    """One retention run; a real run writes one audit record with its counts."""
    from app.engine import retention
    from app.storage import current
    report = retention.run(dry_run=dry_run, upload_dir=current())
    lines = report.lines(dry_run)
    if not dry_run:
        log.info("retention: %s", lines[-1])
        try:
            from app import audit
        except ImportError:
            audit = None
        if audit is not None:
            audit.record("retention", None, "; ".join(lines))
    return lines
