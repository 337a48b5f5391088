"""What happened to an application's data, and the applicant's side of the conversation.

- revisions: the form data as submitted, once per submission; ``diff`` between two of them
  (rows compare per row; fields the viewer may not see never appear);
- field notes: 退回 with a note at each named field; the latest return's notes;
- 催办 (remind): the applicant nudges the current assignees, at most once an hour per step;
- 再次申请 (prefill): a new application starts from the applicant's last submitted one.
"""
from __future__ import annotations

from datetime import timedelta

from peewee import Select, fn

from app.db import write_transaction
from app.engine import events, machine, rows
from app.engine.exceptions import Invalid, TooMany
from app.engine.queries import hidden_fields
from app.engine.states import Action as A, TaskStatus
from app.db.prepared import Statement
from app.models import FlowRecord, Instance, InstanceRevision, Task, utcnow

MAX_NOTE = 500
REMIND_EVERY = timedelta(hours=1)


# ---------------------------------------------------------------- revisions

def _snapshot_statement(s):
    number = (InstanceRevision.select(fn.COALESCE(fn.MAX(InstanceRevision.number), 0) + 1)
              .where(InstanceRevision.instance == s.instance))
    return InstanceRevision.insert_from(
        Select(columns=[s.instance, number, s.data, s.at, s.by]),
        [InstanceRevision.instance, InstanceRevision.number, InstanceRevision.data,
         InstanceRevision.at, InstanceRevision.by])


SNAPSHOT = Statement(_snapshot_statement, instance=InstanceRevision.instance,
                     data=InstanceRevision.data, at=InstanceRevision.at, by=InstanceRevision.by
                     ).named("engine.history.snapshot", instance=lambda w: w.instance.id,
                             data={"subject": "样例"}, at=lambda w: w.now, by=lambda w: w.user)


def snapshot(instance, user, now) -> None:
    """Keep the submitted data as revision N+1 (inside the submit's transaction), numbered
    and written by one prepared INSERT … SELECT."""
    SNAPSHOT.execute(instance=instance.id, data=dict(instance.data or {}), at=now, by=user.id)


def revisions(instance) -> list:
    """The instance's revisions with who submitted each (one query)."""
    from peewee import JOIN

    from app.models import User
    return list(InstanceRevision.select(InstanceRevision, User)
                .join(User, JOIN.LEFT_OUTER, on=(InstanceRevision.by == User.id))
                .where(InstanceRevision.instance == instance)
                .order_by(InstanceRevision.number))


def diff(sdef, before: dict, after: dict, hidden=frozenset(), reveal: bool = True) -> list[dict]:
    """[{field, label, before, after}] of the visible input fields whose value changed;
    a rows field gives one entry per changed row (``field`` is ``name.index``).
    ``reveal=False`` masks the values of types that mask (compared in full, shown masked)."""
    from plugins.masking import masked_value
    shown = (lambda f, v: v) if reveal else masked_value
    changes = []
    for f in sdef.form.input_fields():
        if f.name in hidden:
            continue
        old, new = (before or {}).get(f.name), (after or {}).get(f.name)
        if old == new:
            continue
        label = f.label or f.name
        if f.columns and (isinstance(old, list) or isinstance(new, list)):
            old, new = old if isinstance(old, list) else [], new if isinstance(new, list) else []
            for i in range(max(len(old), len(new))):
                a = old[i] if i < len(old) else None
                b = new[i] if i < len(new) else None
                if a != b:
                    changes.append({"field": f"{f.name}.{i}", "label": f"{label}（第{i + 1}行）",
                                    "before": shown(f, [a])[0], "after": shown(f, [b])[0]})
        else:
            changes.append({"field": f.name, "label": label,
                            "before": shown(f, old), "after": shown(f, new)})
    return changes


def revision_diff(sdef, instance, first: int, second: int, hidden=frozenset(),
                  reveal: bool = True) -> list[dict]:
    found = {r.number: r for r in InstanceRevision.select().where(
        InstanceRevision.instance == instance, InstanceRevision.number.in_([first, second]))}
    missing = [n for n in (first, second) if n not in found]
    if missing:
        raise Invalid(f"没有第{missing[0]}次提交", fields={"from" if missing[0] == first else "to":
                                                      ["该版本不存在"]})
    return diff(sdef, found[first].data, found[second].data, hidden, reveal)


