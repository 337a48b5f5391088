"""Instances through the API: start, act, and the status codes of the contract."""
import glob
import os

import pytest
import yaml

from app.defs.store import latest_version, load_version
from app.engine import core
from app.models import Instance
from tests.api.conftest import APPLICANTS, open_assignees, sample_data
from tests.conftest import DEFINITIONS

SHIPPED = sorted(yaml.safe_load(open(p, encoding="utf-8"))["id"]
                 for p in glob.glob(os.path.join(DEFINITIONS, "*.yaml")))

REVIEWED = """
format: 1
id: api-review
number: 9901
name: 接口测试审批
category: 测试
department: 宣传部
audience: [staff]
form:
  title: 接口测试审批
  fields:
    - {name: reason, label: 事由, type: text, required: true, max_length: 20}
steps:
  - {id: fill, name: 填写, by: applicant}
  - id: review
    name: 审核
    by: {role: dept_leader}
    opinion: required
    actions: [approve, return, terminate]
  - id: office
    name: 办公室审批
    by: {role: office_director}
    actions: [approve, return, terminate]
    return_to: [review]
"""


@pytest.fixture
def reviewed(app):
    """A service whose review step any dept_leader (several people) may act on."""
    from app.defs.store import import_text
    service, _, _ = import_text(REVIEWED)
    return service


def weekly(text="完成接口开发"):
    return {"items": [{"text": text}]}


def started(api, slug="weekly-report", data=None, who="t2001"):
    response = api(who).start(slug, data if data is not None else weekly())
    assert response.status_code == 201, response.json
    return response.json["serial"]


# ---------------------------------------------------------------- whole chains

@pytest.mark.parametrize("slug", SHIPPED)
def test_every_shipped_definition_runs_to_completed(app, api, user, service, slug):
    sdef = load_version(latest_version(service(slug)))
    applicant = APPLICANTS[sdef.audience[0]]
    response = api(applicant).start(slug, sample_data(sdef, user(applicant), app))
    assert response.status_code == 201, response.json
    serial = response.json["serial"]
    for _ in range(2 * len(sdef.steps) + 5):
        instance = core.get_instance(serial)
        if instance.status != "running":
            break
        step = sdef.step(instance.step)
        editable = core.editable_fields(sdef, step)
        data = sample_data(sdef, user(applicant), app, names=editable) if editable else None
        response = api(open_assignees(instance)[0]).act(serial, "approve", opinion="同意",
                                                        data=data)
        assert response.status_code == 200, response.json
    assert response.json["status"] == "completed"
    assert response.json["step"] is None
    assert response.json["records"][-1]["action"] == "complete"
    assert all(m["state"] == "done" for m in response.json["milestones"])


def test_state_has_the_contract_shape(api):
    serial = started(api)
    body = api("t2001").get(f"/api/v1/instances/{serial}").json
    assert body["serial"] == serial and body["service"] == "weekly-report"
    assert body["status"] == "running" and body["step"] == "leader"
    assert body["data"]["items"] == [{"text": "完成接口开发"}]
    assert body["data"]["unit"] == "宣传部"                       # autofilled
    first = body["records"][0]
    assert (first["step"], first["action"], first["user"]) == ("fill", "submit", "t2001")
    assert first["at"].endswith("Z")
    assert [m["state"] for m in body["milestones"]] == ["done", "current", "future"]


def test_draft_then_submit(api):
    response = api("t2001").start("weekly-report", {}, submit=False)
    assert response.status_code == 201
    assert response.json["status"] == "draft" and response.json["step"] == "fill"
    serial = response.json["serial"]
    drafts = api("t2001").get("/api/v1/me/items?box=drafts").json
    assert serial in [i["serial"] for i in drafts["items"]]
    saved = api("t2001").act(serial, "save_draft", data=weekly("半成品"))
    assert saved.status_code == 200 and saved.json["status"] == "draft"
    submitted = api("t2001").act(serial, "submit", data=weekly())
    assert submitted.status_code == 200, submitted.json
    assert (submitted.json["status"], submitted.json["step"]) == ("running", "leader")


def test_return_to_applicant_then_resubmit(api):
    serial = started(api)
    returned = api("t2002").act(serial, "return", opinion="请补充内容")
    assert returned.status_code == 200, returned.json
    assert (returned.json["status"], returned.json["step"]) == ("returned", "fill")
    assert serial in [i["serial"] for i in api("t2001").get("/api/v1/me/items").json["items"]]
    again = api("t2001").act(serial, "submit", data=weekly("补充后的内容"))
    assert again.status_code == 200, again.json
    assert (again.json["status"], again.json["step"]) == ("running", "leader")
    done = api("t2002").act(serial, "approve", opinion="同意")
    assert done.json["status"] == "completed"
    assert [r["action"] for r in done.json["records"]] == [
        "submit", "return", "submit", "approve", "complete"]


def test_terminate(api, reviewed):
    serial = started(api, "api-review", {"reason": "测试"})
    response = api("t2002").act(serial, "terminate", opinion="不予办理")
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["step"]) == ("terminated", None)


def test_return_to_an_earlier_step(api, reviewed):
    serial = started(api, "api-review", {"reason": "测试"})
    api("t2002").act(serial, "approve", opinion="同意")
    response = api("t3001").act(serial, "return", opinion="请复核", to_step="review")
    assert response.status_code == 200, response.json
    assert (response.json["status"], response.json["step"]) == ("running", "review")


