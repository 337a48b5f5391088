"""委托设置 in the personal center: set, see and revoke a delegation; bad input shown in place."""
from datetime import timedelta

from app.models import Delegation
from app.stats.periods import today_local         # China time, from the app's clock


def test_set_and_revoke_a_delegation(app, login_as, user):
    client = login_as("t2002")
    page = client.get("/me/delegations").get_data(as_text=True)
    assert "委托设置" in page and "暂无委托" in page
    today = today_local()
    done = client.post("/me/delegations", data={"to_user": "t3001", "start": today.isoformat(),
                                                "end": (today + timedelta(days=3)).isoformat()},
                       follow_redirects=True)
    assert "委托已设置" in done.get_data(as_text=True)
    d = Delegation.get(Delegation.delegator == user("t2002"))
    assert d.delegate.username == "t3001" and d.services is None
    client.post(f"/me/delegations/{d.id}/revoke")
    assert Delegation.get_by_id(d.id).revoked is not None
    stranger = login_as("t3001").post(f"/me/delegations/{d.id}/revoke", follow_redirects=True)
    assert "委托不存在" in stranger.get_data(as_text=True)


def test_refusals_are_shown_on_the_page(app, login_as):
    client = login_as("t2002")
    today = today_local().isoformat()
    page = client.post("/me/delegations", data={"to_user": "t2002", "start": today, "end": today})
    assert page.status_code == 422 and "不能委托给自己" in page.get_data(as_text=True)
    page = client.post("/me/delegations", data={"to_user": "t3001", "start": "", "end": ""})
    assert page.status_code == 422 and "请填写开始和结束日期" in page.get_data(as_text=True)
    english = login_as("t2002")
    english.get("/lang/en")
    assert "Delegation" in english.get("/me/delegations").get_data(as_text=True)
