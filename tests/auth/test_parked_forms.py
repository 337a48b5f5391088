"""A form survives an ended session (SPEC §8.3, app/parked.py): an idle-expired session's
POST is parked and comes back after signing in; a cross-site POST is never parked."""
from datetime import timedelta

from app.models import utcnow
from app.models.accounts import AccountSession
from tests.conftest import PASSWORD, login

FORM = {"kind": "建议", "service_name": "用印申请", "content": "会话过期前写的反馈", "op": "submit"}


def _expire_sessions():
    AccountSession.update(last_seen=utcnow() - timedelta(days=1)).execute()


def test_an_expired_sessions_post_is_kept_and_restored_after_signing_in(app, login_as):
    client = login_as("t2001")
    _expire_sessions()
    r = client.post("/services/feedback/start", data=FORM, headers={"Origin": "http://localhost"})
    assert r.status_code == 303 and "/login?next=/services/feedback/start" in r.headers["Location"]
    assert "onehall_parked=" in r.headers.get("Set-Cookie", "")
    login(client, "t2001", PASSWORD)
    page = client.get("/services/feedback/start").get_data(as_text=True)
    assert "会话过期前写的反馈" in page and 'value="用印申请"' in page and "已恢复" in page
    again = client.get("/services/feedback/start").get_data(as_text=True)
    assert "会话过期前写的反馈" not in again                        # restored once


def test_a_cross_site_post_is_not_parked(app, login_as):
    client = login_as("t2001")
    _expire_sessions()
    r = client.post("/services/feedback/start", data=FORM, headers={"Origin": "https://evil.example"})
    assert "onehall_parked=" not in r.headers.get("Set-Cookie", "")
    login(client, "t2001", PASSWORD)
    assert "会话过期前写的反馈" not in client.get("/services/feedback/start").get_data(as_text=True)
