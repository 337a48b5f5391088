"""huey tasks of the exports part. They receive ids and build their own app context.

In immediate mode (tests, ``HUEY_IMMEDIATE``) a task runs inside the caller's request and
uses its app and connection; under ``flask worker`` it opens both itself.
"""
import contextlib

from flask import current_app, has_app_context

from app import queue
from app.db import db
from app.queue import huey


@contextlib.contextmanager
def task_context():
    if has_app_context():
        yield current_app.config
        return
    with db.connection_context(), queue.app_context():
        yield current_app.config


@huey.task()
def run_export(job_id: int):
    from app.exports.jobs import export_dir, run_job
    with task_context() as config:
        run_job(int(job_id), export_dir(config))
