"""Export jobs: created by a request, run by a huey task with ids only, polled by the page."""
from __future__ import annotations

import glob
import logging
import os
import time
from datetime import timedelta

from app.engine.core import service_def
from app.roles import is_admin
from app.exports import bulk
from app.models import Instance, ServiceVersion, utcnow
from app.models.exports import ExportJob

log = logging.getLogger(__name__)
STATUS_LABELS = {"queued": "排队中", "running": "导出中", "done": "已完成", "failed": "失败",
                 "expired": "已过期（文件已删除，请重新导出）"}


def export_dir(config) -> str:
    return config.get("EXPORT_DIR") or os.path.join(os.path.dirname(config["UPLOAD_DIR"]), "exports")


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


def run_job(job_id: int, directory: str) -> None:
    """Write the file, updating ``progress`` as rows go out; a failure is recorded, not raised."""
    job = ExportJob.get_or_none(ExportJob.id == job_id)
    if job is None or job.status not in ("queued", "running"):
        return
    try:
        _write(job, directory)
    except Exception as exc:
        log.exception("export job %s failed", job_id)
        ExportJob.update(status="failed", error=str(exc)[:500], finished=utcnow()).where(
            ExportJob.id == job_id).execute()


def _write(job, directory):
    query = bulk.filtered(job.service, job.filters)
    total = query.count()
    sdefs = _definitions(query)
    fields = bulk.field_columns(sdefs.values())
    ExportJob.update(status="running", total=total, progress=0).where(ExportJob.id == job.id).execute()
    path = bulk.new_path(directory, job.id, job.format)
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
    name = f"{job.service.name}_{utcnow():%Y%m%d}.{writer.extension}"
    ExportJob.update(status="done", progress=total, file_path=path, filename=name,
                     finished=utcnow()).where(ExportJob.id == job.id).execute()


def job_state(job: ExportJob) -> dict:
    return {"id": job.id, "status": job.status, "status_label": STATUS_LABELS.get(job.status, job.status),
            "progress": job.progress, "total": job.total,
            "error": job.error if job.status == "failed" else ""}


def keep_days(config) -> float:
    return float(config.get("EXPORT_KEEP_DAYS") or 7)


def purge_old_exports(config, now=None) -> int:
    """Delete export files older than EXPORT_KEEP_DAYS; returns how many files went.

    A finished job's file goes when the job finished before the cut-off (the job stays, as
    已过期); a file of ours (export-*) that no live job points at — a crashed job's, a
    copy left by a restore — goes when its modification time is before the cut-off.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=keep_days(config))
    removed = 0
    for job in ExportJob.select().where(ExportJob.status == "done", ExportJob.finished < cutoff):
        removed += _remove(job.file_path)
        ExportJob.update(status="expired", file_path="").where(
            ExportJob.id == job.id, ExportJob.status == "done").execute()
    live = {j.file_path for j in ExportJob.select(ExportJob.file_path).where(ExportJob.file_path != "")}
    oldest = time.time() - (now - cutoff).total_seconds()
    for path in glob.glob(os.path.join(export_dir(config), "export-*")):
        if path not in live and os.path.getmtime(path) < oldest:
            removed += _remove(path)
    if removed:
        log.info("deleted %d export files older than %s days", removed, keep_days(config))
    return removed


def _remove(path) -> int:
    try:
        os.remove(path)
        return 1
    except FileNotFoundError:
        return 0
