"""Export jobs: created by a request, run by a huey task with ids only, polled by the page."""
from __future__ import annotations

import logging
import os
import tempfile
import time
from datetime import timedelta

from app.engine.core import service_def
from app.people.roles import is_admin
from app.exports import bulk
from app.models import Instance, ServiceVersion, utcnow
from app.models.exports import ExportJob
from app.storage import StorageError, of_config

log = logging.getLogger(__name__)
STATUS_LABELS = {"queued": "排队中", "running": "导出中", "done": "已完成", "failed": "失败",
                 "expired": "已过期（文件已删除，请重新导出）"}


def export_dir(config) -> str:
    """The export folder of the file storage when STORAGE_URL is empty."""
    return config.get("EXPORT_DIR") or os.path.join(os.path.dirname(config["UPLOAD_DIR"]), "exports")


def _store(store):
    if isinstance(store, str):             # a folder (tests, tools)
        from app.storage.local import FileStorage
        return FileStorage(os.path.dirname(store), {"exports": store})
    return store


def create_job(service, user, fmt, filters) -> ExportJob:
    bulk.WRITERS.get(fmt)
    clean = {k: str(filters.get(k) or "").strip()[:100]
             for k in ("status", "department", "date_from", "date_to")}
    return ExportJob.create(service=service, user=user, format=fmt, filters=clean)


def _definitions(instances_query):
    """Compiled definitions of the versions the selected instances use, newest first."""
    ids = {i.version_id for i in instances_query.select(Instance.version).order_by().distinct()}
    versions = (ServiceVersion.select().where(ServiceVersion.id.in_(sorted(ids) or [0]))
                .order_by(ServiceVersion.version.desc()))
    return {v.id: service_def(v) for v in versions}


def run_job(job_id: int, store) -> None:
    """Write the file, updating ``progress`` as rows go out, then hand it to the storage
    (a Storage, or a folder); a failure is recorded, not raised."""
    job = ExportJob.get_or_none(ExportJob.id == job_id)
    if job is None or job.status not in ("queued", "running"):
        return
    try:
        with tempfile.TemporaryDirectory(prefix="onehall-export-") as scratch:
            _write(job, scratch, _store(store))
    except Exception as exc:
        log.exception("export job %s failed", job_id)
        ExportJob.update(status="failed", error=str(exc)[:500], finished=utcnow()).where(
            ExportJob.id == job_id).execute()


def _write(job, scratch, store):
    query = bulk.filtered(job.service, job.filters)
    total = query.count()
    sdefs = _definitions(query)
    fields = bulk.field_columns(sdefs.values())
    ExportJob.update(status="running", total=total, progress=0).where(ExportJob.id == job.id).execute()
    path = bulk.new_path(scratch, job.id, job.format)
    writer = bulk.WRITERS.get(job.format)(path)
    reveal = is_admin(job.user)            # a department admin's export masks ID numbers
    try:
        writer.write(bulk.header(fields))
        for done, inst in enumerate(query.iterator(), start=1):
            writer.write(bulk.row(inst, sdefs[inst.version_id], fields, reveal))
            if done % bulk.PROGRESS_EVERY == 0:
                ExportJob.update(progress=done).where(ExportJob.id == job.id).execute()
    finally:
        writer.close()
    key = "exports/" + os.path.basename(path)
    store.put_file(key, path)
    name = f"{job.service.name}_{utcnow():%Y%m%d}.{writer.extension}"
    ExportJob.update(status="done", progress=total, file_path=key, filename=name,
                     finished=utcnow()).where(ExportJob.id == job.id).execute()


def job_state(job: ExportJob) -> dict:
    return {"id": job.id, "status": job.status, "status_label": STATUS_LABELS.get(job.status, job.status),
            "progress": job.progress, "total": job.total,
            "error": job.error if job.status == "failed" else ""}


def keep_days(config) -> float:
    return float(config.get("EXPORT_KEEP_DAYS") or 7)


def purge_old_exports(config, now=None, store=None) -> int:
    """Delete export files older than EXPORT_KEEP_DAYS; returns how many files went.

    A finished job's file goes when the job finished before the cut-off (the job stays, as
    已过期); a file of ours (export-*) that no live job points at — a crashed job's, a
    copy left by a restore — goes when its modification time is before the cut-off.
    """
    now = now or utcnow()
    store = _store(store) if store is not None else of_config(config)
    cutoff = now - timedelta(days=keep_days(config))
    removed = 0
    for job in ExportJob.select().where(ExportJob.status == "done", ExportJob.finished < cutoff):
        removed += _remove(store, job.file_path)
        ExportJob.update(status="expired", file_path="").where(
            ExportJob.id == job.id, ExportJob.status == "done").execute()
    live = {_as_key(j.file_path) for j in ExportJob.select(ExportJob.file_path).where(ExportJob.file_path != "")}
    oldest = time.time() - (now - cutoff).total_seconds()
    for key, modified in store.listing("exports"):
        if key.startswith("exports/export-") and key not in live and modified < oldest:
            removed += _remove(store, key)
    if removed:
        log.info("deleted %d export files older than %s days", removed, keep_days(config))
    return removed


def _as_key(file_path: str) -> str:
    """A job row's file: a storage key, or (rows written before STORAGE_URL) a full path."""
    return "exports/" + os.path.basename(file_path) if os.path.isabs(file_path) else file_path


def _remove(store, key) -> int:
    try:
        return int(store.delete(key))
    except StorageError as exc:
        log.error("could not delete export file %s: %s", key, exc)
        return 0
