"""Server-side sessions: logout really ends a session, password changes end the others,
next= stays on the site, and cookies are HttpOnly, SameSite and (over HTTPS) Secure."""
from datetime import timedelta
from urllib.parse import urlparse

import pytest

from app.models import User, utcnow
from app.models.accounts import AccountSession
from tests.auth.conftest import GOOD, post_login, text
from tests.conftest import login

PRIVATE = "/me/profile"


def session_cookie(client):
    return client.get_cookie("session").value


def replay(app, cookie):
    """A new browser carrying a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def signed_in(client) -> bool:
    return client.get(PRIVATE).status_code == 200


def test_a_copied_cookie_works_until_logout_then_is_refused(app, login_as):
    client = login_as("t2001")
    cookie = session_cookie(client)
    assert signed_in(replay(app, cookie))
    client.post("/logout")
    assert not signed_in(client)
    refused = replay(app, cookie).get(PRIVATE)
    assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert replay(app, cookie).get("/api/v1/me/items").status_code == 401


def test_logout_marks_the_session_row_revoked(login_as, user):
    client = login_as("t2001")
    client.post("/logout")
    rows = list(AccountSession.select().where(AccountSession.user == user("t2001")))
    assert len(rows) == 1 and rows[0].revoked


def test_logout_needs_post(login_as):
    client = login_as("t2001")
    assert client.get("/logout").status_code == 405
    assert signed_in(client)


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, login_as):
    laptop, phone = login_as("t2001"), login_as("t2001")
    copied = session_cookie(laptop)
    r = laptop.post("/password", data={"old_password": "demo1234", "new_password": GOOD, "confirm": GOOD})
    assert r.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    assert signed_in(replay(app, session_cookie(laptop)))
    assert not signed_in(replay(app, copied))             # the pre-change cookie of this browser


def test_remember_me_is_a_persistent_cookie_that_a_password_change_also_ends(app, client, login_as):
    r = post_login(client, "t2001", "demo1234", remember="y")
    assert "Expires=" in r.headers["Set-Cookie"]
    assert AccountSession.get().remember
    changer = login_as("t2001")
    changer.post("/password", data={"old_password": "demo1234", "new_password": GOOD, "confirm": GOOD})
    assert not signed_in(client)
    assert "remember_token" not in r.headers.get("Set-Cookie", "")


def test_without_remember_me_the_cookie_ends_with_the_browser(client):
    r = post_login(client, "t2001", "demo1234")
    assert "Expires=" not in r.headers["Set-Cookie"]


def test_an_idle_session_expires(login_as):
    client = login_as("t2001")
    AccountSession.update(last_seen=utcnow() - timedelta(minutes=121)).execute()
    assert not signed_in(client)


def test_a_remembered_session_expires_after_its_lifetime(client):
    post_login(client, "t2001", "demo1234", remember="y")
    AccountSession.update(last_seen=utcnow() - timedelta(days=3)).execute()
    assert signed_in(client)
    AccountSession.update(created=utcnow() - timedelta(days=15)).execute()
    assert not signed_in(client)


def test_a_deactivated_user_is_signed_out(login_as):
    client = login_as("t2001")
    User.update(is_active=False).where(User.username == "t2001").execute()
    assert not signed_in(client)


def test_another_users_session_row_cannot_be_borrowed(app, login_as):
    """A session cookie carries both the identity and the row; they must agree."""
    a, b = login_as("t2001"), login_as("t2002")
    serializer = app.session_interface.get_signing_serializer(app)
    forged = serializer.loads(session_cookie(a))
    forged["sid"] = serializer.loads(session_cookie(b))["sid"]
    assert not signed_in(replay(app, serializer.dumps(forged)))
    assert signed_in(a) and signed_in(b)


@pytest.mark.parametrize("evil", [
    "//evil.example/x", "/\\evil.example", "\\\\evil.example", "https:evil.example",
    "https://evil.example", "javascript:alert(1)", "/\r\nLocation: http://evil",
    "http:/evil.example", " //evil.example", "/\tevil", "data:text/html,x",
])
def test_next_stays_on_the_site(client, evil):
    r = client.post("/login", query_string={"next": evil},
                    data={"username": "t2001", "password": "demo1234"})
    location = urlparse(r.headers["Location"])
    assert r.status_code == 302
    assert location.scheme in ("", "http") and location.netloc in ("", "localhost"), location
    assert location.path.startswith("/") and not location.path.startswith("//")
    assert "\r" not in r.headers["Location"] and "\n" not in r.headers["Location"]


def test_a_same_site_next_is_followed(client):
    r = client.post("/login?next=/me/items%3Fbox%3Ddone", data={"username": "t2001", "password": "demo1234"})
    assert r.headers["Location"] == "/me/items?box=done"


def test_cookies_are_httponly_and_samesite(client):
    r = post_login(client, "t2001", "demo1234")
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie                     # plain http (development)


def test_cookies_are_secure_over_https(client):
    r = client.post("/login", base_url="https://localhost",
                    data={"username": "t2001", "password": "demo1234"})
    cookie = r.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_prefer_https_makes_cookies_secure_everywhere(app_config):
    from app import create_app
    app = create_app({**app_config, "PREFER_HTTPS": True})
    r = login(app.test_client(), "t2001")
    assert r.get("/me/profile").status_code == 200
    cookie = app.test_client().post("/login", data={"username": "t2001", "password": "demo1234"}).headers["Set-Cookie"]
    assert "Secure" in cookie


def test_login_page_links_to_recovery(client):
    page = text(client.get("/login"))
    assert "找回密码" in page and "/password/forgot" in page


def test_purge_deletes_ended_sessions_stale_counters_and_old_codes(app, login_as, client):
    from app.models.accounts import Throttle
    kept, ended = login_as("t2001"), login_as("t2002")
    ended.post("/logout")
    post_login(client, "ghost", "wrong-pass1")
    AccountSession.update(last_seen=utcnow() - timedelta(days=2)).where(AccountSession.revoked == True).execute()  # noqa: E712
    Throttle.update(window_start=utcnow() - timedelta(days=2)).execute()
    result = app.test_cli_runner().invoke(args=["accounts", "purge"])
    assert result.exit_code == 0 and "sessions 1" in result.output
    assert Throttle.select().count() == 0
    assert signed_in(kept)
