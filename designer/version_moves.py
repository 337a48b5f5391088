"""版本迁移 from the designer: the dry-run report first, then a job on the queue.

The report and the moves are the engine's (``app.engine.migrate``), the same the CLI uses.
"""
from __future__ import annotations

from app.db import db
from app.engine import migrate
from app.engine.exceptions import EngineError
from app.models import utcnow
from app.models.designer import MigrationJob


def gone_steps(service, to_version) -> list:
    """(old step id, old name) of current steps of running instances that the target lacks."""
    from app.engine.core import service_def
    new = service_def(to_version)
    seen, out = set(), []
    for inst in migrate.candidates(service):
        if inst.step and inst.step not in seen and new.step(inst.step) is None:
            seen.add(inst.step)
            old = service_def(inst).step(inst.step)
            out.append((inst.step, old.name if old else inst.step))
    return out


def clean_step_map(form, to_version) -> dict:
    """``map-<old id>`` form fields naming a step of the target version."""
    from app.engine.core import service_def
    steps = {s.id for s in service_def(to_version).steps}
    return {key[4:]: value for key, value in form.items()
            if key.startswith("map-") and value in steps}


def create_job(service, to_version, user, step_map) -> MigrationJob:
    from app import audit
    with db.atomic():
        job = MigrationJob.create(service=service, to_version=to_version.version,
                                  step_map=step_map, created_by=user)
        audit.record("migrate", user, f"{service.slug} → v{to_version.version}（任务 {job.id}）")
    return job


def run_job(job_id: int) -> None:
    """Move the instances of one job, recording progress (in-request or by huey)."""
    job = MigrationJob.get_or_none(MigrationJob.id == job_id)
    if job is None or job.status != "queued":
        return
    _update(job_id, status="running")
    try:
        version = migrate.target_version(job.service, job.to_version)
        plan = migrate.plan(job.service, version, job.serials or None, job.step_map)
        _update(job_id, total=len(plan))
        lines, moved = [], 0
        for done, outcome in enumerate(plan, start=1):
            if outcome.ok:
                outcome, did_move = _move(job, version, outcome)
                moved += did_move
            lines.append(outcome.line())
            _update(job_id, processed=done, moved=moved)
        _update(job_id, status="done", report=lines, finished=utcnow())
    except EngineError as exc:
        _update(job_id, status="failed", report=[exc.message], finished=utcnow())


def _move(job, version, outcome):
    from app.engine.exceptions import Conflict, Invalid
    from app.models import Instance
    inst = Instance.get(Instance.serial == outcome.serial)
    if inst.version_id == version.id:
        return outcome, 0
    try:
        migrate.migrate(inst, version, job.created_by, job.step_map)
        return outcome, 1
    except (Conflict, Invalid) as exc:
        return migrate.Outcome(outcome.serial, exc.message), 0


def _update(job_id, **values):
    with db.atomic():
        MigrationJob.update(**values).where(MigrationJob.id == job_id).execute()
