"""统一身份认证: what CAS and OIDC share once the identity provider has vouched for someone.

The provider modules (``cas.py``, ``oidc.py``) prove who is at the browser and hand over an
``Identity``; this module decides what that identity may do here: the local account with the
same username, or a new one when SSO_PROVISION is on, or a page saying why not. The proof is
one counted attempt of the client address (a forged ticket or a bad token counts like a wrong
password; a locked address is refused before the provider is asked), and every outcome is
written to the audit log.
"""
import logging
import secrets
from dataclasses import dataclass, field

from flask import abort, current_app, redirect, render_template
from flask_babel import gettext as _
from peewee import IntegrityError

from app.auth import sessions
from app.auth.attempts import attempt
from app.db import write_transaction
from app.people.directory import DirectoryError, add_user
from app.models import Department, User
from app.web.urls import safe_next

log = logging.getLogger("onehall.sso")
LABELS = {"cas": "CAS", "oidc": "OIDC"}
PROVISIONED_FIELDS = ("name", "type", "department", "email", "phone")


@dataclass(frozen=True)
class Identity:
    """Someone the identity provider vouched for."""
    username: str
    attributes: dict = field(default_factory=dict)
    ticket: str | None = None          # CAS: the service ticket its single logout will name


class SsoFailure(Exception):
    """The provider's answer cannot be trusted or was not given (forged or replayed ticket,
    wrong state, a bad ID token, the server unreachable). ``reason`` goes to the log and the
    audit record, not to the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def providers(config=None) -> list[str]:
    """The configured identity providers, in the order the login page shows them."""
    config = config or current_app.config
    found = []
    if config.get("CAS_SERVER_URL"):
        found.append("cas")
    if config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"):
        found.append("oidc")
    return found


def require(provider: str) -> None:
    if provider not in providers():
        abort(404)


def sign_in(provider: str, prove, next_url: str):
    """Run ``prove()`` (→ Identity, or SsoFailure) as one counted attempt, then sign the
    identity's account in and go to ``next_url`` (already checked by ``safe_next``)."""
    proof = {}

    def verify() -> bool:
        try:
            proof["identity"] = prove()
            return True
        except SsoFailure as failure:
            proof["failure"] = failure
            return False

    outcome = attempt(None, verify)
    if not outcome.ok:
        reason = proof["failure"].reason if "failure" in proof else str(outcome.message)
        log.warning("%s sign-in refused: %s", LABELS[provider], reason)
        _audit("login_failed", None, f"{LABELS[provider]}：{reason}")
        return refused(outcome.message or _("统一身份认证未通过，请重新登录"), status=400)
    return _complete(provider, proof["identity"], next_url)


def _complete(provider: str, identity: Identity, next_url: str):
    label = LABELS[provider]
    user = User.get_or_none(User.username == identity.username)
    if user is None and not current_app.config["SSO_PROVISION"]:
        _audit("login_failed", None, f"{label}：账号未开通", username=identity.username)
        return _unknown(provider, identity)
    if user is None:
        try:
            user = provision(identity)
        except DirectoryError as problem:
            _audit("login_failed", None, f"{label}：无法开通账号：{problem}", username=identity.username)
            return _unknown(provider, identity, problem=str(problem))
    if not user.is_active:
        _audit("login_failed", user, f"{label}：账号已停用")
        return refused(_("账号已停用，请联系管理员"), status=403)
    if not user.activated:                   # the provider proved who it is: no initial password
        with write_transaction():
            User.update(activated=True).where(User.id == user.id).execute()
        user.activated = True
    sessions.start(user, via=provider, sso_ticket=identity.ticket)
    _audit("login", user, f"{label}统一身份认证登录")
    return redirect(safe_next(next_url))


def _unknown(provider: str, identity: Identity, problem: str | None = None):
    """账号未开通. Behind CAS the browser still holds the CAS session: offer to end it, so
    another person can sign in on this computer."""
    switch = None
    if provider == "cas":
        from app.auth.cas import logout_url
        switch = logout_url()
    return render_template("auth/sso_unknown.html", username=identity.username, problem=problem,
                           switch_url=switch), 403


def provision(identity: Identity) -> User:
    """A new account from the provider's attributes as SSO_ATTRIBUTE_MAP maps them.

    A department that does not exist is reported (DirectoryError), never created; so is a
    type other than staff/student/external. The password is random and never told: the
    account signs in through 统一身份认证 and is activated from the start.
    """
    values = mapped_values(identity.attributes)
    department = values.get("department")
    if department and not Department.select().where(Department.name == department).exists():
        raise DirectoryError(f"部门“{department}”不存在")
    try:
        return add_user(identity.username, name=values.get("name") or identity.username,
                        type=values.get("type") or "external", department_name=department,
                        email=values.get("email"), phone=values.get("phone"),
                        password=secrets.token_urlsafe(32))
    except IntegrityError:                   # the same person arrived twice at once
        return User.get(User.username == identity.username)


def mapped_values(attributes: dict) -> dict:
    """{field: text} for the fields SSO_ATTRIBUTE_MAP names; a multi-valued attribute gives
    its first value."""
    mapping = current_app.config.get("SSO_ATTRIBUTE_MAP") or {}
    values = {name: first_text(attributes.get(mapping.get(name) or "")) for name in PROVISIONED_FIELDS}
    return {name: value for name, value in values.items() if value}


def first_text(value) -> str:
    """An attribute's (first) value as stripped text, '' when there is none."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return str(value).strip() if value is not None else ""


def refused(message: str, status: int = 400):
    return render_template("auth/sso_refused.html", message=message), status


def _audit(kind: str, user, detail: str, username: str | None = None) -> None:
    """The one place SSO sign-ins and failures reach the audit log."""
    from app import audit
    audit.record(kind, user, detail, username=username)
