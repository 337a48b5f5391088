"""转办 from the instance page, and the 逾期 tag on list rows."""
from datetime import timedelta

from app.models import FlowRecord, Instance, Task, utcnow


def submit_weekly(client):
    r = client.post("/services/weekly-report/start", data={"items-0-text": "周报", "op": "submit"})
    return int(r.headers["Location"].rsplit("/", 1)[1])


def test_assignee_transfers_from_the_page(login_as):
    serial = submit_weekly(login_as("t2001"))
    leader = login_as("t2002")
    page = leader.get(f"/instances/{serial}").get_data(as_text=True)
    assert "转办" in page and 'name="to_user"' in page
    r = leader.post(f"/instances/{serial}/act",
                    data={"action": "transfer", "to_user": "t9002", "opinion": "出差，请代办", "step": "leader"})
    assert r.status_code == 302
    inst = Instance.get(Instance.serial == serial)
    assert [t.assignee.username for t in Task.select().where(Task.instance == inst, Task.status == "open")] == ["t9002"]
    assert FlowRecord.select().where(FlowRecord.instance == inst, FlowRecord.action == "transfer").count() == 1
    assert "出差，请代办" in login_as("t9002").get(f"/instances/{serial}").get_data(as_text=True)


def test_transfer_to_nobody_is_refused_on_the_page(login_as):
    serial = submit_weekly(login_as("t2001"))
    r = login_as("t2002").post(f"/instances/{serial}/act",
                               data={"action": "transfer", "to_user": "nobody", "step": "leader"})
    assert r.status_code == 422 and "用户不存在" in r.get_data(as_text=True)


def test_overdue_items_are_tagged(login_as):
    applicant = login_as("t2001")
    serial = submit_weekly(applicant)
    leader = login_as("t2002")
    assert "逾期" not in leader.get("/me/items?box=todo").get_data(as_text=True)
    Instance.update(due=utcnow() - timedelta(days=1)).where(Instance.serial == serial).execute()
    assert "逾期" in leader.get("/me/items?box=todo").get_data(as_text=True)
    assert "逾期" in applicant.get("/me/items?box=in_progress").get_data(as_text=True)
