"""The workflow engine: start, submit, act, route. Plain Python — no Flask import.

Every transition runs in one write transaction that first re-reads (and on PostgreSQL
locks) the instance row, then claims the acting task with a conditional UPDATE: of two
approvers clicking at once, exactly one UPDATE matches and the other gets ``Conflict``.
"""
from datetime import datetime

import peewee

from app.db import write_transaction
from app.engine import duties, events, handover, history, machine, rows, signers
from app.engine.delegation import delegates_for
from app.engine.handover import reassign  # noqa: F401  (core.reassign is the public name)
from app.engine.context import applicant_view, render_title, step_applies
from app.engine.versions import remember_digest, service_def  # noqa: F401  (core.* names)
from app.engine.exceptions import Conflict, Invalid, NoAssignee, NotAllowed, NotFound
from app.engine.serials import MAX_SERIAL, next_serial, parse_serial  # noqa: F401  (core.* names)
from app.engine.machine import available_actions  # noqa: F401  (core.* name)
from app.engine.states import (ACTION_LABELS, ACTIVE, FINISHED, STATUS_LABELS,  # noqa: F401
                               Action as A, InstanceStatus, Status as S, TaskStatus)
from app.defs.timelimit import due_date
from app.models import Instance, Service, Task, User, utcnow
from plugins import assignees


def editable_fields(sdef, step) -> set:
    """Fields a step may change: ``edit:`` if given, else all non-readonly ones on the
    applicant's first step and none on later steps."""
    if step.edit is not None:
        return set(step.edit) - set(step.hidden)
    if step.id == sdef.steps[0].id:
        return {f.name for f in sdef.form.input_fields() if not f.readonly} - set(step.hidden)
    return set()


def _merge(previous: dict, incoming: dict | None, editable: set, sdef=None) -> dict:
    merged = dict(previous)
    for name in editable:
        if incoming is not None and name in incoming:
            merged[name] = incoming[name]
    if sdef is not None and sdef.form.schema and isinstance(incoming, dict):
        known = {f.name for f in sdef.form.fields}       # a schema judges keys it does not list
        merged.update({k: v for k, v in incoming.items() if k not in known})
    return merged


def _validate(sdef, data, applicant, *, draft, editor=None):
    from app.defs.validate import validate_data
    clean, errors = validate_data(sdef.form, data, applicant=applicant_view(applicant),
                                  drafts=draft, editor=editor.username if editor else None)
    if draft:
        errors = _draft_errors(sdef, errors)
    if errors:
        raise Invalid("表单填写有误，请检查标出的字段", fields=errors)
    return clean


def _draft_errors(sdef, errors: dict) -> dict:
    """A draft keeps whatever was typed (validation is for 提交); only references that must
    not be taken over — attachments that are not the applicant's — still refuse it."""
    kept = {}
    for key, messages in errors.items():
        field = sdef.form.field(key.split(".")[0])
        if field is not None and field.columns and key.count(".") == 2:
            field = next((c for c in field.columns if c.name == key.split(".")[2]), field)
        if field is None or field.type == "file":
            kept[key] = messages
    return kept


def initial_data(sdef, applicant, now=None) -> dict:
    """Defaults and autofilled values a new form starts with."""
    from plugins.autofill import autofill
    data = {f.name: f.default for f in sdef.form.input_fields() if f.default is not None}
    data.update(autofill(sdef.form, applicant, now or datetime.now()))
    return data


# ---------------------------------------------------------------- starting

def check_can_start(service: Service, sdef, user) -> None:
    if not service.enabled:
        raise NotAllowed("该服务已停用")
    if user.type not in sdef.audience:
        raise NotAllowed("您没有权限发起该流程")


