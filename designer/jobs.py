"""Background work of the designer on the huey queue (ids in, never objects)."""
from app.db import db
from app.queue import app_context, huey
from designer.accounts import run_import_job


@huey.task()
def import_users(job_id: int) -> None:
    with app_context():
        opened = db.is_closed()
        if opened:
            db.connect()
        try:
            run_import_job(job_id)
        finally:
            if opened:
                db.close()


@huey.task()
def migrate_instances(job_id: int) -> None:
    from designer.migrations import run_job
    with app_context():
        opened = db.is_closed()
        if opened:
            db.connect()
        try:
            run_job(job_id)
        finally:
            if opened:
                db.close()
