"""Per-step ``edit`` and ``hidden`` hold on the web pages and the API, whatever is sent."""
import pytest

from app.engine import core
from app.models import Instance
from tests.workflow.conftest import COUNCIL, DATA, to_council

SECRET = DATA["secret"]


def at_keeper(depth, user):
    inst = to_council(depth, user)
    for name in COUNCIL:
        inst = core.act(inst, user(name), "approve", opinion="同意")
    assert inst.step == "keeper"
    return inst


@pytest.mark.parametrize("viewer,sees", [("t2001", True), ("t6001", True), ("t9003", True),
                                         ("t8001", False), ("t3002", False), ("admin", True)])
def test_hidden_field_on_the_web_page(depth, user, login_as, viewer, sees):
    inst = to_council(depth, user)
    page = login_as(viewer).get(f"/instances/{inst.serial}")
    assert page.status_code == 200
    assert (SECRET in page.get_data(as_text=True)) is sees
    assert "采购服务器" in page.get_data(as_text=True)


@pytest.mark.parametrize("viewer,sees", [("t2001", True), ("t9002", True), ("t3001", False)])
def test_hidden_field_in_the_api(depth, user, bearer, client, viewer, sees):
    inst = to_council(depth, user)
    body = client.get(f"/api/v1/instances/{inst.serial}", headers=bearer(viewer)).get_json()
    assert ("secret" in body["data"]) is sees
    assert SECRET not in str(body) or sees
    acted = client.post(f"/api/v1/instances/{inst.serial}/actions", headers=bearer("t3001"),
                        json={"action": "approve", "opinion": "同意"}).get_json()
    assert "secret" not in acted["data"] and "subject" in acted["data"]


def test_crafted_web_post_changes_only_the_steps_editable_field(depth, user, login_as):
    inst = at_keeper(depth, user)
    keeper = login_as("t3002")
    page = keeper.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert SECRET not in page and 'name="note"' in page
    response = keeper.post(f"/instances/{inst.serial}/act", data={
        "action": "approve", "step": "keeper", "note": "已盖章", "subject": "篡改",
        "secret": "篡改", "budget": "999", "reviewer": "t2002"})
    assert response.status_code == 302
    inst = Instance.get_by_id(inst.id)
    assert inst.status == "completed"
    assert inst.data == dict(DATA, note="已盖章")


def test_crafted_api_action_changes_only_the_steps_editable_field(depth, user, bearer, client):
    inst = at_keeper(depth, user)
    response = client.post(f"/api/v1/instances/{inst.serial}/actions", headers=bearer("t3002"),
                           json={"action": "approve", "data": {"note": "已盖章", "subject": "篡改",
                                                               "secret": "", "budget": 999}})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "completed" and "secret" not in body["data"]
    assert Instance.get_by_id(inst.id).data == dict(DATA, note="已盖章")


def test_approver_without_edit_rights_changes_nothing(depth, user, bearer, client, login_as):
    inst = to_council(depth, user)
    client.post(f"/api/v1/instances/{inst.serial}/actions", headers=bearer("t3001"),
                json={"action": "approve", "opinion": "同意", "data": {"subject": "篡改"}})
    login_as("t8001").post(f"/instances/{inst.serial}/act", data={
        "action": "approve", "opinion": "同意", "step": "council", "subject": "篡改"})
    assert Instance.get_by_id(inst.id).data == DATA


def test_a_field_both_editable_and_hidden_is_not_editable(depth):
    from app.defs.model import Step
    sdef = core.service_def(depth.versions.first())
    step = Step.from_dict(dict(id="x", name="x", by="applicant", edit=["note", "secret"],
                               hidden=["secret"]))
    assert core.editable_fields(sdef, step) == {"note"}


def test_outsider_cannot_read_the_instance_anywhere(depth, user, bearer, client, login_as):
    inst = to_council(depth, user)
    assert login_as("t9001").get(f"/instances/{inst.serial}").status_code == 404
    assert client.get(f"/api/v1/instances/{inst.serial}", headers=bearer("t9001")).status_code == 404
    response = client.post(f"/api/v1/instances/{inst.serial}/actions", headers=bearer("t9001"),
                           json={"action": "approve"})
    assert response.status_code == 404
