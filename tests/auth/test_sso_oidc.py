"""OpenID Connect 统一身份认证 against a real provider (oidc-provider-mock) in Chromium: the
code flow with PKCE, state and nonce; ID tokens checked; a wrong state, an expired token, a
token signed with another key, an off-site next and an unknown identity all refused."""
import base64
import hashlib
import json
from urllib.parse import parse_qs, urlparse

import pytest
from authlib.integrations.flask_client.apps import FlaskOAuth2App
from joserfc import jwt
from joserfc.jwk import RSAKey
from playwright.sync_api import expect

from app.models import Department, User
from app.models.accounts import AccountSession
from tests.auth.sso_servers import CLIENT_ID, CLIENT_SECRET
from tests.browser import shot

pytestmark = pytest.mark.e2e


def oidc_config(issuer, **extra):
    return {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET, **extra}


@pytest.fixture
def oidc_site(sso_site, oidc_provider):
    return lambda **config: sso_site(**oidc_config(oidc_provider, **config))


def authorize(page, sub):
    """On the provider's authorization form: sign in as ``sub``."""
    page.wait_for_selector("input[name=sub][type=text]")
    page.fill("input[name=sub][type=text]", sub)
    with page.expect_navigation():             # provider → our callback → next: one navigation
        page.click("button:has-text('Authorize')")


def is_authorize(url):
    return "/oauth2/authorize" in url


def signed_in(page, site) -> bool:
    page.goto(f"{site.url}/me/items")
    return "/login" not in page.url


def refused(page, response):
    assert response.status == 400
    expect(page.locator("main")).to_contain_text("统一身份认证未通过")


def refusal_reasons(caplog) -> str:
    return " ".join(r.getMessage() for r in caplog.records if r.name == "onehall.sso" and "refused" in r.getMessage())


