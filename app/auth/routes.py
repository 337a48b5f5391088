"""Login, logout and the password change the initial password leads to."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from app import audit
from app.auth import sessions
from app.auth.attempts import attempt, failure_message
from app.auth.forms import LoginForm, PasswordForm
from app.auth.policy import RULE_TEXT, password_problem
from app.auth.sso import providers
from app.models import User
from app.people.passwords import login_password_ok
from app.people.roles import is_admin
from app.web.urls import safe_next  # noqa: F401  (auth.routes.safe_next stays importable)

bp = Blueprint("auth", __name__, template_folder="templates")

ALLOWED_WHILE_INACTIVE = {"auth.password", "auth.logout", "static"}


@bp.before_app_request
def require_activation():
    """A session opened with the initial password reaches only the change-password page
    (the API answers such a session with 403 password_change_required itself)."""
    if (current_user.is_authenticated and not current_user.activated
            and request.endpoint not in ALLOWED_WHILE_INACTIVE
            and not request.path.startswith("/api/")):
        return redirect(url_for("auth.password"))


def find_user(username: str):
    return User.get_or_none(User.username == username.strip())


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        user = find_user(username)
        outcome = attempt(username, lambda: login_password_ok(user, form.password.data))
        if outcome.ok and sso_only() and not is_admin(user):
            audit.record("login_failed", user, "密码登录仅限管理员（SSO_ONLY）")
            flash(_("本站请使用统一身份认证登录，密码登录仅限管理员"), "error")
        elif outcome.ok:
            sessions.start(user, remember=form.remember.data)
            audit.record("login", user, "密码登录")
            if not user.activated:
                flash(_("首次登录，请修改初始密码"), "info")
                return redirect(url_for("auth.password", next=request.args.get("next")))
            return redirect(safe_next(request.args.get("next")))
        else:
            audit.record("login_failed", user, _failure_detail(user, outcome), username=username)
            flash(failure_message(_("用户名或密码错误"), outcome), "error")
    return render_template("auth/login.html", form=form, **login_choices())


def sso_only() -> bool:
    return bool(current_app.config["SSO_ONLY"] and providers())


def login_choices() -> dict:
    """统一身份认证 buttons, and whether the password form is shown (SSO_ONLY: behind
    管理员登录, ``?local=1``)."""
    local = not sso_only() or request.args.get("local") == "1" or request.method == "POST"
    return {"sso_providers": providers(), "show_password_form": local,
            "next": safe_next(request.args.get("next"))}


def _failure_detail(user, outcome) -> str:
    if outcome.message:
        return "已锁定：" + str(outcome.message)
    return "密码错误" if user is not None else "用户名不存在"


@bp.route("/logout", methods=["POST"])
def logout():
    via = session.get("via")
    sessions.end()
    if via == "cas" and current_app.config.get("CAS_SERVER_URL"):
        from app.auth.cas import logout_url
        return redirect(logout_url())              # ends the CAS session too
    return redirect(url_for("hall.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        outcome = attempt(user.username, lambda: login_password_ok(user, form.old_password.data))
        if not outcome.ok:
            form.old_password.errors.append(failure_message(_("原密码不正确"), outcome))
        elif problem := password_problem(user, form.new_password.data):
            form.new_password.errors.append(problem)
        else:
            sessions.set_password(user, form.new_password.data)
            sessions.end_all(user, keep_current=True)
            login_user(user)                  # the identity now carries the new epoch
            flash(_("密码已修改，其他设备上的登录已退出"), "success")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/password.html", form=form, rule_text=RULE_TEXT)


from app.auth import account_views, cas, oidc, recovery_views  # noqa: E402,F401  (routes on bp)
