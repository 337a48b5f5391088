"""Server-side sessions: the signed Flask cookie carries a random id, the database says
whether it is still good. Logout, a password change or a reset revoke the rows, so a copied
cookie stops working at once.

记住我 is a permanent session cookie (PERMANENT_SESSION_LIFETIME) bound to a row like any
other; Flask-Login's own remember cookie is never issued.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user, logout_user

from app.db import write_transaction
from app.models import User, utcnow
from app.models.accounts import AccountSession
from app.people.passwords import hash_password
from app.db.prepared import PreparedQuery

TOUCH_EVERY = timedelta(seconds=60)


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def start(user: User, remember: bool = False, via: str | None = None,
          sso_ticket: str | None = None) -> None:
    """Sign ``user`` in on a fresh session: only the CSRF secret of the page they signed in
    from survives (the session id is new, so a cookie planted before login gains nothing).

    ``via`` names the 统一身份认证 used ("cas", "oidc"); ``sso_ticket`` is the CAS ticket the
    server's single-logout request will name."""
    csrf_secret = session.get("csrf_token")
    session.clear()
    if csrf_secret:
        session["csrf_token"] = csrf_secret
    sid = secrets.token_urlsafe(32)
    AccountSession.create(sid_hash=_digest(sid), user=user, remember=remember,
                          sso_ticket=_digest(sso_ticket) if sso_ticket else None)
    session["sid"] = sid
    if via:
        session["via"] = via
    session.permanent = remember
    login_user(user)


def end() -> None:
    sid = session.get("sid")
    if sid:
        with write_transaction():
            AccountSession.update(revoked=True).where(AccountSession.sid_hash == _digest(sid)).execute()
    ended = session.get("_user_id")
    logout_user()
    session.clear()
    if ended:
        session["ended_user"] = ended     # whose form a later stale POST was (app/web/parked.py)


def end_by_sso_ticket(ticket: str) -> int:
    """The CAS server's single logout: revoke the session opened with ``ticket``."""
    with write_transaction():
        return (AccountSession.update(revoked=True)
                .where(AccountSession.sso_ticket == _digest(ticket)).execute())


def end_all(user: User, keep_current: bool = False) -> int:
    """Revoke every session of ``user`` (but the current one when ``keep_current``)."""
    query = AccountSession.update(revoked=True).where(
        (AccountSession.user == user) & (AccountSession.revoked == False))  # noqa: E712
    sid = session.get("sid") if has_request_context() else None
    if keep_current and sid:
        query = query.where(AccountSession.sid_hash != _digest(sid))
    with write_transaction():
        return query.execute()


def set_password(user: User, new: str, reset_by: str = "") -> None:
    """Store a new password and void old identities; the owner is notified in the same
    transaction — of a change, or with ``reset_by`` (how it was proven: 密保问题, 短信验证码)
    of a reset — and the audit event (``password_change`` / ``password_reset``) commits with it."""
    from app import audit
    from app.notify.account import PASSWORD_CHANGED, PASSWORD_RESET, password_notice
    user.password_hash = hash_password(new)
    user.activated = True
    user.session_epoch += 1           # also voids any old Flask-Login identity
    with write_transaction():
        user.save()
        if reset_by:
            password_notice(user, PASSWORD_RESET, f"通过{reset_by}重置")
            audit.record("password_reset", user, f"通过{reset_by}找回密码")
        else:
            password_notice(user, PASSWORD_CHANGED)
            audit.record("password_change", user)


SESSION_ROW = PreparedQuery(            # every signed-in request asks
    lambda digest: (AccountSession.select(AccountSession, User).join(User)
                    .where(AccountSession.sid_hash == digest).limit(1)),
    digest=str).named("auth.session_row", digest=lambda w: w.session_digest)


def load_user(key: str):
    """Flask-Login's user_loader: the identity ``id:epoch`` AND a live session row."""
    try:
        user_id, epoch = (int(p) for p in key.split(":"))
    except (ValueError, AttributeError):
        return None
    sid = session.get("sid")
    if not sid:
        return None
    row = SESSION_ROW.first(digest=_digest(sid))
    if row is None or row.revoked or row.user_id != user_id or _expired(row):
        return None
    user = row.user
    if not user.is_active or user.session_epoch != epoch:
        return None
    _touch(row)
    return user


def _expired(row) -> bool:
    now = utcnow()
    if row.remember:
        return row.created + current_app.permanent_session_lifetime < now
    return row.last_seen + timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]) < now


def _touch(row) -> None:
    now = utcnow()
    if now - row.last_seen > TOUCH_EVERY:
        AccountSession.update(last_seen=now).where(AccountSession.id == row.id).execute()


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (or PREFER_HTTPS)."""

    def get_cookie_secure(self, app):
        if app.config["SESSION_COOKIE_SECURE"] or app.config.get("PREFER_HTTPS"):
            return True
        return has_request_context() and request.is_secure
