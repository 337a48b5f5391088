"""Export files older than EXPORT_KEEP_DAYS (7) are deleted: by a periodic worker task, or by
calling ``purge_old_exports`` / `flask exports purge` directly."""
import os
import time
from datetime import datetime, timedelta

import pytest

from app.exports.jobs import export_dir, purge_old_exports
from app.models import utcnow
from app.models.exports import ExportJob
from tests.exports.test_bulk import export, job_id
from tests.notify.conftest import Consumer, wait_until

DAY = 24 * 3600


@pytest.fixture
def admin(login_as, huey_immediate, contract):
    return login_as("admin")


def finished_days_ago(app, jid, days):
    """Backdate the job; the path of its file (exports/… in the storage: the export folder)."""
    ExportJob.update(finished=utcnow() - timedelta(days=days)).where(ExportJob.id == jid).execute()
    return os.path.join(export_dir(app.config), os.path.basename(ExportJob.get_by_id(jid).file_path))


def stray(app, name, days_old):
    folder = export_dir(app.config)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        f.write("x")
    then = time.time() - days_old * DAY
    os.utime(path, (then, then))
    return path


def test_files_older_than_seven_days_are_deleted_and_their_jobs_say_so(app, admin):
    old, recent = job_id(export(admin)), job_id(export(admin))
    old_path, recent_path = finished_days_ago(app, old, 8), finished_days_ago(app, recent, 6)
    orphan_old = stray(app, "export-999-deadbeef.csv", 8)      # a crashed job's file
    orphan_new = stray(app, "export-998-cafebabe.csv", 1)
    not_ours = stray(app, "notes.txt", 30)

    assert purge_old_exports(app.config) == 2
    assert not os.path.exists(old_path) and not os.path.exists(orphan_old)
    assert all(os.path.exists(p) for p in (recent_path, orphan_new, not_ours))

    state = admin.get(f"/exports/jobs/{old}.json").get_json()
    assert state["status"] == "expired" and "download_url" not in state
    assert "已过期" in admin.get(f"/exports/jobs/{old}").get_data(as_text=True)
    gone = admin.get(f"/exports/jobs/{old}/download")
    assert gone.status_code == 410 and "请重新导出" in gone.get_data(as_text=True)
    assert admin.get(f"/exports/jobs/{recent}/download").status_code == 200
    assert purge_old_exports(app.config) == 0                     # a second run finds nothing


def test_keep_days_is_configurable(app, admin):
    jid = job_id(export(admin))
    path = finished_days_ago(app, jid, 2)
    app.config["EXPORT_KEEP_DAYS"] = 1
    assert purge_old_exports(app.config) == 1 and not os.path.exists(path)


def test_the_worker_runs_the_purge_every_hour(app, admin):
    from app.exports.tasks import purge_exports
    assert purge_exports.task_class().validate_datetime(datetime(2026, 1, 1, 3, 17))
    assert not purge_exports.task_class().validate_datetime(datetime(2026, 1, 1, 3, 18))
    path = finished_days_ago(app, job_id(export(admin)), 10)
    from app.queue import huey
    huey.immediate = False
    purge_exports()                           # what the scheduler enqueues at :17
    consumer = Consumer().start()
    try:
        wait_until(lambda: not os.path.exists(path))
    finally:
        consumer.stop()
    assert ExportJob.get().status == "expired"


def test_flask_exports_purge(app, admin):
    path = finished_days_ago(app, job_id(export(admin)), 8)
    result = app.test_cli_runner().invoke(args=["exports", "purge"])
    assert result.exit_code == 0 and "1" in result.output
    assert not os.path.exists(path)
