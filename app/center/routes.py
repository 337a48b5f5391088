"""The personal center: the boxes, an instance's page, acting on it, attachments."""
from flask import (Blueprint, abort, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import lookups, parked, webforms
from app.center import people
from app.engine import core, history, queries
from app.engine.context import applicant_view
from app.engine.exceptions import EngineError, Invalid
from app.engine.states import Action as A, Status as S, TaskStatus
from app.hall import catalog, ratings
from app.urls import bounded_int
from app.models import Attachment, Service
from app.templating import N_, translated

bp = Blueprint("center", __name__, template_folder="templates")

BOX_LABELS = {"todo": N_("待办事项"), "in_progress": N_("进行中事项"), "done": N_("已完成事项"),
              "cc": N_("抄送事项"), "drafts": N_("我的申请"), "favorites": N_("我的收藏")}


def box_labels() -> dict:
    """The tabs' names in the request's language (translated once a page)."""
    return {key: translated(label) for key, label in BOX_LABELS.items()}


@bp.before_request
@login_required
def _require_login():
    pass


def get_visible_instance(serial):
    """404 for anyone who is neither a participant nor an admin (existence is not leaked)."""
    return lookups.visible_instance(serial, current_user._get_current_object())


@bp.route("/me/items")
def items():
    box = request.args.get("box", "todo")
    if box not in BOX_LABELS:
        box = "todo"
    q, serial = request.args.get("q", "").strip()[:100], request.args.get("serial", "").strip()[:20]
    page_no = request.args.get("page", 1, type=bounded_int) or 1
    if box == "favorites":
        return _favorites(q, page_no)
    if serial:
        rows, total, page_no = queries.page(queries.serial_search(current_user, serial, q), page_no)
    else:
        rows, total, page_no = queries.box_page(current_user, box, q, page_no)
    steps = queries.current_step_names(rows)
    return render_template("center/items.html", box=box, boxes=box_labels(), rows=rows, total=total,
                           behalf=_deputy_for(rows) if box == "todo" else {},
                           page=page_no, pages=max(1, -(-total // queries.PAGE_SIZE)), q=q,
                           serial=serial, steps=steps, size=queries.PAGE_SIZE,
                           show_ratings=_reads_ratings())


def _deputy_for(rows) -> dict:
    """{instance id: delegator's name} of the to-dos the user holds as someone's deputy (代X)."""
    from app.models import Task, User
    ids = [inst.id for inst in rows]
    if not ids:
        return {}
    return dict(Task.select(Task.instance, User.name).join(User, on=(Task.on_behalf_of == User.id))
                .where(Task.instance.in_(ids), Task.assignee == current_user.id, Task.status == TaskStatus.OPEN)
                .tuples())


BULK_RESULTS = {200: _l("已通过"), 403: _l("无权办理"), 404: _l("未找到此事项"),
                409: _l("已被他人处理")}


@bp.route("/me/items/actions", methods=["POST"])
def bulk_act():
    """批量通过 from 待办: each item on its own (the bulk API's logic), a result per item."""
    from app.batch_approval import bulk_one
    serials = []
    for value in request.form.getlist("serial"):
        if value.isdigit() and int(value) >= 1 and int(value) not in serials:
            serials.append(int(value))
    if not serials:
        flash(_("请先勾选要批量通过的事项"), "error")
        return redirect(url_for(".items", box="todo"))
    user = current_user._get_current_object()
    opinion = request.form.get("opinion", "").strip()[:2000]
    for serial in serials[:100]:
        result = bulk_one(serial, user, A.APPROVE, opinion)
        status, error = result["status"], result["error"] or ""
        if status == 422 and "表单" in error:
            reason = _("需要在办理页面填写表单")
        elif status == 422 and "意见" in error:
            reason = _("需要填写意见")
        elif status in BULK_RESULTS:
            reason = str(BULK_RESULTS[status])
        else:
            reason = error
        flash(_("流水号 %(serial)s：%(result)s", serial=serial, result=reason),
              "success" if status == 200 else "error")
    return redirect(url_for(".items", box="todo"))


def _favorites(q, page_no):
    """我的收藏: the services the user starred, with their ratings (a fixed number of queries)."""
    query = catalog.favorites_query(current_user)
    if q:
        query = query.where(Service.name.contains(q) | Service.department.contains(q) |
                            Service.initials.contains(q.lower()))
    rows, total, page_no = queries.page(query, page_no)
    return render_template("center/favorites.html", box="favorites", boxes=box_labels(), rows=rows,
                           total=total, page=page_no, pages=max(1, -(-total // queries.PAGE_SIZE)),
                           q=q, size=queries.PAGE_SIZE, ratings=catalog.rating_summary(rows),
                           show_ratings=_reads_ratings())


def _reads_ratings() -> bool:
    """Department admins and admins get a link to /ratings (服务评价)."""
    return ratings.departments_for(current_user._get_current_object()) != []


@bp.route("/instances/<int:serial>")
def instance(serial):
    inst = get_visible_instance(serial)
    user = current_user._get_current_object()
    if request.cookies.get(parked.COOKIE):      # a form parked when the session ended: the
        sdef = core.service_def(inst)           # applicant's edit or the approver's 审批 form
        formdata, posted = parked.restore(sdef, user, _editable(sdef, inst, user), inst.data)
        if formdata is not None:
            return _render_instance(inst, formdata=formdata, posted=posted)
    return _render_instance(inst)


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


@bp.route("/instances/<int:serial>/edit", methods=["POST"])
def edit(serial):
    """The applicant saves or submits a draft, or resubmits after 退回."""
    inst = get_visible_instance(serial)
    sdef = core.service_def(inst)
    user = current_user._get_current_object()
    submit, posted = request.form.get("op") == "submit", None
    try:
        editable = core.editable_fields(sdef, sdef.steps[0])
        posted = webforms.submitted_data(sdef, user, editable, inst.data, submit=submit)
        if submit:
            core.submit(inst, user, posted)
            flash(_("已提交"), "success")
        else:
            core.save_draft(inst, user, posted)
            flash(_("草稿已保存，可在“我的申请”中继续填写"), "success")
    except Invalid as e:
        return _render_instance(inst, errors=e.fields or {"_": [e.message]},
                                formdata=request.form, status=422, posted=getattr(e, "data", posted))
    except EngineError as e:
        flash(e.message, "error")
        return redirect(url_for(".instance", serial=serial))
    return redirect(url_for(".instance", serial=serial))


@bp.route("/instances/<int:serial>/act", methods=["POST"])
def act(serial):
    inst = get_visible_instance(serial)
    sdef = core.service_def(inst)
    user = current_user._get_current_object()
    action = request.form.get("action", "")
    posted = None
    try:
        step = sdef.step(inst.step) if inst.step else None
        editable = core.editable_fields(sdef, step) - queries.masked_fields(sdef, inst, user) \
            if step is not None else set()
        if action == A.APPROVE and editable:
            posted = webforms.submitted_data(sdef, user, editable, inst.data, submit=True)
        extra = {}
        if action == A.RETURN:
            notes = {key[5:]: value for key, value in request.form.items()
                     if key.startswith("note-") and value.strip()}
            extra = {"field_notes": notes} if notes else {}
        if action == A.ADD_SIGNER:
            extra = {"to_users": people.signer_usernames(request.form.getlist("to_users")),
                     "position": request.form.get("position") or None}
        core.act(inst, user, action, opinion=_opinion(action), data=posted,
                 to_step=request.form.get("to_step") or None, to_user=request.form.get("to_user") or None,
                 expected_step=request.form.get("step") or None, **extra)
    except Invalid as e:
        return _render_instance(inst, errors=_placed(action, e),
                                formdata=request.form, status=422, posted=getattr(e, "data", posted))
    except EngineError as e:
        if action == A.REMIND:          # 催办 too soon (429) or not allowed: a flash on the page
            from app.templating import field_error
            flash(field_error(e.message), "error")
            return redirect(url_for(".instance", serial=serial))
        flash(e.message, "error")
        return _render_instance(core.get_instance(serial), status=e.status)
    if action == A.REMIND:
        flash(_("已催办，已提醒当前办理人尽快办理"), "success")
        return redirect(url_for(".instance", serial=serial))
    flash(_("已%(action)s", action=_(core.ACTION_LABELS.get(action, action))), "success")
    return redirect(url_for(".instance", serial=serial))


OWN_INPUT = {A.ADD_SIGNER: ("to_users", "position"), A.TRANSFER: ("to_user",)}


def _placed(action, error) -> dict:
    """A refused 加签 or 转办 speaks at its own input, whatever key the engine used."""
    fields = error.fields or {}
    own = OWN_INPUT.get(action)
    if own and not any(key in fields for key in own):
        return {own[0]: [error.message]}
    return fields or {"_": [error.message]}


def _opinion(action) -> str:
    """加签 and 转办 have their own 说明 inputs, so a refused one never refills 审批意见."""
    own = {A.ADD_SIGNER: "signer_opinion", A.TRANSFER: "transfer_opinion"}.get(action)
    if own and own in request.form:
        return request.form.get(own, "")
    return request.form.get("opinion", "")


def _staff_choices(user):
    from app.models import User
    return (User.select(User.username, User.name).where(User.type == "staff", User.is_active == True,  # noqa: E712
                                                        User.id != user.id).order_by(User.username))


@bp.route("/instances/<int:serial>/rate", methods=["POST"])
def rate(serial):
    """评价确认: 1–5 stars and a remark, once, by the applicant of a completed instance."""
    inst = get_visible_instance(serial)
    try:
        ratings.rate(inst, current_user._get_current_object(), request.form.get("stars"),
                     request.form.get("remark", ""))
    except Invalid as e:
        flash(e.message, "error")
        return _render_instance(inst, status=422)
    except EngineError as e:
        flash(e.message, "error")
        return _render_instance(inst, status=e.status)
    flash(_("感谢您的评价"), "success")
    return redirect(url_for(".instance", serial=serial))


@bp.route("/attachments/<token>")
def attachment(token):
    """An uploaded file, to its owner and to those who may see its field on its instance
    (404 to anyone else); always a download under its original name, never sniffed."""
    from app.attachments import AttachmentNotFound, open_attachment
    from app.storage import StorageError
    user = current_user._get_current_object()
    row = Attachment.get_or_none(Attachment.token == str(token)[:64])
    if row is None or not _may_open(row, user):
        abort(404)
    try:
        data, filename = open_attachment(row.token, user)
    except AttachmentNotFound:
        abort(404)
    except StorageError:
        abort(503, description="文件存储暂时不可用，请稍后重试")
    response = send_file(data, as_attachment=True, download_name=filename,
                         mimetype="application/octet-stream")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _may_open(row, user) -> bool:
    if row.owner_id == user.id:
        return True
    if not row.instance_id:
        return False
    inst = row.instance
    if not queries.can_view(inst, user):
        return False
    sdef = core.service_def(inst)
    if row.field in queries.hidden_fields(sdef, inst, user):
        return False
    return row.token in (queries.visible_data(sdef, inst, user).get(row.field) or [])


from app.center import delegations  # noqa: E402,F401  (registers /me/delegations on bp)
