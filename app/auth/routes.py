"""Login, logout and the password change the initial password leads to."""
from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.forms import LoginForm, PasswordForm
from app.auth.policy import password_problem
from app.models import User
from app.passwords import check_password, hash_password

bp = Blueprint("auth", __name__, template_folder="templates")

ALLOWED_WHILE_INACTIVE = {"auth.password", "auth.logout", "static"}


def safe_next(target: str | None) -> str:
    """Only same-site relative paths: no scheme, no host, no `//evil`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("hall.index")
    parts = urlparse(target)
    if parts.scheme or parts.netloc:
        return url_for("hall.index")
    return target


@bp.before_app_request
def require_activation():
    """A session opened with the initial password reaches only the change-password page."""
    if (current_user.is_authenticated and not current_user.activated
            and request.endpoint not in ALLOWED_WHILE_INACTIVE
            and not request.path.startswith("/api/")):
        return redirect(url_for("auth.password"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = User.get_or_none(User.username == form.username.data.strip())
        password = form.password.data
        if user and user.is_active and check_password(user.password_hash, password):
            login_user(user)
            if not user.activated:
                flash("首次登录，请修改初始密码", "info")
                return redirect(url_for("auth.password", next=request.args.get("next")))
            return redirect(safe_next(request.args.get("next")))
        flash("用户名或密码错误", "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    return redirect(url_for("hall.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not check_password(user.password_hash, form.old_password.data):
            form.old_password.errors.append("原密码不正确")
        else:
            problem = password_problem(user, form.new_password.data)
            if problem:
                form.new_password.errors.append(problem)
            else:
                user.password_hash = hash_password(form.new_password.data)
                user.activated = True
                user.session_epoch += 1
                user.save()
                login_user(user)
                flash("密码已修改", "success")
                return redirect(safe_next(request.args.get("next")))
    return render_template("auth/password.html", form=form)