def test_oidc_round_trip_with_pkce_state_and_nonce(oidc_site, oidc_provider, page_factory, monkeypatch):
    site = oidc_site()
    token_requests = []
    original = FlaskOAuth2App.fetch_access_token

    def spy(self, *args, **kwargs):
        token_requests.append(kwargs)
        return original(self, *args, **kwargs)
    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", spy)
    User.update(activated=False).where(User.username == "t2002").execute()

    page = page_factory()
    authorizations = []
    page.on("request", lambda r: authorizations.append(r.url) if "/oauth2/authorize" in r.url else None)
    page.goto(f"{site.url}/login?next=/me/items")
    page.click(".sso-button")
    authorize(page, "u-t2002")
    expect(page).to_have_url(f"{site.url}/me/items")
    expect(page.locator("header")).to_contain_text("张华")

    query = parse_qs(urlparse(authorizations[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0] and query["state"][0]
    assert query["client_id"] == [CLIENT_ID] and query["redirect_uri"] == [f"{site.url}/login/oidc/callback"]
    verifier = token_requests[0]["code_verifier"]              # the token request carried PKCE
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert digest == query["code_challenge"][0]
    user = User.get(User.username == "t2002")
    assert user.activated and AccountSession.get(AccountSession.user == user).sso_ticket is None


def test_a_wrong_state_is_refused_and_the_right_one_still_works(oidc_site, page_factory, caplog):
    site = oidc_site()
    page = page_factory()
    captured = []

    def hold(route):
        """Let the provider answer the authorization, but keep its redirect to us."""
        if route.request.method != "POST":
            return route.continue_()
        answer = route.fetch(max_redirects=0)
        captured.append(answer.headers["location"])
        route.fulfill(status=200, body="held")
    page.route(is_authorize, hold)
    page.goto(f"{site.url}/login/oidc")
    authorize(page, "u-t2002")
    page.unroute(is_authorize)
    real = captured[0]
    state = parse_qs(urlparse(real).query)["state"][0]

    refused(page, page.goto(real.replace(state, "forged-state")))
    assert not signed_in(page, site)
    other_browser = page_factory()                              # the state belongs to one browser
    refused(other_browser, other_browser.goto(real))
    shot(other_browser, "sso-oidc-refused")
    assert not signed_in(other_browser, site)
    page.goto(real)                                              # the genuine answer still works
    assert signed_in(page, site)
    assert refusal_reasons(caplog).count("MismatchingStateError") == 2


def test_an_expired_id_token_is_refused(sso_site, expired_oidc_provider, page_factory, caplog):
    site = sso_site(**oidc_config(expired_oidc_provider))
    page = page_factory()
    responses = []
    page.on("response", lambda r: responses.append(r) if "/login/oidc/callback" in r.url else None)
    page.goto(f"{site.url}/login/oidc")
    authorize(page, "u-t2002")
    assert responses[-1].status == 400
    expect(page.locator("main")).to_contain_text("统一身份认证未通过")
    assert not signed_in(page, site)
    assert "ExpiredTokenError" in refusal_reasons(caplog)


def test_an_id_token_signed_with_another_key_is_refused(oidc_site, page_factory, monkeypatch, caplog):
    """The provider's real token, its claims and header kept, signed again with our own key."""
    site = oidc_site()
    original = FlaskOAuth2App.fetch_access_token
    impostor = RSAKey.generate_key(2048)

    def resign(self, *args, **kwargs):
        token = original(self, *args, **kwargs)
        header_b64, payload_b64, _ = token["id_token"].split(".")
        header = json.loads(base64.urlsafe_b64decode(header_b64 + "=="))
        claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=="))
        token["id_token"] = jwt.encode(header, claims, impostor)
        return token
    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", resign)
    page = page_factory()
    responses = []
    page.on("response", lambda r: responses.append(r) if "/login/oidc/callback" in r.url else None)
    page.goto(f"{site.url}/login/oidc")
    authorize(page, "u-t2002")
    assert responses[-1].status == 400
    expect(page.locator("main")).to_contain_text("统一身份认证未通过")
    assert not signed_in(page, site)
    assert "BadSignatureError" in refusal_reasons(caplog)


def test_next_off_site_lands_on_the_home_page(oidc_site, page_factory):
    site = oidc_site()
    page = page_factory()
    page.goto(f"{site.url}/login/oidc?next=//evil.example/steal")
    authorize(page, "u-t2002")
    expect(page).to_have_url(f"{site.url}/")


def test_unknown_identity_then_provisioned(sso_site, oidc_provider, page_factory, tmp_path):
    site = sso_site(**oidc_config(oidc_provider))
    page = page_factory(width=360)
    page.goto(f"{site.url}/login/oidc")
    authorize(page, "u-stranger")
    expect(page.locator("main")).to_contain_text("账号未开通，请联系管理员")
    assert not signed_in(page, site)
    shot(page, "sso-oidc-unknown-360")

    site = sso_site(**oidc_config(oidc_provider, SSO_PROVISION=True, SSO_ATTRIBUTE_MAP={
        "name": "name", "type": "usertype", "department": "department", "email": "email",
        "phone": "phone_number"}))
    page = page_factory()
    page.goto(f"{site.url}/login/oidc")
    authorize(page, "u-newbie")
    expect(page).to_have_url(f"{site.url}/")
    made = User.get(User.username == "oidcnew")
    assert (made.name, made.type, made.department.name, made.email, made.phone, made.activated) == (
        "郑新", "student", "宣传部", "oidcnew@example.edu.cn", "13900002222", True)
    assert Department.select().count() == Department.select().where(Department.name != "").count()


def test_an_id_token_for_another_client_is_refused(oidc_site, page_factory, monkeypatch, caplog):
    """The provider authorizes and issues the token to another client (aud = another-app)."""
    site = oidc_site()
    original = FlaskOAuth2App.fetch_access_token

    def as_another_client(self, *args, **kwargs):
        mine, self.client_id = self.client_id, "another-app"
        try:
            return original(self, *args, **kwargs)
        finally:
            self.client_id = mine
    monkeypatch.setattr(FlaskOAuth2App, "fetch_access_token", as_another_client)
    page = page_factory()

    def rewrite(route):
        """Our redirect to the provider, with the other client's id in it."""
        answer = route.fetch(max_redirects=0)
        headers = dict(answer.headers)
        headers["location"] = headers["location"].replace(f"client_id={CLIENT_ID}", "client_id=another-app")
        route.fulfill(status=302, headers=headers)
    page.route(lambda url: url == f"{site.url}/login/oidc", rewrite)
    responses = []
    page.on("response", lambda r: responses.append(r) if "/login/oidc/callback" in r.url else None)
    page.goto(f"{site.url}/login/oidc")
    authorize(page, "u-t2002")
    assert responses[-1].status == 400
    expect(page.locator("main")).to_contain_text("统一身份认证未通过")
    assert not signed_in(page, site)
    assert "InvalidClaimError" in refusal_reasons(caplog) and "'aud'" in refusal_reasons(caplog)
