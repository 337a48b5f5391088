"""CAS 3.0 统一身份认证 through python-cas.

``/login/cas?next=`` sends the browser to CAS_SERVER_URL/login with our callback as the
service; the callback validates the ticket at CAS_SERVER_URL/p3/serviceValidate (the same
service URL, so a ticket issued to another site fails) and signs the ``cas:user`` in — or the
attribute named by CAS_USERNAME_ATTRIBUTE. The CAS server's single-logout POST to the same
callback revokes the session that ticket opened.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

import requests
from flask import current_app, redirect, request, url_for

from app.auth import sessions, sso
from app.auth.routes import bp
from app.extensions import csrf
from app.web.urls import safe_next

if TYPE_CHECKING:
    import cas

MAX_TICKET = 256


class _TimedSession(requests.Session):
    """python-cas calls the server without a timeout; this session adds SSO_TIMEOUT."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


def client(next_url: str = "/") -> cas.CASClientV3:
    import cas          # here: python-cas and its XML parser load when CAS is used, not at start-up
    config = current_app.config
    return cas.CASClient(version=3, server_url=config["CAS_SERVER_URL"].rstrip("/") + "/",
                         service_url=url_for("auth.cas_callback", next=next_url, _external=True),
                         session=_TimedSession(float(config["SSO_TIMEOUT"])))


def logout_url() -> str:
    """CAS_SERVER_URL/logout?service=<our home page>: ends the CAS session too."""
    return client().get_logout_url(url_for("hall.index", _external=True))


@bp.route("/login/cas")
def cas_login():
    sso.require("cas")
    return redirect(client(safe_next(request.args.get("next"))).get_login_url())


@bp.route("/login/cas/callback", methods=["GET", "POST"])
@csrf.exempt                                   # the POST is the CAS server's single logout
def cas_callback():
    sso.require("cas")
    if request.method == "POST":
        return single_logout()
    next_url = safe_next(request.args.get("next"))
    ticket = request.args.get("ticket", "")
    return sso.sign_in("cas", lambda: validate(ticket, next_url), next_url)


def validate(ticket: str, next_url: str) -> sso.Identity:
    if not ticket or len(ticket) > MAX_TICKET:
        raise sso.SsoFailure("no ticket" if not ticket else "ticket too long")
    try:
        user, attributes, _ = client(next_url).verify_ticket(ticket)
    except (requests.RequestException, ParseError, IndexError, AttributeError) as e:
        raise sso.SsoFailure(f"ticket not validated: {type(e).__name__}: {e}") from e
    if not user:
        raise sso.SsoFailure("ticket refused by the CAS server (forged, used, expired or for another service)")
    attributes = dict(attributes or {})
    name_attribute = current_app.config.get("CAS_USERNAME_ATTRIBUTE")
    username = sso.first_text(attributes.get(name_attribute) if name_attribute else user)
    if not username or len(username) > 64:
        raise sso.SsoFailure(f"no usable username ({name_attribute or 'cas:user'})")
    return sso.Identity(username, attributes, ticket=ticket)


def single_logout():
    """The CAS server's ``logoutRequest`` names the ticket; the session it opened ends.

    Knowing the ticket is the proof (the CAS server sends it to the service only), as in
    every CAS client; a request naming no ticket we issued a session for changes nothing.
    """
    import cas
    message = request.form.get("logoutRequest", "")[:20000]
    try:
        indexes = cas.CASClientV3.get_saml_slos(message.encode()) if message else None
    except ValueError:
        indexes = None
    ticket = (indexes[0].text or "").strip() if indexes else ""
    if not ticket or len(ticket) > MAX_TICKET:
        return "", 400
    sessions.end_by_sso_ticket(ticket)
    return "", 200
