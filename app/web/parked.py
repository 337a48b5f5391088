"""A form survives an ended session (SPEC §8.3).

A form POSTed after its session ended — signed out in another tab, idle too long, or with a
CSRF token its session no longer knows — is not answered with a 400 page. If the POST comes
from our own pages (Origin, else Referer), its values and chosen files are *parked*: kept on
disk under UPLOAD_DIR/parked/<token>/ for PARK_HOURS, the token in an HttpOnly cookie. The
browser is sent to sign in (or straight back, when the session is fine and only the token
was stale) and the form page, opened again by the same person, shows everything as it was;
the files become that person's pending attachments. Only a form whose author the signed
session cookie still names (an idle session's user, or ``ended_user`` left by signing out) is
parked, and it is restored once, to that user only, on the page it came from.
"""
import json
import os
import re
import secrets
import shutil
import time

from flask import after_this_request, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage, MultiDict

COOKIE = "onehall_parked"
PARK_HOURS = 6
MAX_PARKED = 500
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
BACK = {"hall.start": lambda args: url_for("hall.start", slug=args["slug"]),
        "center.edit": lambda args: url_for("center.instance", serial=args["serial"]),
        "center.act": lambda args: url_for("center.instance", serial=args["serial"])}


def init_app(app):
    """Runs before CSRFProtect's check (registered first), so a stale POST is parked, not refused."""
    app.before_request(_park_stale_post)


def _park_stale_post():
    if request.method != "POST" or request.endpoint not in BACK or request.view_args is None:
        return None
    signed_in = current_user.is_authenticated
    if signed_in and _csrf_ok():
        return None
    if not _same_origin():
        return None                      # CSRFProtect refuses it as before
    user_id = current_user.id if signed_in else _known_user_id()
    if user_id is None:
        return None                      # nobody's form: nothing is kept for strangers
    token = _park(user_id)
    back = BACK[request.endpoint](request.view_args)
    _audit(signed_in)
    if signed_in:
        flash(_("页面已过期，已为您保留填写的内容和所选的附件，请核对后重新提交"), "info")
        response = redirect(back, 303)
    else:
        flash(_("登录已失效，您填写的内容和所选的附件已保留，请重新登录后继续"), "info")
        response = redirect(url_for("auth.login", next=back), 303)
    response.set_cookie(COOKIE, token, max_age=PARK_HOURS * 3600, httponly=True, samesite="Lax",
                        secure=request.is_secure, path="/")
    return response


def _csrf_ok() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    from flask_wtf.csrf import ValidationError, validate_csrf
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def _same_origin() -> bool:
    from urllib.parse import urlsplit
    ours = urlsplit(request.host_url)
    claimed = request.headers.get("Origin") or request.headers.get("Referer") or ""
    theirs = urlsplit(claimed)
    return bool(claimed) and (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)


def _known_user_id():
    """Whose form it was, when the (expired or signed-out) session still says so."""
    raw = session.get("_user_id") or session.get("ended_user")
    try:
        return int(str(raw).split(":")[0]) if raw else None
    except ValueError:
        return None


def _audit(signed_in) -> None:
    from app import audit
    if "csrf_failure" in getattr(audit, "KINDS", ()):
        try:
            audit.record("csrf_failure", current_user if signed_in else None,
                         f"{request.method} {request.path}: 会话已结束，表单已保留")
        except Exception:
            current_app.logger.exception("could not record a CSRF failure")


def _folder(token=None) -> str:
    base = os.path.join(current_app.config["UPLOAD_DIR"], "parked")
    return os.path.join(base, token) if token else base


def _park(user_id) -> str:
    _sweep()
    token = secrets.token_urlsafe(24)
    folder = _folder(token)
    os.makedirs(folder)
    files = []
    for i, (field, upload) in enumerate(request.files.items(multi=True)):
        if not upload or not upload.filename or getattr(upload.stream, "overflow", False):
            continue
        stored = f"f{i}"
        upload.save(os.path.join(folder, stored))
        files.append([field, upload.filename, stored])
    form = [[k, v] for k, v in request.form.items(multi=True) if k != "csrf_token"]
    with open(os.path.join(folder, "form.json"), "w", encoding="utf-8") as out:
        json.dump({"back": BACK[request.endpoint](request.view_args), "user": user_id,
                   "at": time.time(), "form": form, "files": files}, out, ensure_ascii=False)
    return token


def _sweep() -> None:
    base = _folder()
    if not os.path.isdir(base):
        return
    entries = sorted((os.path.getmtime(os.path.join(base, n)), n) for n in os.listdir(base))
    cutoff = time.time() - PARK_HOURS * 3600
    for i, (mtime, name) in enumerate(entries):
        if mtime < cutoff or i < len(entries) - MAX_PARKED + 1:
            shutil.rmtree(os.path.join(base, name), ignore_errors=True)


class Parked:
    def __init__(self, folder, entry):
        self.folder, self.form = folder, MultiDict(entry["form"])
        self.files = entry["files"]

    def uploads(self, field_name):
        for field, filename, stored in self.files:
            if field == field_name:
                with open(os.path.join(self.folder, stored), "rb") as handle:
                    yield FileStorage(handle, filename=filename)


def claim(user):
    """The form parked for this page by ``user`` (removed as it is handed over), or None.
    A form parked for another page stays parked until its page is opened."""
    token = request.cookies.get(COOKIE, "")
    if not token:
        return None
    folder = _folder(token) if TOKEN.match(token) else None
    try:
        with open(os.path.join(folder, "form.json"), encoding="utf-8") as handle:
            entry = json.load(handle)
    except (TypeError, OSError, ValueError):
        entry = None
    if entry is not None and entry.get("back") != request.path:
        return None

    @after_this_request
    def _forget(response):
        response.delete_cookie(COOKIE, path="/")
        return response

    if entry is None:
        return None
    if entry.get("user") != user.id:
        shutil.rmtree(folder, ignore_errors=True)        # not theirs: never shown to anyone
        return None
    return Parked(folder, entry)


def restore(sdef, user, editable, previous):
    """(formdata, posted) of the form parked for this page, its files saved again as the
    user's pending attachments; (None, None) when there is none."""
    parked = claim(user)
    if parked is None:
        return None, None
    from app.storage.attachments import AttachmentError, save_upload
    from app.web.webforms import pending_tokens
    from renderers.form import parse_submission
    tokens = {}
    try:
        for field in sdef.form.fields:
            if field.type != "file" or field.name not in editable:
                continue
            kept = pending_tokens(user, field, parked.form.getlist(f"{field.name}-keep"))
            for upload in parked.uploads(field.name):
                try:
                    kept.append(save_upload(upload, field, user).token)     # the app's storage (STORAGE_URL)
                except AttachmentError:
                    pass
            tokens[field.name] = kept
        posted = parse_submission(sdef.form, parked.form, tokens, editable=editable, previous=previous)
    finally:
        shutil.rmtree(parked.folder, ignore_errors=True)
    flash(_("已恢复您之前填写的内容和所选的附件，请核对后提交"), "success")
    return parked.form, posted