def start(service: Service, applicant: User, data: dict | None, *, submit=True,
          idempotency_key: str | None = None, serial: int | None = None) -> Instance:
    """Create an instance of the service's latest version, as a draft or submitted.

    ``serial``: a 流水号 reserved earlier with ``next_serial`` (the form showed it while
    filling); used when still free."""
    key = f"{applicant.id}:{idempotency_key}"[:200] if idempotency_key else None
    if key:
        existing = Instance.get_or_none(Instance.idempotency_key == key)
        if existing:
            return existing
    from app.models import ServiceVersion
    found = getattr(service, "_latest", None) or rows.LATEST_VERSION.execute(
        service=service.id).fetchone()
    if found is None:
        raise NotFound("该服务尚未发布")
    version = ServiceVersion(id=found[0], digest=found[1])
    sdef = service_def(version)
    check_can_start(service, sdef, applicant)
    first = sdef.steps[0]
    merged = _merge(initial_data(sdef, applicant), data, editable_fields(sdef, first), sdef)
    clean = _validate(sdef, merged, applicant, draft=not submit)
    try:
        with write_transaction():
            now = utcnow()
            if not serial or Instance.select().where(Instance.serial == serial).exists():
                serial = next_serial()
            instance = rows.INSERT_INSTANCE.create(
                serial=serial, service=service, version=version.id, applicant=applicant,
                title=render_title(sdef.title, service=sdef.name, user=applicant, data=clean,
                                   serial=serial, form=sdef.form),
                status=S.DRAFT, step=first.id, data=clean, idempotency_key=key,
                created=now, updated=now)
            instance._service_def = (version.id, sdef)
            move = machine.begin(machine.Case(instance, applicant, sdef),
                                 A.SUBMIT if submit else A.SAVE_DRAFT)
            _claim_attachments(instance, clean, sdef)
            if submit:
                _submit(instance, sdef, applicant, now)
            else:
                _record(instance, first, A.SAVE_DRAFT, applicant, now)
            machine.finish(instance, move)
    except peewee.IntegrityError:
        if key:
            existing = Instance.get_or_none(Instance.idempotency_key == key)
            if existing:
                return existing
        raise
    return instance


def save_draft(instance: Instance, user: User, data: dict) -> Instance:
    return _applicant_update(instance, user, data, submit=False)


def submit(instance: Instance, user: User, data: dict | None) -> Instance:
    """Submit a draft, or resubmit after 退回."""
    return _applicant_update(instance, user, data, submit=True)


def _applicant_update(instance, user, data, *, submit):
    sdef = service_def(instance)
    first = sdef.steps[0]
    move = machine.begin(machine.Case(instance, user, sdef), A.SUBMIT if submit else A.SAVE_DRAFT)
    merged = _merge(instance.data, data, editable_fields(sdef, first), sdef)
    clean = _validate(sdef, merged, user, draft=not submit)
    with write_transaction():
        fresh = _lock(instance)
        fresh.applicant = user
        if fresh.status != instance.status or fresh.revision != instance.revision:
            raise Conflict("该申请已在别处被修改，请刷新后重试")
        now = utcnow()
        fresh.data = clean
        fresh.title = render_title(sdef.title, service=sdef.name, user=user, data=clean,
                                   serial=fresh.serial, form=sdef.form)
        _claim_attachments(fresh, clean, sdef)
        if submit:
            if fresh.status == S.RETURNED:
                _claim_task(fresh, user, A.SUBMIT, now)
            _submit(fresh, sdef, user, now)
        else:
            _record(fresh, first, A.SAVE_DRAFT, user, now)
            _save(fresh, now)
        machine.finish(fresh, move)
    return fresh


def _submit(instance, sdef, user, now):
    first = sdef.steps[0]
    if instance.status == S.DRAFT:
        rows.add_task(instance, step=first.id, step_name=first.name, assignee=user,
                      status=TaskStatus.DONE, action=A.SUBMIT, created=now, acted=now)
        instance.submitted = now
        instance.due = due_date(now, sdef.time_limit)
    _record(instance, first, A.SUBMIT, user, now)
    history.snapshot(instance, user, now)
    _advance(instance, sdef, 0, now)


# ---------------------------------------------------------------- acting