# ---------------------------------------------------------------- field notes

def clean_notes(sdef, instance, user, notes) -> dict | None:
    """退回 notes keyed by field name: only fields of the form the approver may see."""
    if not notes:
        return None
    if not isinstance(notes, dict):
        raise Invalid("字段批注格式不正确", fields={"field_notes": ["应为 {字段: 批注}"]})
    hidden = hidden_fields(sdef, instance, user)
    names = {f.name for f in sdef.form.input_fields()} - hidden
    out = {}
    for name, note in notes.items():
        if name not in names:
            raise Invalid(f"没有可批注的字段 {name}", fields={f"field_notes.{name}": ["没有这个字段"]})
        text = str(note or "").strip()
        if len(text) > MAX_NOTE:
            raise Invalid("批注过长", fields={f"field_notes.{name}": [f"最多可输入{MAX_NOTE}个字"]})
        if text:
            out[name] = text
    return out or None


def latest_notes(instance, records=None) -> dict:
    """The notes of the latest 退回, or {}; from ``records`` (the instance's flow records in
    order) when the caller has them already."""
    if records is not None:
        returns = [r for r in records if r.action == A.RETURN]
        return dict(returns[-1].notes or {}) if returns else {}
    record = (FlowRecord.select(FlowRecord.notes)
              .where(FlowRecord.instance == instance, FlowRecord.action == A.RETURN)
              .order_by(FlowRecord.id.desc()).first())
    return dict(record.notes or {}) if record is not None else {}


# ---------------------------------------------------------------- 催办

def remind(instance, user) -> Instance:
    """The applicant nudges the current step's assignees; at most once an hour per step."""
    with write_transaction():
        fresh = rows.lock(instance)
        case = machine.Case(fresh, user)
        move = machine.begin(case, A.REMIND)
        now = utcnow()
        recent = (FlowRecord.select().where(
            FlowRecord.instance == fresh, FlowRecord.step == fresh.step,
            FlowRecord.action == A.REMIND, FlowRecord.at > now - REMIND_EVERY).exists())
        if recent:
            raise TooMany("每个步骤每小时只能催办一次，请稍后再试")
        tasks = list(Task.select().where(Task.instance == fresh, Task.step == fresh.step,
                                         Task.kind == "do", Task.status == TaskStatus.OPEN))
        names = "、".join(t.assignee.name for t in tasks)
        rows.record(fresh, case.step, A.REMIND, user, now, detail=f"催办：{names}" if names else "")
        rows.save(fresh, now)
        machine.finish(fresh, move)
        for task in tasks:
            events.emit("reminded", instance=fresh, task=task, by=user)
    return fresh


# ---------------------------------------------------------------- 再次申请

def prefill(service, user, sdef, serial: int | None = None) -> tuple[dict, int | None]:
    """(data, serial): what the applicant typed in their submitted instance ``serial`` of the
    service (default: the latest) — not autofilled fields, not files, not fields marked
    ``reuse: false``."""
    from plugins.fields import FIELD_TYPES
    query = (Instance.select(Instance.serial, Instance.data)
             .where(Instance.service == service, Instance.applicant == user,
                    Instance.submitted.is_null(False)))
    if serial is not None:
        query = query.where(Instance.serial == serial)
    last = query.order_by(Instance.submitted.desc(), Instance.id.desc()).first()
    if last is None:
        return {}, None
    data = {}
    for f in sdef.form.input_fields():
        ftype = FIELD_TYPES.get(f.type) if f.type in FIELD_TYPES else None
        if (f.autofill or f.get("reuse", True) is False or ftype is None
                or ftype.widget == "file" or f.name not in (last.data or {})):
            continue
        value = last.data[f.name]
        if f.columns and isinstance(value, list):
            files = {c.name for c in f.columns if c.type == "file"}
            value = [{k: v for k, v in row.items() if k not in files} for row in value
                     if isinstance(row, dict)]
        data[f.name] = value
    return data, last.serial
