"""Approval power through the API: field notes and revisions with a diff, 再次申请, 催办, 批量审批."""
from datetime import timedelta

import pytest

from app.defs.store import import_text
from app.models import FlowRecord, Instance
from tests.api.conftest import api  # noqa: F401  (the bearer-token client fixture)
from tests.engine.conftest import CHAIN

WITH_ROWS = CHAIN.replace(
    "    - {name: note, label: 备注, type: textarea}",
    "    - {name: note, label: 备注, type: textarea}\n"
    "    - {name: secret, label: 内部编号, type: text, reuse: false}\n"
    "    - name: items\n      label: 明细\n      type: rows\n"
    "      columns:\n        - {name: thing, label: 物品, type: text}\n"
    "        - {name: qty, label: 数量, type: number}")


@pytest.fixture
def chain(app):
    service, _, _ = import_text(WITH_ROWS, "test-chain.yaml")
    return service


def start(api, data=None):
    body = {"subject": "采购", "amount": 10, "items": [{"thing": "纸", "qty": 2}]}
    response = api("t2001").start("test-chain", dict(body, **(data or {})))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["serial"]


def test_return_with_field_notes_then_revisions_and_diff(api, chain):
    serial = start(api)
    leader, applicant = api("t2002"), api("t2001")
    back = leader.act(serial, "return", opinion="请修改",
                      field_notes={"subject": "事由写具体些", "items": "数量不对"})
    assert back.status_code == 200, back.get_json()
    state = applicant.get(f"/api/v1/instances/{serial}").get_json()
    assert state["field_notes"] == {"subject": "事由写具体些", "items": "数量不对"}
    assert [r["revision"] for r in state["revisions"]] == [1]
    again = applicant.act(serial, "submit", data={"subject": "采购打印纸",
                                                  "items": [{"thing": "纸", "qty": 5}, {"thing": "笔", "qty": 1}]})
    assert again.status_code == 200, again.get_json()
    state = leader.get(f"/api/v1/instances/{serial}").get_json()
    assert [r["revision"] for r in state["revisions"]] == [1, 2]
    assert all(r["by"] == "t2001" for r in state["revisions"])
    changes = leader.get(f"/api/v1/instances/{serial}/diff?from=1&to=2").get_json()["changes"]
    assert {"field": "subject", "label": "事由", "before": "采购", "after": "采购打印纸"} in changes
    assert {"field": "items.0", "label": "明细（第1行）", "before": {"thing": "纸", "qty": 2},
            "after": {"thing": "纸", "qty": 5}} in changes
    assert {"field": "items.1", "label": "明细（第2行）", "before": None,
            "after": {"thing": "笔", "qty": 1}} in changes
    assert len(changes) == 3


def test_field_notes_must_name_fields_the_approver_can_see(api, chain):
    serial = start(api)
    bad = api("t2002").act(serial, "return", opinion="改", field_notes={"nope": "x"})
    assert bad.status_code == 422 and "field_notes.nope" in bad.get_json()["fields"]
    assert Instance.get(Instance.serial == serial).status == "running"     # nothing written


def test_diff_of_a_missing_revision_is_422_and_strangers_get_404(api, chain):
    serial = start(api)
    assert api("t2001").get(f"/api/v1/instances/{serial}/diff?from=1&to=3").status_code == 422
    assert api("s2023001").get(f"/api/v1/instances/{serial}/diff?from=1&to=1").status_code == 404


def test_prefill_leaves_out_autofill_files_and_reuse_false(api, chain):
    assert api("t2001").get("/api/v1/services/test-chain/prefill").get_json() == \
        {"data": {}, "from_serial": None}
    serial = start(api, {"secret": "X-1", "note": "上次的备注"})
    body = api("t2001").get("/api/v1/services/test-chain/prefill").get_json()
    assert body["from_serial"] == serial
    assert body["data"] == {"subject": "采购", "amount": 10, "note": "上次的备注",
                            "items": [{"thing": "纸", "qty": 2}]}       # no unit (autofill), no secret
    assert api("t2002").get("/api/v1/services/test-chain/prefill").get_json()["from_serial"] is None


def test_remind_notifies_the_assignees_once_an_hour(api, chain):
    from app.models.notify import Notification
    serial = start(api)
    first = api("t2001").act(serial, "remind")
    assert first.status_code == 200
    inst = Instance.get(Instance.serial == serial)
    record = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "remind")
    assert record.detail == "催办：张华" and record.step == "leader"
    assert Notification.select().where(Notification.kind == "remind",
                                       Notification.instance == inst).exists()
    again = api("t2001").act(serial, "remind")
    assert again.status_code == 429 and again.get_json()["error"] == "too_many_requests"
    FlowRecord.update(at=record.at - timedelta(hours=2)).where(FlowRecord.id == record.id).execute()
    assert api("t2001").act(serial, "remind").status_code == 200
    assert api("t2002").act(serial, "remind").status_code == 403          # not the applicant


def test_bulk_approve_gives_a_result_per_item(api, chain, user):
    ok, done, needs_opinion = start(api), start(api), start(api)
    api("t2002").act(done, "approve", opinion="同意")
    others = start(api)
    response = api("t2002").post("/api/v1/me/items/actions", json={
        "serials": [ok, done, 999999, others], "action": "approve", "opinion": "同意"})
    assert response.status_code == 200
    results = {r["serial"]: r for r in response.get_json()["results"]}
    assert results[ok]["status"] == 200 and results[ok]["error"] is None
    assert results[done]["status"] == 409                 # already acted on: moved on
    assert results[999999]["status"] == 404
    assert results[others]["status"] == 200
    assert Instance.get(Instance.serial == ok).step == "keeper"
    no_opinion = api("t2002").post("/api/v1/me/items/actions", json={
        "serials": [needs_opinion], "action": "approve"}).get_json()["results"][0]
    assert no_opinion["status"] == 422 and "意见" in no_opinion["error"]   # the step requires one
    assert Instance.get(Instance.serial == needs_opinion).step == "leader"
    stranger = api("s2023001").post("/api/v1/me/items/actions", json={
        "serials": [needs_opinion], "action": "approve", "opinion": "x"}).get_json()["results"][0]
    assert stranger["status"] == 404


def test_bulk_refuses_bad_requests(api, chain):
    assert api("t2002").post("/api/v1/me/items/actions", json={"serials": [], "action": "approve"}).status_code == 422
    assert api("t2002").post("/api/v1/me/items/actions", json={"serials": [1], "action": "withdraw"}).status_code == 422
    assert api("t2002").post("/api/v1/me/items/actions", json={"serials": ["1"], "action": "approve"}).status_code == 422


def test_bulk_refuses_an_item_whose_step_edits_the_form(api, chain):
    serial = start(api)
    api("t2002").act(serial, "approve", opinion="同意")           # now at 印章管理员办理 (edit: [note])
    result = api("t3002").post("/api/v1/me/items/actions", json={
        "serials": [serial], "action": "approve"}).get_json()["results"][0]
    assert result["status"] == 422 and "填写表单" in result["error"]
    assert Instance.get(Instance.serial == serial).step == "keeper"
