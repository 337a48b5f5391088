"""统一身份认证 without a browser: the login page, SSO_ONLY, routes off when unconfigured,
lock-out of an address sending bad tickets, unreachable servers, English labels."""
from urllib.parse import parse_qs, urlparse

import pytest

from app import create_app
from app.models.accounts import AccountSession
from tests.auth.conftest import post_login, text
from tests.conftest import make_config

DEAD = "http://127.0.0.1:9"          # the discard port: nothing answers


@pytest.fixture
def make_client(tmp_path, seeded_db_file):
    import shutil

    def make(**config):
        shutil.copy(seeded_db_file, tmp_path / "onehall.db")
        return create_app(make_config(tmp_path, **config)).test_client()
    return make


def test_no_sso_configured_no_buttons_and_no_routes(client):
    html = text(client.get("/login"))
    assert "sso-button" not in html and 'name="password"' in html
    assert client.get("/login/cas").status_code == 404
    assert client.get("/login/cas/callback?ticket=ST-1").status_code == 404
    assert client.get("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback").status_code == 404


def test_cas_button_and_the_redirect_keeps_next_on_site(make_client):
    client = make_client(CAS_SERVER_URL="https://cas.example.edu.cn/cas")
    html = text(client.get("/login?next=/me/items"))
    assert 'href="/login/cas?next=/me/items"' in html and "统一身份认证登录" in html
    location = client.get("/login/cas?next=/me/items").headers["Location"]
    assert location.startswith("https://cas.example.edu.cn/cas/login?service=")
    service = parse_qs(urlparse(location).query)["service"][0]
    assert service == "http://localhost/login/cas/callback?next=/me/items"
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        location = client.get("/login/cas", query_string={"next": evil}).headers["Location"]
        assert parse_qs(urlparse(location).query)["service"][0].endswith("callback?next=/")


def test_both_providers_get_a_button_each(make_client):
    client = make_client(CAS_SERVER_URL="https://cas.example.edu.cn/cas", OIDC_ISSUER=DEAD,
                         OIDC_CLIENT_ID="c", OIDC_CLIENT_SECRET="s")
    html = text(client.get("/login"))
    assert "统一身份认证登录（CAS）" in html and "统一身份认证登录（OIDC）" in html


def test_sso_only_hides_the_password_form_and_refuses_non_admins(make_client):
    client = make_client(CAS_SERVER_URL="https://cas.example.edu.cn/cas", SSO_ONLY=True)
    html = text(client.get("/login"))
    assert 'name="password"' not in html and "管理员登录" in html
    assert 'name="password"' in text(client.get("/login?local=1"))
    r = post_login(client, "t2001", "demo1234")
    assert r.status_code == 200 and "本站请使用统一身份认证登录" in text(r)
    assert client.get("/me/items").status_code == 302                  # not signed in
    assert post_login(client, "admin", "demo1234").status_code == 302


def test_sso_only_without_a_provider_changes_nothing(make_client):
    client = make_client(SSO_ONLY=True)
    assert 'name="password"' in text(client.get("/login"))
    assert post_login(client, "t2001", "demo1234").status_code == 302


def test_a_password_session_logs_out_here_only(make_client):
    client = make_client(CAS_SERVER_URL="https://cas.example.edu.cn/cas")
    post_login(client, "t2001", "demo1234")
    assert client.post("/logout").headers["Location"] == "/"


def test_bad_tickets_lock_the_address(make_client, cas_server):
    client = make_client(CAS_SERVER_URL=cas_server, ADDRESS_MAX_FAILURES=3)
    for n in range(2):
        r = client.get(f"/login/cas/callback?next=%2F&ticket=ST-{n}-forged")
        assert r.status_code == 400 and "统一身份认证未通过" in text(r)
    for n in range(2):                      # the third failure locks; then not even asked
        r = client.get(f"/login/cas/callback?next=%2F&ticket=ST-{n + 2}-forged")
        assert r.status_code == 400 and "该地址登录失败次数过多" in text(r)


def test_unreachable_servers_give_a_page_not_a_500(make_client):
    client = make_client(CAS_SERVER_URL=DEAD + "/cas", SSO_TIMEOUT=2)
    r = client.get("/login/cas/callback?next=%2F&ticket=ST-1-abc")
    assert r.status_code == 400 and "统一身份认证未通过" in text(r)
    client = make_client(OIDC_ISSUER=DEAD, OIDC_CLIENT_ID="c", OIDC_CLIENT_SECRET="s", SSO_TIMEOUT=2)
    r = client.get("/login/oidc")
    assert r.status_code == 502 and "统一身份认证服务暂时无法访问" in text(r)
    r = client.get("/login/oidc/callback?code=x&state=y")
    assert r.status_code == 400


def test_single_logout_needs_a_ticket_we_know(make_client):
    client = make_client(CAS_SERVER_URL="https://cas.example.edu.cn/cas")
    assert client.post("/login/cas/callback", data={"logoutRequest": "<not xml"}).status_code == 400
    assert client.post("/login/cas/callback").status_code == 400
    before = AccountSession.select().where(AccountSession.revoked == True).count()  # noqa: E712
    slo = ('<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
           'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="x" Version="2.0">'
           '<saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-unknown</samlp:SessionIndex>'
           '</samlp:LogoutRequest>')
    assert client.post("/login/cas/callback", data={"logoutRequest": slo}).status_code == 200
    assert AccountSession.select().where(AccountSession.revoked == True).count() == before  # noqa: E712


def test_english_labels(make_client):
    client = make_client(CAS_SERVER_URL="https://cas.example.edu.cn/cas", SSO_ONLY=True)
    client.set_cookie("lang", "en")
    html = text(client.get("/login"))
    assert "Unified identity login" in html and "Administrator sign-in" in html
    assert "统一身份认证登录" not in html
