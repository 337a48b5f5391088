"""OpenID Connect 统一身份认证 through Authlib: authorization code flow with PKCE (S256),
state and nonce; the ID token's signature (the provider's JWKS), issuer, audience, expiry and
nonce are checked by Authlib before anyone is signed in. The username is the claim named by
OIDC_USERNAME_CLAIM.
"""
import requests
from flask import current_app, request, session, url_for
from flask_babel import gettext as _

from app.auth import sso
from app.auth.routes import bp
from app.web.urls import safe_next

NEXT_KEY = "oidc_next"


def init_app(app) -> None:
    """Register the provider with Authlib when OIDC_ISSUER is set (discovery is lazy: the
    factory makes no network call)."""
    config = app.config
    if "oidc" not in sso.providers(config):
        return
    from authlib.integrations.flask_client import OAuth    # Authlib loads only where OIDC is set up
    issuer = config["OIDC_ISSUER"].rstrip("/")
    oauth = OAuth(app)
    oauth.register("oidc", client_id=config["OIDC_CLIENT_ID"],
                   client_secret=config["OIDC_CLIENT_SECRET"],
                   server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                   client_kwargs={"scope": config["OIDC_SCOPE"], "code_challenge_method": "S256",
                                  "default_timeout": float(config["SSO_TIMEOUT"])})


def client():
    """The registered client, its discovery document loaded and its issuer checked."""
    oidc = current_app.extensions["authlib.integrations.flask_client"].create_client("oidc")
    try:
        metadata = oidc.load_server_metadata()
    except (requests.RequestException, ValueError) as e:
        raise sso.SsoFailure(f"discovery failed: {type(e).__name__}: {e}") from e
    if (metadata.get("issuer") or "").rstrip("/") != current_app.config["OIDC_ISSUER"].rstrip("/"):
        raise sso.SsoFailure(f"discovery names another issuer: {metadata.get('issuer')!r}")
    return oidc


@bp.route("/login/oidc")
def oidc_login():
    sso.require("oidc")
    try:
        oidc = client()
    except sso.SsoFailure as failure:
        sso.log.warning("OIDC unavailable: %s", failure.reason)
        return sso.refused(_("统一身份认证服务暂时无法访问，请稍后再试"), status=502)
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    return oidc.authorize_redirect(url_for("auth.oidc_callback", _external=True))


@bp.route("/login/oidc/callback")
def oidc_callback():
    sso.require("oidc")
    next_url = safe_next(session.pop(NEXT_KEY, None))
    return sso.sign_in("oidc", prove, next_url)


def prove() -> sso.Identity:
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError
    oidc = client()
    expected = {"iss": {"essential": True, "value": oidc.load_server_metadata()["issuer"]},
                "aud": {"essential": True, "value": oidc.client_id}}     # aud must name us
    try:
        token = oidc.authorize_access_token(claims_options=expected)   # state, PKCE, nonce, ID token
    except (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError) as e:
        raise sso.SsoFailure(f"{type(e).__name__}: {e}") from e
    claims = token.get("userinfo")
    if not claims:
        raise sso.SsoFailure("no ID token in the token response")
    claim = current_app.config["OIDC_USERNAME_CLAIM"]
    username = sso.first_text(claims.get(claim))
    if not username or len(username) > 64:
        raise sso.SsoFailure(f"no usable username claim {claim!r}")
    return sso.Identity(username, dict(claims))