def test_withdraw_before_anyone_acted(api):
    serial = started(api)
    response = api("t2001").act(serial, "withdraw")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "terminated"
    assert response.json["records"][-1]["action"] == "withdraw"


def test_withdraw_after_an_approval_is_a_conflict(api, reviewed):
    serial = started(api, "api-review", {"reason": "测试"})
    api("t2002").act(serial, "approve", opinion="同意")
    response = api("t2001").act(serial, "withdraw")
    assert response.status_code == 409
    assert response.json["error"] == "conflict"


# ---------------------------------------------------------------- refusals

def test_acting_without_a_task_is_forbidden(api):
    serial = started(api)
    response = api("admin").act(serial, "approve", opinion="同意")      # may view, may not act
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"


def test_starting_outside_the_audience_is_forbidden(api):
    response = api("s2023001").start("weekly-report", weekly())
    assert response.status_code == 403


def test_someone_elses_instance_is_not_found(api):
    serial = started(api)
    for path in (f"/api/v1/instances/{serial}", "/api/v1/instances/999999",
                 "/api/v1/instances/99999999999999999999999"):
        response = api("t3001").get(path)
        assert response.status_code == 404 and response.json["error"] == "not_found"
    assert api("t3001").act(serial, "approve", opinion="x").status_code == 404
    assert api("admin").get(f"/api/v1/instances/{serial}").status_code == 200


def test_unknown_service_is_not_found(api):
    assert api("t2001").start("no-such-service", {}).status_code == 404


def test_second_of_two_approvals_conflicts(api, reviewed):
    serial = started(api, "api-review", {"reason": "测试"})
    holders = open_assignees(core.get_instance(serial))
    assert len(holders) >= 2
    first = api(holders[0]).act(serial, "approve", opinion="同意")
    second = api(holders[1]).act(serial, "approve", opinion="同意")
    assert first.status_code == 200
    assert second.status_code == 409 and second.json["error"] == "conflict"


def test_opinion_required(api):
    serial = started(api)
    response = api("t2002").act(serial, "approve")
    assert response.status_code == 422
    assert "opinion" in response.json["fields"]


def test_invalid_data_has_per_field_errors(api):
    response = api("t2001").start("weekly-report", {"items": [{"text": "长" * 101}]})
    assert response.status_code == 422
    assert response.json["error"] == "invalid"
    assert "items.0.text" in response.json["fields"]
    assert Instance.select().count() == 0


@pytest.mark.parametrize("body, field", [
    ({"action": 5}, "action"),
    ({}, "action"),
    ({"action": "approve", "opinion": ["x"]}, "opinion"),
    ({"action": "approve", "opinion": "长" * 2001}, "opinion"),
    ({"action": "approve", "data": [1, 2]}, "data"),
    ({"action": "approve", "to_user": 3}, "to_user"),
    ({"action": "approve", "bogus": 1}, "bogus"),
    ({"action": "fly"}, "action"),
])
def test_bad_action_bodies_are_422(api, body, field):
    serial = started(api)
    response = api("t2002").post(f"/api/v1/instances/{serial}/actions", json=body)
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]


@pytest.mark.parametrize("body, field", [
    ({"data": "x"}, "data"), ({"data": {}, "submit": "yes"}, "submit"), ([1], "body"),
    ({"data": {}, "sumbit": False}, "sumbit"),
])
def test_bad_start_bodies_are_422(api, body, field):
    response = api("t2001").post("/api/v1/services/weekly-report/instances", json=body)
    assert response.status_code == 422
    assert field in response.json["fields"]


def test_idempotency_key_creates_one_instance(api):
    client, headers = api("t2001"), {"Idempotency-Key": "abc-123"}
    first = client.start("weekly-report", weekly(), headers=headers)
    second = client.start("weekly-report", weekly(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json["serial"] == second.json["serial"]
    assert Instance.select().count() == 1
    other = client.start("weekly-report", weekly(), headers={"Idempotency-Key": "abc-124"})
    assert other.json["serial"] != first.json["serial"]


# ---------------------------------------------------------------- the boxes

def test_boxes(api):
    serial = started(api)
    todo = api("t2002").get("/api/v1/me/items?box=todo").json
    assert todo["page"] == 1 and todo["total"] == 1
    item = todo["items"][0]
    assert (item["serial"], item["service"], item["status"], item["step"]) == (
        serial, "weekly-report", "running", "leader")
    assert item["created"].endswith("Z") and item["title"]
    assert api("t2001").get("/api/v1/me/items?box=in_progress").json["total"] == 1
    api("t2002").act(serial, "approve", opinion="同意")
    assert api("t2002").get("/api/v1/me/items").json["total"] == 0
    done = api("t2002").get(f"/api/v1/me/items?box=done&serial={serial}").json
    assert [i["serial"] for i in done["items"]] == [serial]
    assert api("t2002").get("/api/v1/me/items?box=done&q=不存在的标题").json["total"] == 0


@pytest.mark.parametrize("query", ["box=inbox", "page=0", "page=x", "page=%C2%B2",
                                   "serial=abc", "serial=99999999999999999999999"])
def test_bad_box_queries_are_422(api, query):
    response = api("t2001").get(f"/api/v1/me/items?{query}")
    assert response.status_code == 422
    assert response.json["error"] == "invalid"
