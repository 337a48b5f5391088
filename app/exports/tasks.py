"""huey tasks of the exports part. They receive ids and build their own app context
(``app.queue.task_context``: in immediate mode they use the caller's)."""
from huey import crontab

from app.queue import huey, task_context


@huey.task()
def run_export(job_id: int):
    from app.exports.jobs import run_job
    from app.storage import of_config
    with task_context() as config:
        run_job(int(job_id), of_config(config))


@huey.periodic_task(crontab(minute="17"))
def purge_exports():
    """Hourly: export files older than EXPORT_KEEP_DAYS are deleted."""
    from app.exports.jobs import purge_old_exports
    with task_context() as config:
        purge_old_exports(config)
