"""Who is calling the API: a bearer token, or the browser session (with CSRF on writes).

The blueprint is exempted from CSRFProtect's automatic check because token callers carry no
CSRF token; session callers are checked here instead, so a cookie alone never authorises a
write.
"""
from functools import wraps

from flask import current_app, g, request
from flask_login import current_user

from app.people.directory import user_for_token
from app.web.errors import error_response

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def unauthorized(message="请先登录或提供有效的 API 令牌"):
    response, status = error_response(401, "unauthorized", message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="onehall"'
    return response, status


def password_change_required():
    """A token or session of an account still on its initial password reaches nothing."""
    return error_response(403, "password_change_required", "账号尚未激活：请先登录网站修改初始密码")


def authenticate():
    """``before_request`` hook: set ``g.api_user`` (or None) or answer 401/403 at once."""
    g.api_user = None
    header = request.headers.get("Authorization")
    if header is not None:
        return _from_token(header)
    if current_user.is_authenticated:
        return _from_session(current_user._get_current_object())
    return None


def _from_token(header):
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return unauthorized("Authorization 头应为 “Bearer 令牌”")
    user = user_for_token(token.strip())
    if user is None:
        return unauthorized("API 令牌无效或已停用")
    if not user.activated:
        g.refused_user = user                # named in the audit record of the denial
        return password_change_required()
    g.api_user = user
    return None


def _from_session(user):
    if not user.activated:
        return password_change_required()
    if request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        from app.extensions import csrf
        csrf.protect()                      # raises CSRFError → 400 JSON
    g.api_user = user
    return None


def login_required(view):
    """401 unless the caller authenticated; the view reads the user from ``caller()``."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("api_user") is None:
            return unauthorized()
        return view(*args, **kwargs)
    return wrapped


def caller():
    return g.api_user