def act(instance: Instance, user: User, action: str, *, opinion: str = "",
        data: dict | None = None, to_step: str | None = None,
        to_user: str | None = None, expected_step: str | None = None,
        field_notes: dict | None = None, to_users: list | None = None,
        position: str | None = None) -> Instance:
    """approve | return | terminate | transfer by an assignee; withdraw by the applicant.

    ``expected_step`` is the step the user saw: if the item moved on since (someone else
    acted), the action is refused with ``Conflict`` instead of landing on the next step.
    """
    opinion = (opinion or "").strip()
    if len(opinion) > 2000:
        raise Invalid("意见最多2000个字", fields={"opinion": ["最多可输入2000个字"]})
    if action == A.WITHDRAW:
        return withdraw(instance, user)
    if action == A.SUBMIT:
        return submit(instance, user, data)
    if action == A.REMIND:
        return history.remind(instance, user)
    if action == A.ADD_SIGNER:
        return signers.add_signer(instance, user, to_users, position, opinion, expected_step)
    if action not in (A.APPROVE, A.RETURN, A.TERMINATE, A.TRANSFER):
        raise Invalid(f"未知的操作 {action}", fields={"action": ["未知的操作"]})
    with write_transaction():
        fresh = _lock(instance)
        if expected_step and fresh.step != expected_step:
            raise Conflict("该事项已被处理或已流转到下一步，请刷新查看")
        now = utcnow()
        case = machine.Case(fresh, user, task=(          # a decision claims the to-do at once
            (lambda: rows.open_task(fresh, user)) if action == A.TRANSFER
            else lambda: rows.claim_own_task_row(fresh, user, action, now)))
        move = machine.begin(case, action)               # a refusal rolls the claim back
        sdef, step, task = case.sdef, case.step, case.task
        _check_input(step, action, opinion, to_step, sdef)
        if action == A.TRANSFER:
            handover.transfer(fresh, step, task, user, to_user, opinion, now)
        else:
            _decide(fresh, sdef, step, task, user, action, now, opinion, data, to_step,
                    field_notes)
        machine.finish(fresh, move)
    return fresh


def _decide(fresh, sdef, step, task, user, action, now, opinion, data, to_step, field_notes):
    """通过, 退回 or 终止 on the claimed ``task``."""
    if action == A.APPROVE and editable_fields(sdef, step):
        merged = _merge(fresh.data, data, editable_fields(sdef, step), sdef)
        fresh.data = _validate(sdef, merged, fresh.applicant, draft=False, editor=user)
    notes = history.clean_notes(sdef, fresh, user, field_notes) if action == A.RETURN else None
    _record(fresh, step, action, user, now, opinion, notes=notes, on_behalf_of=task.on_behalf_of)
    if action == A.APPROVE and task.added == "before":
        signers.after_before_signer(fresh, step, task, now)
    elif action == A.APPROVE:
        _after_approve(fresh, sdef, step, now, by=user, parallel=task.added == "parallel")
    elif action == A.RETURN:
        _close_open_tasks(fresh, step, now, by=user)
        _return(fresh, sdef, step, to_step, now, by=user, opinion=opinion)
    else:
        _close_open_tasks(fresh, step, now, by=user)
        _finish(fresh, S.TERMINATED, now)


def _check_input(step, action, opinion, to_step, sdef):
    if action != A.TRANSFER and step.opinion == "required" and not opinion:
        raise Invalid("请填写审批意见", fields={"opinion": ["请填写审批意见"]})
    if action == A.RETURN and to_step and to_step != sdef.steps[0].id:
        if to_step not in step.return_to:
            raise Invalid("不能退回到该步骤", fields={"to_step": ["不能退回到该步骤"]})


def _after_approve(instance, sdef, step, now, by=None, parallel=False):
    """会签 (all) waits for every open to-do of the step; 或签 (any) closes the others.
    A step with 并行加签 signers waits for all of them, whatever its mode."""
    still_open = rows.open_on_step(instance, step.id)         # (id, assignee id, added)
    cosign = step.mode == "all" or parallel or any(t[2] == "parallel" for t in still_open)
    if cosign:
        if still_open:
            _save(instance, now)
            return
    else:
        _close_open_tasks(instance, step, now, by=by, others=still_open)
    _advance(instance, sdef, sdef.step_index(step.id), now)


def _return(instance, sdef, step, to_step, now, by=None, opinion=""):
    first = sdef.steps[0]
    if not to_step or to_step == first.id:
        task = Task.create(instance=instance, step=first.id, step_name=first.name,
                           assignee=instance.applicant, created=now, due=instance.due)
        instance.status = S.RETURNED
        instance.step = first.id
        _save(instance, now)
        events.emit("returned", instance=instance, task=task, by=by, opinion=opinion)
        return
    _activate(instance, sdef, sdef.step(to_step), now)


