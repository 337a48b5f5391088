"""Error pages and JSON errors: never a stack trace to the user."""
from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.engine.exceptions import EngineError

MESSAGES = {400: "请求无效", 403: "没有权限", 404: "页面不存在", 405: "不支持的请求方式",
            409: "冲突", 413: "上传的文件太大", 422: "填写有误", 429: "请求过于频繁",
            500: "服务器内部错误"}


def wants_json():
    return request.path.startswith(("/api/", "/designer/builder/api/"))


def error_response(status, code, message, fields=None):
    if status == 403:
        record_denial(message)
    if wants_json():
        return jsonify(error=code, message=message, fields=fields or {}), status
    return render_template("error.html", status=status, message=message), status


def record_denial(message) -> None:
    """Every 403 is an audit event (``denied``): who, which request, why."""
    from flask import current_app, g
    from flask_login import current_user
    from app import audit
    user = (g.get("api_user") or g.get("refused_user")
            or (current_user if current_user.is_authenticated else None))
    try:
        audit.record("denied", user, f"{request.method} {request.path}: {message}")
    except Exception:                       # the refusal must still go out
        current_app.logger.exception("could not record a permission denial")


def record_csrf_failure(e) -> None:
    """Every CSRF refusal is an audit event (``csrf_failure``): who if known, which path."""
    from flask import current_app
    from flask_login import current_user
    from app import audit
    try:
        user = current_user if current_user.is_authenticated else None
        audit.record("csrf_failure", user, f"{request.method} {request.path}: {e.description}")
    except Exception:                       # the refusal must still go out
        current_app.logger.exception("could not record a CSRF failure")


def init_app(app):
    @app.errorhandler(EngineError)
    def engine_error(e):
        return error_response(e.status, e.code, e.message, e.fields)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        record_csrf_failure(e)
        return error_response(400, "csrf", "页面已过期或请求来源无效，请刷新页面后重试")

    @app.errorhandler(HTTPException)
    def http_error(e):
        custom = e.description and e.description != type(e).description
        message = e.description if custom else MESSAGES.get(e.code, e.name)
        body, status = error_response(e.code, e.name.lower().replace(" ", "_"), message)
        response = app.make_response((body, status))
        if getattr(e, "valid_methods", None):
            response.headers["Allow"] = ", ".join(e.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected(e):
        app.logger.exception("unhandled error on %s", request.path)
        return error_response(500, "internal", MESSAGES[500])
