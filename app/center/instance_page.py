"""An instance's page: what the viewer sees, may change and may do, in one template context."""
from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.engine.states import Action as A, Status as S, TaskStatus
from app.web import webforms
from app.center import people
from app.engine import core, history, queries
from app.engine.context import applicant_view
from app.hall import ratings
from app.models import Attachment


def _editable(sdef, inst, user) -> set:
    """The fields ``user`` may change on this page: the applicant's first step while the item
    is his to submit, else those of the step whose to-do he holds (not the ones he sees masked)."""
    if inst.applicant_id == user.id and inst.status in (S.DRAFT, S.RETURNED):
        return core.editable_fields(sdef, sdef.steps[0])
    step = sdef.step(inst.step) if inst.step else None
    if step is None or queries.open_task(inst, user) is None:
        return set()
    return core.editable_fields(sdef, step) - queries.masked_fields(sdef, inst, user)


def _render_instance(inst, errors=None, formdata=None, status=200, posted=None):
    sdef = core.service_def(inst)
    user = current_user._get_current_object()
    task = queries.open_task(inst, user)
    actions = core.available_actions(inst, user, sdef)
    applicant_editing = inst.applicant_id == user.id and A.SUBMIT in actions
    step = sdef.step(inst.step) if inst.step else None
    editable = set()
    if applicant_editing:
        editable = core.editable_fields(sdef, sdef.steps[0])
    elif task is not None and step is not None:
        editable = core.editable_fields(sdef, step) - queries.masked_fields(sdef, inst, user)
    data = queries.visible_data(sdef, inst, user)
    hidden = queries.hidden_fields(sdef, inst, user)
    from app.defs.validate import display_rows
    applicant = applicant_view(inst.applicant)
    records = queries.flow_records(inst)
    ended = _ending(records) if inst.status == S.TERMINATED else None
    notes = _labelled_notes(sdef, inst, hidden) if inst.status == S.RETURNED else []
    context = dict(
        applicant=applicant,
        inst=inst, sdef=sdef, step=step, task=task, applicant_editing=applicant_editing,
        editable=editable, errors=errors or {}, here=applicant_editing or task is not None,
        milestones=_milestones(sdef, inst, ended),
        records=records, behalf=queries.behalf_names(records), tasks=queries.task_table(inst), ended=ended,
        rows=display_rows(sdef.form, inst.data or {}, hidden, applicant=applicant,
                          reveal=queries.may_reveal(inst, user)),
        files=attachment_links(sdef, inst, data),
        wtform=webforms.build(sdef, data, editable, formdata=formdata, posted=posted) if editable else None,
        actions=actions, can_withdraw=A.WITHDRAW in actions,
        approve_completes=task is not None and _approve_completes(sdef, inst, step),
        last_return=_last_return(inst) if inst.status == S.RETURNED else None,
        rating=ratings.rating_of(inst) if inst.status == S.COMPLETED else None,
        can_rate=ratings.can_rate(inst, user),
        error_labels={"opinion": _("审批意见"), "to_user": _("转办给（工号）"), "to_step": _("退回到"),
                      "to_users": _("加签人"), "position": _("加签方式")},
        staff=_staff_choices(user) if A.ADD_SIGNER in actions else (),
        note_fields=_notable(sdef, hidden) if A.RETURN in actions else [],
        field_notes=notes,
        notes_by_field={name: note for name, _label, note in notes},
        changes=_changes(sdef, inst, hidden) if task is not None else [],
        signer_error_index=people.signer_error_index,
        form_values=formdata if formdata is not None else request.form,
    )
    return render_template("center/instance.html", **context), status


def _notable(sdef, hidden):
    """Fields a 退回 may annotate: those the applicant can change when resubmitting."""
    open_to_applicant = core.editable_fields(sdef, sdef.steps[0])
    return [f for f in sdef.form.input_fields() if f.name not in hidden and f.name in open_to_applicant and not f.readonly]


def _labelled_notes(sdef, inst, hidden):
    """[(field, label, note)] of the latest 退回, in the form's order."""
    notes = history.latest_notes(inst)
    return [(f.name, f.label or f.name, notes[f.name]) for f in sdef.form.input_fields()
            if f.name in notes and f.name not in hidden]


