"""The personal center: the boxes, an instance's page, acting on it, attachments."""
from flask import (Blueprint, abort, flash, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app import lookups, webforms
from app.engine import core, queries
from app.engine.context import applicant_view
from app.engine.exceptions import EngineError, Invalid
from app.hall import catalog, ratings
from app.models import Attachment, Service

bp = Blueprint("center", __name__, template_folder="templates")

BOX_LABELS = {"todo": _l("待办事项"), "in_progress": _l("进行中事项"), "done": _l("已完成事项"),
              "cc": _l("抄送事项"), "drafts": _l("我的申请"), "favorites": _l("我的收藏")}


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
    page_no = request.args.get("page", 1, type=int) or 1
    if box == "favorites":
        return _favorites(q, page_no)
    rows, total, page_no = queries.page(queries.search_box(current_user, box, q, serial), page_no)
    steps = queries.current_step_names(rows)
    return render_template("center/items.html", box=box, boxes=BOX_LABELS, rows=rows, total=total,
                           page=page_no, pages=max(1, -(-total // queries.PAGE_SIZE)), q=q,
                           serial=serial, steps=steps, size=queries.PAGE_SIZE,
                           show_ratings=_reads_ratings())


def _favorites(q, page_no):
    """我的收藏: the services the user starred, with their ratings (a fixed number of queries)."""
    query = catalog.favorites_query(current_user)
    if q:
        query = query.where(Service.name.contains(q) | Service.department.contains(q) |
                            Service.initials.contains(q.lower()))
    rows, total, page_no = queries.page(query, page_no)
    return render_template("center/favorites.html", box="favorites", boxes=BOX_LABELS, rows=rows,
                           total=total, page=page_no, pages=max(1, -(-total // queries.PAGE_SIZE)),
                           q=q, size=queries.PAGE_SIZE, ratings=catalog.rating_summary(rows),
                           show_ratings=_reads_ratings())


def _reads_ratings() -> bool:
    """Department admins and admins get a link to /ratings (服务评价)."""
    return ratings.departments_for(current_user) != []


@bp.route("/instances/<int:serial>")
def instance(serial):
    inst = get_visible_instance(serial)
    return _render_instance(inst)


def _render_instance(inst, errors=None, formdata=None, status=200):
    sdef = core.service_def(inst)
    user = current_user._get_current_object()
    task = queries.open_task(inst, user)
    actions = core.available_actions(inst, user, sdef)
    applicant_editing = inst.applicant_id == user.id and "submit" in actions
    step = sdef.step(inst.step) if inst.step else None
    editable = set()
    if applicant_editing:
        editable = core.editable_fields(sdef, sdef.steps[0])
    elif task is not None and step is not None:
        editable = core.editable_fields(sdef, step)
    data = queries.visible_data(sdef, inst, user)
    hidden = queries.hidden_fields(sdef, inst, user)
    from app.defs.validate import display_rows
    applicant = applicant_view(inst.applicant)
    context = dict(
        applicant=applicant,
        inst=inst, sdef=sdef, step=step, task=task, applicant_editing=applicant_editing,
        editable=editable, errors=errors or {}, milestones=queries.milestones(sdef, inst),
        records=queries.flow_records(inst), tasks=queries.task_table(inst),
        rows=display_rows(sdef.form, data, hidden, applicant=applicant,
                          reveal=queries.may_reveal(inst, user)),
        wtform=webforms.build(sdef, data, editable, formdata=formdata) if editable else None,
        actions=actions, can_withdraw="withdraw" in actions,
        last_return=_last_return(inst) if inst.status == "returned" else None,
        rating=ratings.rating_of(inst) if inst.status == "completed" else None,
        can_rate=ratings.can_rate(inst, user),
    )
    return render_template("center/instance.html", **context), status


def _last_return(inst):
    return next((r for r in reversed(queries.flow_records(inst)) if r.action == "return"), None)


@bp.route("/instances/<int:serial>/edit", methods=["POST"])
def edit(serial):
    """The applicant saves or submits a draft, or resubmits after 退回."""
    inst = get_visible_instance(serial)
    sdef = core.service_def(inst)
    user = current_user._get_current_object()
    try:
        editable = core.editable_fields(sdef, sdef.steps[0])
        data = webforms.submitted_data(sdef, user, editable, inst.data)
        if request.form.get("op") == "submit":
            core.submit(inst, user, data)
            flash(_("已提交"), "success")
        else:
            core.save_draft(inst, user, data)
            flash(_("草稿已保存，可在“我的申请”中继续填写"), "success")
    except Invalid as e:
        return _render_instance(inst, errors=e.fields or {"_": [e.message]},
                                formdata=request.form, status=422)
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
    try:
        data = None
        step = sdef.step(inst.step) if inst.step else None
        if action == "approve" and step is not None and core.editable_fields(sdef, step):
            data = webforms.submitted_data(sdef, user, core.editable_fields(sdef, step), inst.data)
        core.act(inst, user, action, opinion=request.form.get("opinion", ""), data=data,
                 to_step=request.form.get("to_step") or None, to_user=request.form.get("to_user") or None,
                 expected_step=request.form.get("step") or None)
    except Invalid as e:
        return _render_instance(inst, errors=e.fields or {"_": [e.message]},
                                formdata=request.form, status=422)
    except EngineError as e:
        flash(e.message, "error")
        return _render_instance(core.get_instance(serial), status=e.status)
    flash(_("已%(action)s", action=_(core.ACTION_LABELS.get(action, action))), "success")
    return redirect(url_for(".instance", serial=serial))


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
    row = Attachment.get_or_none(Attachment.token == token)
    if row is None:
        abort(404)
    allowed = row.owner_id == current_user.id or (
        row.instance_id and queries.can_view(row.instance, current_user))
    if not allowed:
        abort(404)
    from app.attachments import open_attachment
    path, filename = open_attachment(token, current_user._get_current_object())
    return send_file(path, as_attachment=True, download_name=filename,
                     mimetype="application/octet-stream")
from app.center import delegations  # noqa: E402,F401  (registers /me/delegations on bp)
