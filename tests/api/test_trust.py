"""Issue 21 through the API: no self-approval, 加签 to staff only, records' detail, delegations."""
from datetime import timedelta

import pytest

from app.models import FlowRecord, Task, User, utcnow
from tests.engine.conftest import CHAIN

SIGNING = CHAIN.replace("    actions: [approve, return, terminate]\n",
                        "    actions: [approve, return, terminate, add_signer]\n")


@pytest.fixture
def signing(app):
    from app.defs.store import import_text
    service, _, _ = import_text(SIGNING, "signing.yaml")
    return service


def china_day(days=0):
    from datetime import timezone
    return (utcnow().replace(tzinfo=timezone.utc) + timedelta(hours=8, days=days)).date()


def delegate(api, frm, to, days=3):
    response = api(frm).post("/api/v1/me/delegations", json={
        "to_user": to, "start": china_day().isoformat(), "end": china_day(days).isoformat()})
    assert response.status_code == 201, response.json
    return response.json


def started(api, who="t2001"):
    response = api(who).start("test-chain", {"subject": "采购"})
    assert response.status_code == 201, response.json
    return response.json["serial"]


def test_an_applicant_with_the_approvers_delegation_cannot_approve_his_own(api, signing):
    delegate(api, "t2002", "t2001")
    serial = started(api)
    response = api("t2001").act(serial, "approve", opinion="自己批")
    assert response.status_code == 403
    assert response.json["message"] == "申请人不能审批本人的申请，请由其他办理人办理"
    state = api("t2002").get(f"/api/v1/instances/{serial}").json
    assert state["step"] == "leader" and "approve" in state["actions"]
    assert any("委托未生效" in r["detail"] for r in state["records"])


def test_an_applicant_holding_an_old_todo_gets_a_clear_403(api, signing):
    serial = started(api)
    Task.update(assignee=User.get(User.username == "t2001")).where(Task.status == "open").execute()
    response = api("t2001").act(serial, "approve", opinion="自己批")
    assert response.status_code == 403
    assert "申请人不能审批本人的申请" in response.json["message"]
    assert Task.select().where(Task.status == "open").count() == 1
    assert not FlowRecord.select().where(FlowRecord.action == "approve").exists()


def test_a_leaders_own_application_goes_to_the_escalation_and_says_why(api, signing, login_as):
    serial = started(api, who="t2002")
    state = api("t2002").get(f"/api/v1/instances/{serial}").json
    escalated = [r for r in state["records"] if r["action"] == "escalate"]
    assert escalated[0]["detail"] == "申请人不能审批本人的申请，已转交系统管理员"
    assert state["actions"] == [a for a in state["actions"] if a not in ("approve", "return")]
    page = login_as("admin").get(f"/instances/{serial}").get_data(as_text=True)
    assert "申请人不能审批本人的申请，已转交系统管理员" in page and "转交" in page
    assert api("admin").act(serial, "approve", opinion="同意").status_code == 200


@pytest.mark.parametrize("who, named", [("s2023001", "林小雨（s2023001）"),
                                        ("e0001", "校外访客（e0001）"), ("t2001", "李明（t2001）")])
def test_add_signer_refuses_anyone_but_active_staff_naming_them(api, signing, who, named):
    serial = started(api)
    response = api("t2002").act(serial, "add_signer", to_users=[who], position="parallel")
    assert response.status_code == 422
    assert named in str(response.json)
    assert api("t2002").get(f"/api/v1/instances/{serial}").json["records"][-1]["action"] == "submit"


def test_records_carry_the_detail_the_page_shows(api, signing, login_as):
    serial = started(api)
    response = api("t2002").act(serial, "add_signer", to_users=["t9002", "t9003"],
                                position="before", opinion="请财务把关")
    assert response.status_code == 200, response.json
    added = response.json["records"][-1]
    assert added["action"] == "add_signer" and added["detail"] == "前加签：韩梅、杨帆"
    assert all("detail" in r for r in response.json["records"])
    page = login_as("t2002").get(f"/instances/{serial}").get_data(as_text=True)
    assert "前加签：韩梅、杨帆" in page


def test_a_delegation_lasts_at_most_a_year(api):
    too_long = api("t2002").post("/api/v1/me/delegations", json={
        "to_user": "t9002", "start": china_day().isoformat(), "end": china_day(366).isoformat()})
    assert too_long.status_code == 422 and "最长为一年" in too_long.json["message"]
    thirteen = api("t2002").post("/api/v1/me/delegations", json={
        "to_user": "t9002", "start": china_day().isoformat(), "end": china_day(13 * 365).isoformat()})
    assert thirteen.status_code == 422
    assert api("t2002").get("/api/v1/me/delegations").json["total"] == 0
    delegate(api, "t2002", "t9002", days=364)          # the last day included: a year to the day


def test_a_delegation_of_more_than_a_year_is_refused_on_the_page(login_as):
    page = login_as("t2002").post("/me/delegations", data={
        "to_user": "t9002", "start": china_day().isoformat(), "end": china_day(400).isoformat()})
    assert page.status_code == 422 and "委托期限最长为一年" in page.get_data(as_text=True)


def test_a_delegator_can_open_items_routed_to_the_deputy(api, signing, login_as):
    delegate(api, "t2002", "t9002")
    serial = started(api)
    assert api("t9002").get(f"/api/v1/instances/{serial}").status_code == 200
    assert api("t2002").get(f"/api/v1/instances/{serial}").status_code == 200
    assert login_as("t2002").get(f"/instances/{serial}").status_code == 200
    assert api("t2002").act(serial, "approve", opinion="我来").status_code == 403   # may look, not act
    assert api("t3001").get(f"/api/v1/instances/{serial}").status_code == 404


def test_add_signer_on_the_page_goes_through_the_same_rule(api, signing, login_as):
    serial = started(api)
    page = login_as("t2002").post(f"/instances/{serial}/act", data={
        "action": "add_signer", "step": "leader", "position": "before",
        "to_users": ["林小雨（s2023001）"], "opinion": ""})
    assert page.status_code == 422
    assert "只能加签给在职教职工" in page.get_data(as_text=True)
    assert "林小雨（s2023001）" in page.get_data(as_text=True)
    assert not FlowRecord.select().where(FlowRecord.action == "add_signer").exists()
