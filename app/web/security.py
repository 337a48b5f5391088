"""Security headers on every response, and the per-request CSP nonce.

Scripts run only from our own origin or carry this request's nonce (Flask-Admin's few inline
scripts get it through ``Admin(csp_nonce_generator=…)``); no ``unsafe-inline`` and no
``unsafe-eval`` for scripts. Styles keep ``'unsafe-inline'``: the print page's stylesheet and
Flask-Admin's widgets set ``style`` attributes, and a style cannot run code. No page may be
framed (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``) except the designer's form
preview, which its own page frames (``allow_same_origin_framing()``).
"""
import secrets
from urllib.parse import urlsplit

from flask import current_app, g

REFERRER_POLICY = "strict-origin-when-cross-origin"


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def allow_same_origin_framing() -> None:
    """For a page our own pages show in an iframe (the designer's preview)."""
    g.frame_ancestors = "'self'"


def form_targets(config) -> str:
    """'self', plus the CAS server: 退出 (a POST) ends the CAS session by a redirect there,
    and form-action also governs where a form submission may be redirected."""
    targets = ["'self'"]
    cas = urlsplit(config.get("CAS_SERVER_URL") or "")
    if cas.scheme in ("http", "https") and cas.netloc:
        targets.append(f"{cas.scheme}://{cas.netloc}")
    return " ".join(targets)


def policy(nonce: str, frame_ancestors: str, form_action: str = "'self'") -> str:
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        f"form-action {form_action}",
        f"frame-ancestors {frame_ancestors}",
    ))


def add_headers(response):
    headers = response.headers
    frame_ancestors = g.get("frame_ancestors", "'none'")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "SAMEORIGIN" if frame_ancestors == "'self'" else "DENY"
    headers["Referrer-Policy"] = REFERRER_POLICY
    headers["Content-Security-Policy"] = policy(csp_nonce(), frame_ancestors,
                                                form_targets(current_app.config))
    return response


def init_app(app) -> None:
    app.after_request(add_headers)
    app.add_template_global(csp_nonce)
