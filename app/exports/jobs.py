"""Export jobs: created by a request, run by a huey task with ids only, polled by the page."""
from __future__ import annotations

import logging
import os

from app.engine.core import service_def
from app.roles import is_admin
from app.exports import bulk
from app.models import Instance, ServiceVersion, utcnow
from app.models.exports import ExportJob

log = logging.getLogger(__name__)
STATUS_LABELS = {"queued": "排队中", "running": "导出中", "done": "已完成", "failed": "失败"}


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
