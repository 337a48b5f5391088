"""找回密码: by 密保问题 or by a one-time SMS code.

Known and unknown accounts get the same answers: "the account, question or answer is
wrong" and "if the account and phone match, a code was sent". Identity checks share the
login's counters (attempts.attempt); the new password is checked against the policy only
after the identity is proven, so the policy's answers cannot be used to probe an account.
"""
import re

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth import sessions, throttle
from app.auth.attempts import attempt, client_address, failure_message
from app.auth.forms import QuestionResetForm, SmsResetForm, SmsSendForm
from app.auth.policy import RULE_TEXT, password_problem
from app.auth.recovery import answer_ok, check_code, decoy_code, issue_code, use_code
from app.auth.routes import bp, find_user
from app.auth.throttle import SMS_ADDRESS_HOUR, SMS_PHONE_HOUR, SMS_PHONE_MINUTE
from plugins.sms import send_sms

# The SMS itself goes out in Chinese, like the notifications.
SMS_TEXT = "【一网通】您正在找回密码，验证码{code}，{minutes}分钟内有效。请勿告诉他人，如非本人操作请忽略。"


def _questions_enabled() -> bool:
    return bool(current_app.config.get("RECOVERY_QUESTIONS_ENABLED", True))


def _page(tab, **forms):
    forms.setdefault("question_form", QuestionResetForm(formdata=None) if _questions_enabled() else None)
    forms.setdefault("send_form", SmsSendForm(formdata=None, username=session.get("reset_username")))
    forms.setdefault("reset_form", SmsResetForm(formdata=None, username=session.get("reset_username")))
    return render_template("auth/forgot.html", tab=tab, rule_text=RULE_TEXT,
                           questions_enabled=_questions_enabled(), **forms)


def _done(user):
    sessions.end_all(user)
    throttle.clear(throttle.LOGIN_ACCOUNT, user.username)
    flash(_("密码已重置，请使用新密码登录"), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot")
def forgot():
    return redirect(url_for("auth.forgot_question" if _questions_enabled() else "auth.forgot_sms"))


@bp.route("/password/forgot/question", methods=["GET", "POST"])
def forgot_question():
    if not _questions_enabled():
        abort(404)
    form = QuestionResetForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        user = find_user(username)
        outcome = attempt(username, lambda: answer_ok(user, form.question.data, form.answer.data))
        if not outcome.ok:
            form.answer.errors.append(failure_message(_("帐号、密保问题或答案不正确"), outcome))
        elif problem := password_problem(user, form.new_password.data):
            form.new_password.errors.append(problem)
        else:
            sessions.set_password(user, form.new_password.data, reset_by="密保问题")
            return _done(user)
    return _page("question", question_form=form)


def phone_digits(phone: str | None) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


@bp.route("/password/forgot/sms", methods=["GET"])
def forgot_sms():
    return _page("sms")


@bp.route("/password/forgot/sms/send", methods=["POST"])
def forgot_sms_send():
    form = SmsSendForm()
    if not form.validate_on_submit():
        return _page("sms", send_form=form)
    username, phone = form.username.data.strip(), phone_digits(form.phone.data)
    for rule, ident in ((SMS_PHONE_MINUTE, phone), (SMS_PHONE_HOUR, phone),
                        (SMS_ADDRESS_HOUR, client_address())):
        verdict = throttle.hit(rule, ident)
        if not verdict.allowed:
            form.phone.errors.append(_too_often(verdict.wait))
            return _page("sms", send_form=form), 429
    user = find_user(username)
    minutes = current_app.config["SMS_CODE_MINUTES"]
    if user is not None and user.is_active and user.phone and phone_digits(user.phone) == phone:
        send_sms(user.phone, SMS_TEXT.format(code=issue_code(user), minutes=minutes),
                 current_app.config)
    else:
        decoy_code()
    session["reset_username"] = username
    flash(ngettext("如果帐号与手机号匹配，验证码已发送到该手机，%(num)s分钟内有效",
                   "如果帐号与手机号匹配，验证码已发送到该手机，%(num)s分钟内有效", minutes), "info")
    return redirect(url_for("auth.forgot_sms"))


@bp.route("/password/forgot/sms", methods=["POST"])
def forgot_sms_reset():
    form = SmsResetForm()
    if form.validate_on_submit():
        user = find_user(form.username.data)
        found = {}
        outcome = attempt(None, lambda: bool(found.setdefault("row", check_code(user, form.code.data))))
        if not outcome.ok:
            form.code.errors.append(outcome.message or _("验证码错误或已失效，请重新获取"))
        elif problem := password_problem(user, form.new_password.data):
            form.new_password.errors.append(problem)
        elif not use_code(found["row"]):
            form.code.errors.append(_("验证码错误或已失效，请重新获取"))
        else:
            sessions.set_password(user, form.new_password.data, reset_by="短信验证码")
            session.pop("reset_username", None)
            return _done(user)
    return _page("sms", reset_form=form)


def _too_often(seconds: int) -> str:
    if seconds < 60:
        return ngettext("验证码发送过于频繁，请%(num)s秒后再试", "验证码发送过于频繁，请%(num)s秒后再试", seconds)
    return ngettext("验证码发送过于频繁，请%(num)s分钟后再试", "验证码发送过于频繁，请%(num)s分钟后再试",
                    (seconds + 59) // 60)