def withdraw(instance: Instance, user: User) -> Instance:
    """撤回: the applicant takes a submitted item back before anyone has acted on it."""
    with write_transaction():
        fresh = _lock(instance)
        case = machine.Case(fresh, user)
        move = machine.begin(case, A.WITHDRAW)
        now = utcnow()
        _close_open_tasks(fresh, case.step, now, by=user)
        _record(fresh, case.step, A.WITHDRAW, user, now)
        _finish(fresh, S.TERMINATED, now)
        machine.finish(fresh, move)
    return fresh


# ---------------------------------------------------------------- routing

def _advance(instance, sdef, after_index, now):
    """Enter the next step whose ``when`` holds, or complete."""
    applicant = instance.applicant
    for step in sdef.steps[after_index + 1:]:
        if step_applies(step, applicant, instance.data):
            _activate(instance, sdef, step, now)
            return
    _finish(instance, S.COMPLETED, now)


def _activate(instance, sdef, step, now):
    ctx = assignees.Context(applicant=instance.applicant, data=instance.data)
    people = assignees.resolve(step.by, ctx)
    if not people:
        raise NoAssignee(f"步骤“{step.name}”没有可办理人，请联系管理员",
                         fields={"step": [f"步骤“{step.name}”的办理人为空"]})
    people, why = duties.screen(step, sdef, instance, ctx, people)
    if why:
        _record(instance, step, A.ESCALATE if people else A.SKIP, None, now, detail=why)
    if not people:                                # self_approval: skip, nobody else left
        _advance(instance, sdef, sdef.step_index(step.id), now)
        return
    deputies = delegates_for(people, sdef.id, now)
    todo, holders = [], set()
    for person in people:
        holder = deputies.get(person.id, person)
        if holder is not person and not duties.deputy_allowed(holder, instance):
            _record(instance, step, A.ESCALATE, None, now,
                    detail=f"{duties.REASON}，委托未生效，仍由{person.name}办理")
            holder = person
        if holder.id in holders:                  # a deputy for two assignees gets one to-do
            continue
        holders.add(holder.id)
        todo.append(dict(step=step.id, step_name=step.name, assignee=holder, created=now,
                         due=instance.due,
                         on_behalf_of=person.id if holder is not person else None))
    cc = [dict(step=step.id, step_name=step.name, assignee=person, kind="cc", status=TaskStatus.CC,
               created=now) for person in _copied(step, ctx, people)]
    made = rows.flush_tasks(instance, todo + cc)         # one INSERT with any still buffered
    created, copies = made[:len(todo)], made[len(todo):]
    instance.status = S.RUNNING
    instance.step = step.id
    _save(instance, now)
    for task in created:
        events.emit("task_created", instance=instance, task=task)
    for task in copies:
        events.emit("cc_created", instance=instance, task=task)


def _copied(step, ctx, assignees_) -> list:
    """抄送: each copied user once, leaving out those who already hold a to-do here."""
    seen, out = {u.id for u in assignees_}, []
    for spec in step.cc:
        for person in assignees.resolve(spec, ctx):
            if person.id not in seen:
                seen.add(person.id)
                out.append(person)
    return out


def _finish(instance, status, now):
    instance.status = status
    instance.step = None
    instance.finished = now
    if status == S.COMPLETED:
        rows.INSERT_RECORD.run(instance=instance.id, step="end", step_name="完成",
                               action=A.COMPLETE, user=None, at=now)
    _save(instance, now)
    events.emit("finished", instance=instance, status=status)


# ---------------------------------------------------------------- rows

_lock, _claim_task = rows.lock, rows.claim_task
_close_open_tasks, _record, _save = rows.close_open_tasks, rows.record, rows.save


def _claim_attachments(instance, data, sdef):
    from app.models import Attachment
    tokens = [t for f in sdef.form.fields if f.type == "file" for t in (data.get(f.name) or [])]
    if tokens:
        (Attachment.update(instance=instance)
         .where(Attachment.token.in_(tokens), Attachment.owner == instance.applicant_id)
         .execute())


def get_instance(serial) -> Instance:
    serial = parse_serial(serial)
    instance = Instance.get_or_none(Instance.serial == serial) if serial else None
    if instance is None:
        raise NotFound("事项不存在")
    return instance
