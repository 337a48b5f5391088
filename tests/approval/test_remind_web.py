"""催办 on the applicant's page: a button when 'remind' is available; a second click within
the hour is the engine's 429 message as a flash on the instance page, not an error page."""
from datetime import timedelta

from app.models import FlowRecord
from tests.hall.helpers import weekly


def test_remind_button_then_too_soon_is_a_flash(app, login_as):
    with app.app_context():
        inst = weekly()
    applicant = login_as("t2001")
    html = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert 'name="action" value="remind"' in html and ">催办</button>" in html
    assert 'value="remind"' not in login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    first = applicant.post(f"/instances/{inst.serial}/act", data={"action": "remind"})
    assert first.status_code == 302 and first.headers["Location"].endswith(f"/instances/{inst.serial}")
    page = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert '<div class="flash flash-success" role="status">已催办，已提醒当前办理人尽快办理</div>' in page
    record = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "remind")
    assert record.detail == "催办：张华"
    again = applicant.post(f"/instances/{inst.serial}/act", data={"action": "remind"})
    assert again.status_code == 302
    page = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert '<div class="flash flash-error" role="status">每个步骤每小时只能催办一次，请稍后再试</div>' in page
    assert FlowRecord.select().where(FlowRecord.instance == inst, FlowRecord.action == "remind").count() == 1
    FlowRecord.update(at=record.at - timedelta(hours=2)).where(FlowRecord.id == record.id).execute()
    assert applicant.post(f"/instances/{inst.serial}/act", data={"action": "remind"}).status_code == 302
    assert FlowRecord.select().where(FlowRecord.instance == inst, FlowRecord.action == "remind").count() == 2


def test_too_soon_in_english(app, login_as):
    with app.app_context():
        inst = weekly()
    applicant = login_as("t2001")
    applicant.set_cookie("lang", "en")
    applicant.post(f"/instances/{inst.serial}/act", data={"action": "remind"})
    assert "Reminder sent" in applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    applicant.post(f"/instances/{inst.serial}/act", data={"action": "remind"})
    page = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "one reminder per step each hour" in page and "Send a reminder" in page
