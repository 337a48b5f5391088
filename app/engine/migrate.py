"""Moving running instances to another version of their service (版本迁移).

An instance is pinned to the version it started with; an admin may move the running ones
(running, or returned to the applicant) to a newer — or older — version of the same
service. ``plan`` says per instance whether it can move and why not; ``migrate`` moves one
in one write transaction (the row locked, its revision checked), keeping its data, records
and open tasks, and writes a flow record 版本迁移 vN → vM.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.db import write_transaction
from app.engine import machine, rows
from app.engine.context import applicant_view
from app.engine.exceptions import Conflict, Invalid, NotFound
from app.engine.states import ACTIVE, Action, TaskStatus
from app.engine.versions import service_def
from app.models import FlowRecord, Instance, ServiceVersion, Task, utcnow

MIGRATE_ACTION = Action.MIGRATE


@dataclass(frozen=True)
class Outcome:
    serial: int
    reason: str | None = None        # None: ok

    @property
    def ok(self) -> bool:
        return self.reason is None

    def line(self) -> str:
        return f"{self.serial}: ok" if self.ok else f"{self.serial}: blocked: {self.reason}"


def target_version(service, number) -> ServiceVersion:
    """The version ``number`` of ``service``; refuses another service's or a missing one."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Invalid(f"版本号无效：{number!r}") from None
    if not 0 < number < 2 ** 31:
        raise NotFound(f"服务 {service.slug} 没有版本 {number}")
    version = ServiceVersion.get_or_none(ServiceVersion.service == service,
                                         ServiceVersion.version == number)
    if version is None:
        raise NotFound(f"服务 {service.slug} 没有版本 {number}")
    return version


def candidates(service, serials=None):
    """Running instances of the service (returned ones too); drafts and finished ones never."""
    query = (Instance.select().where(Instance.service == service, Instance.status.in_(ACTIVE))
             .order_by(Instance.serial))
    if serials:
        query = query.where(Instance.serial.in_(list(serials)))
    return query


def blocked_reason(instance, old, new, step_map=None) -> str | None:
    """Why ``instance`` (on definition ``old``) cannot move to ``new``, or None."""
    step_map = step_map or {}
    current = step_map.get(instance.step, instance.step)
    if current and new.step(current) is None:
        return f"当前步骤“{_step_name(old, instance.step)}”在新版本中不存在"
    data = instance.data or {}
    old_types = {f.name: f.type for f in old.form.input_fields()}
    for f in new.form.input_fields():
        before = old_types.get(f.name)
        if before is not None and before != f.type and data.get(f.name) not in (None, "", []):
            return f"字段“{f.label or f.name}”的类型已改变（{before} → {f.type}）"
        if (f.required or f.required_when) and data.get(f.name) in (None, "", []):
            if f.readonly or f.autofill or not _shown(f, instance, data) \
                    or not _required(f, instance, data):
                continue
            return f"字段“{f.label or f.name}”在新版本中为必填，但没有填写"
    return None


def _shown(field, instance, data) -> bool:
    """Whether the new version shows ``field`` for this instance (its ``visible_when`` on the
    instance's own data and applicant): a hidden field is not required."""
    if not field.visible_when:
        return True
    from app.defs.validate import is_visible
    return is_visible(field, data, applicant_view(instance.applicant))


def _required(field, instance, data) -> bool:
    """``required``, or its ``required_when`` holding on the instance's data and applicant."""
    if field.required:
        return True
    from app.defs.validate import is_required
    from app.engine.context import applicant_view
    return is_required(field, data, applicant_view(instance.applicant))


def _step_name(sdef, step_id) -> str:
    step = sdef.step(step_id) if step_id else None
    return step.name if step else str(step_id)


def plan(service, to_version, serials=None, step_map=None) -> list[Outcome]:
    """The dry-run report: one Outcome per listed running instance."""
    new = service_def(to_version)
    found = list(candidates(service, serials))
    outcomes = [Outcome(inst.serial, blocked_reason(inst, service_def(inst), new, step_map)
                        if inst.version_id != to_version.id else None) for inst in found]
    missing = sorted(set(serials or ()) - {i.serial for i in found})
    outcomes += [Outcome(s, "不是该服务正在办理的事项") for s in missing]
    return outcomes


def migrate(instance, to_version, user=None, step_map=None) -> Instance:
    """Move one instance, in one transaction; refuses (Conflict) if it moved on meanwhile."""
    new = service_def(to_version)
    with write_transaction():
        fresh = rows.lock(instance)
        move = machine.begin(machine.Case(fresh, user), MIGRATE_ACTION)
        if fresh.revision != instance.revision or fresh.step != instance.step:
            raise Conflict("该事项刚刚被办理，请重新检查后再迁移")
        old = service_def(fresh)
        reason = blocked_reason(fresh, old, new, step_map)
        if reason:
            raise Invalid(reason)
        before = fresh.version.version
        now = utcnow()
        target_step = (step_map or {}).get(fresh.step, fresh.step)
        if target_step != fresh.step:
            step = new.step(target_step)
            (Task.update(step=step.id, step_name=step.name)
             .where(Task.instance == fresh, Task.step == fresh.step,
                    Task.status == TaskStatus.OPEN).execute())
            fresh.step = step.id
        fresh.version = to_version
        fresh._service_def = (to_version.id, new)
        FlowRecord.create(instance=fresh, step=fresh.step or "end",
                          step_name=_step_name(new, fresh.step) if fresh.step else "完成",
                          action=MIGRATE_ACTION, user=user, at=now, opinion="",
                          detail=f"版本迁移 v{before} → v{to_version.version}")
        rows.save(fresh, now)
        machine.finish(fresh, move)
    return fresh


def run(service, to_version, serials=None, *, dry_run=False, user=None, step_map=None):
    """(outcomes, moved): the report, and the serials actually moved (none with dry_run)."""
    outcomes, moved = plan(service, to_version, serials, step_map), []
    if dry_run:
        return outcomes, moved
    final = []
    for outcome in outcomes:
        if not outcome.ok:
            final.append(outcome)
            continue
        instance = Instance.get(Instance.serial == outcome.serial)
        if instance.version_id == to_version.id:
            final.append(outcome)
            continue
        try:
            migrate(instance, to_version, user, step_map)
            moved.append(outcome.serial)
            final.append(outcome)
        except (Conflict, Invalid) as exc:
            final.append(Outcome(outcome.serial, exc.message))
    return final, moved
