"""Background work of the designer on the huey queue (ids in, never objects)."""
from app.queue import huey, task_context
from designer.accounts import run_import_job


@huey.task()
def import_users(job_id: int) -> None:
    with task_context():
        run_import_job(job_id)


@huey.task()
def migrate_instances(job_id: int) -> None:
    from designer.version_moves import run_job
    with task_context():
        run_job(job_id)
