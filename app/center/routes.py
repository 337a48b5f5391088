"""The personal center: an instance's page and acting on it (the boxes are in ``boxes``,
the page's context in ``instance_page``, file downloads in ``downloads``)."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.web import lookups, parked, webforms
from app.center import people
from app.center.instance_page import _editable, _render_instance
from app.engine import core, queries
from app.engine.states import Action as A
from app.engine.exceptions import EngineError, Invalid
from app.hall import ratings

bp = Blueprint("center", __name__, template_folder="templates")


@bp.before_request
@login_required
def _require_login():
    pass


def get_visible_instance(serial):
    """404 for anyone who is neither a participant nor an admin (existence is not leaked)."""
    return lookups.visible_instance(serial, current_user._get_current_object())


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
            from app.web.templating import field_error
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


from app.center import boxes, delegations, downloads  # noqa: E402,F401  (their routes join bp)
