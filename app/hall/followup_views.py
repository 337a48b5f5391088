"""POST /instances/<流水号>/followup: a dept_admin answers a 差评回访 (the reply the applicant reads)."""
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.web import lookups
from app.engine.exceptions import EngineError
from app.hall import followups
from app.hall.routes import bp


@bp.route("/instances/<int:serial>/followup", methods=["POST"])
@login_required
def followup_reply(serial):
    user = current_user._get_current_object()
    inst = lookups.visible_instance(serial, user)
    try:
        followups.close(inst, user, request.form.get("reply", ""))
    except EngineError as e:
        flash(e.message, "error")
        return redirect(url_for("center.instance", serial=serial) + "#followup")
    flash(_("回访答复已发送给申请人"), "success")
    return redirect(url_for("center.instance", serial=serial) + "#followup")


@bp.app_template_global()
def followup_view(inst):
    """The 差评回访 block of an instance page (see hall/_followup.html)."""
    return followups.view(inst, current_user._get_current_object())
