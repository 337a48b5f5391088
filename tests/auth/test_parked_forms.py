"""A form survives an ended session (SPEC §8.3, app/web/parked.py): an idle-expired session's
POST is parked and comes back after signing in; a cross-site POST is never parked."""
from datetime import timedelta

from app.models import Instance, utcnow
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


def test_an_approvers_opinion_survives_an_ended_session(app, login_as):
    from tests.hall.helpers import weekly
    with app.app_context():
        inst = weekly()
    leader = login_as("t2002")
    _expire_sessions()
    r = leader.post(f"/instances/{inst.serial}/act", headers={"Origin": "http://localhost"},
                    data={"action": "approve", "opinion": "同意，下周继续跟进", "step": "leader"})
    assert r.status_code == 303 and f"/login?next=/instances/{inst.serial}" in r.headers["Location"]
    with app.app_context():
        assert Instance.get_by_id(inst.id).status == "running"          # nothing was acted on
    login(leader, "t2002", PASSWORD)
    page = leader.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "同意，下周继续跟进</textarea>" in page and "已恢复" in page
    again = leader.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "同意，下周继续跟进" not in again                          # restored once


def test_an_approvers_parked_form_is_never_shown_to_someone_else(app, login_as, client):
    from tests.hall.helpers import weekly
    with app.app_context():
        inst = weekly()
    leader = login_as("t2002")
    _expire_sessions()
    r = leader.post(f"/instances/{inst.serial}/act", headers={"Origin": "http://localhost"},
                    data={"action": "approve", "opinion": "只给张华看的意见", "step": "leader"})
    cookie = r.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    applicant = login_as("t2001")
    applicant.set_cookie("onehall_parked", cookie)
    assert "只给张华看的意见" not in applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    login(leader, "t2002", PASSWORD)
    assert "只给张华看的意见" not in leader.get(f"/instances/{inst.serial}").get_data(as_text=True)
