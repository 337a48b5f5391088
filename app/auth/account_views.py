"""个人信息 and 密保设置: pages about the signed-in user's own account."""
from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.attempts import attempt, failure_message
from app.auth.forms import SecurityQuestionForm
from app.auth.recovery import question_of, set_question
from app.auth.routes import bp
from app.people.directory import id_card_for
from app.people.idcards import mask_id_card
from app.people.passwords import login_password_ok


@bp.route("/me/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Masked ID card by default; the owner may reveal it with a POST (never via the URL)."""
    user = current_user._get_current_object()
    reveal = request.method == "POST"
    id_card = id_card_for(user, user) if reveal else mask_id_card(user.id_card)
    response = make_response(render_template("auth/profile.html", person=user, id_card=id_card,
                                             revealed=reveal, question=question_of(user),
                                             questions_enabled=_questions_enabled()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/me/security", methods=["GET", "POST"])
@login_required
def security_question():
    if not _questions_enabled():
        abort(404)
    user = current_user._get_current_object()
    form = SecurityQuestionForm()
    if request.method == "GET" and question_of(user):
        form.question.data = question_of(user)
    if form.validate_on_submit():
        outcome = attempt(user.username, lambda: login_password_ok(user, form.password.data))
        if outcome.ok:
            set_question(user, form.question.data, form.answer.data)
            flash(_("密保问题已设置"), "success")
            return redirect(url_for("auth.profile"))
        form.password.errors.append(failure_message(_("当前密码不正确"), outcome))
    return render_template("auth/security.html", form=form, current=question_of(user))


def _questions_enabled() -> bool:
    return bool(current_app.config.get("RECOVERY_QUESTIONS_ENABLED", True))