def _changes(sdef, inst, hidden):
    """本次修改: what the applicant changed between their last two submissions."""
    numbers = [r.number for r in history.revisions(inst)]
    if len(numbers) < 2:
        return []
    changes = history.revision_diff(sdef, inst, numbers[-2], numbers[-1], hidden,
                                    reveal=queries.may_reveal(inst, current_user))
    names = _file_names(sdef, inst, changes)
    return [dict(c, before=_shown(c["before"], names), after=_shown(c["after"], names)) for c in changes]


def _file_names(sdef, inst, changes) -> dict:
    """{token: filename} of the attachments named in the changes of file fields (and file
    columns), so 本次修改 lists files as people know them, never by storage token."""
    files = {f.name for f in sdef.form.fields if f.type == "file"}
    files |= {f"{f.name}.{c.name}" for f in sdef.form.fields for c in (f.columns or ()) if c.type == "file"}
    tokens = set()
    for c in changes:
        base = c["field"].split(".")[0]
        for value in (c["before"], c["after"]):
            if base in files and isinstance(value, list):
                tokens.update(t for t in value if isinstance(t, str))
            elif isinstance(value, dict):
                for key, cell in value.items():
                    if f"{base}.{key}" in files and isinstance(cell, list):
                        tokens.update(t for t in cell if isinstance(t, str))
    if not tokens:
        return {}
    return dict(Attachment.select(Attachment.token, Attachment.filename)
                .where(Attachment.token.in_(list(tokens)), Attachment.instance == inst).tuples())


def _shown(value, names=None):
    names = names or {}
    if value is None or value == "" or value == []:
        return _("（空）")
    if isinstance(value, dict):
        return "，".join(_shown(v, names) for v in value.values() if v not in (None, "", []))
    if isinstance(value, list):
        return "、".join(names.get(v, str(v)) if isinstance(v, str) else str(v) for v in value)
    return str(value)


def _ending(records):
    """The flow record that ended a terminated instance (终止 or 撤回)."""
    return next((r for r in reversed(records) if r.action in (A.TERMINATE, A.WITHDRAW)), None)


def _milestones(sdef, inst, ended):
    """The engine's milestones; the step where a terminated instance ended shows as ended."""
    items = queries.milestones(sdef, inst)
    if ended is not None:
        for m in items:
            if m["id"] == ended.step:
                m["state"] = "terminated"
            elif m["state"] == "done" and m["id"] != "end" and _after(sdef, m["id"], ended.step):
                m["state"] = "future"
    return items


def _after(sdef, step_id, other_id) -> bool:
    ids = [s.id for s in sdef.steps]
    return step_id in ids and other_id in ids and ids.index(step_id) > ids.index(other_id)


def _approve_completes(sdef, inst, step) -> bool:
    """Whether 通过 here finishes the instance (it then asks for confirmation)."""
    from app.engine.context import step_applies
    from app.models import Task
    if step is None or inst.status != S.RUNNING:
        return False
    if step.mode == "all" and Task.select().where(
            Task.instance == inst, Task.step == step.id, Task.kind == "do",
            Task.status == TaskStatus.OPEN).count() > 1:
        return False
    later = sdef.steps[sdef.step_index(step.id) + 1:]
    return not any(step_applies(s, inst.applicant, inst.data) for s in later)


def attachment_links(sdef, inst, data) -> dict:
    """{file field: [(token, filename)]} of the instance's files among the visible ``data``."""
    tokens = {f.name: [t for t in data.get(f.name) or [] if isinstance(t, str)]
              for f in sdef.form.fields if f.type == "file"}
    wanted = [t for ts in tokens.values() for t in ts]
    if not wanted:
        return {}
    names = dict(Attachment.select(Attachment.token, Attachment.filename)
                 .where(Attachment.token.in_(wanted), Attachment.instance == inst).tuples())
    return {name: [(t, names[t]) for t in ts if t in names] for name, ts in tokens.items()
            if any(t in names for t in ts)}


def _last_return(inst):
    return next((r for r in reversed(queries.flow_records(inst)) if r.action == A.RETURN), None)


def _staff_choices(user):
    from app.models import User
    return (User.select(User.username, User.name).where(User.type == "staff", User.is_active == True,  # noqa: E712
                                                        User.id != user.id).order_by(User.username))
