"""退回 with field notes on the web: the approver's 字段批注, the notes at the applicant's fields and
in the banner, and 本次修改 (the diff of the last two submissions) for the approver."""
import pytest

from app.defs.store import import_text
from app.engine import core
from app.models import FlowRecord, Instance
from tests.engine.conftest import CHAIN


@pytest.fixture
def chain(app):
    service, _, _ = import_text(CHAIN, "test-chain.yaml")
    return service


def html_of(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_return_with_notes_then_the_changes(app, login_as, chain, user):
    with app.app_context():
        inst = core.start(chain, user("t2001"), {"subject": "采购", "note": "无"})
    leader = login_as("t2002")
    page = html_of(leader, f"/instances/{inst.serial}")
    assert '<details class="field-notes">' in page and "字段批注" in page
    assert 'name="note-subject"' in page and 'name="note-amount"' in page and "标注：事由" in page
    assert "本次修改" not in page                                       # first submission
    r = leader.post(f"/instances/{inst.serial}/act", data={
        "action": "return", "opinion": "请修改", "step": "leader",
        "note-subject": "事由写具体些", "note-note": "  ", "note-amount": ""})
    assert r.status_code == 302
    record = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "return")
    assert record.notes == {"subject": "事由写具体些"}

    applicant = login_as("t2001")
    page = html_of(applicant, f"/instances/{inst.serial}")
    assert '<ul class="return-notes"><li><b>事由</b>：事由写具体些</li></ul>' in page
    field = page.split('data-field="subject"')[1].split('data-field="amount"')[0]
    assert '<p class="oh-note" role="note" id="subject-note"><b>退回批注：</b>事由写具体些</p>' in field
    assert 'aria-describedby="subject-note"' in field           # the note is tied to its input
    assert page.count('class="oh-note"') == 1

    with app.app_context():
        core.submit(Instance.get(Instance.serial == inst.serial), user("t2001"),
                    {"subject": "采购打印纸", "note": "无"})
    page = html_of(leader, f"/instances/{inst.serial}")
    assert "本次修改" in page
    changes = page.split('class="changes"')[1].split("</div>")[0]
    assert "<b>事由</b>：<del>采购</del> → <ins>采购打印纸</ins>" in changes
    assert "备注" not in changes                                          # unchanged
    assert "本次修改" not in html_of(applicant, f"/instances/{inst.serial}")  # the approver's view
    assert 'class="oh-note"' not in html_of(applicant, f"/instances/{inst.serial}")  # running again


def test_a_note_on_an_unknown_field_is_refused(app, login_as, chain, user):
    with app.app_context():
        inst = core.start(chain, user("t2001"), {"subject": "采购"})
    r = login_as("t2002").post(f"/instances/{inst.serial}/act", data={
        "action": "return", "opinion": "请修改", "step": "leader", "note-nope": "x"})
    assert r.status_code == 422
    assert Instance.get(Instance.serial == inst.serial).status == "running"


def test_approve_ignores_notes(app, login_as, chain, user):
    with app.app_context():
        inst = core.start(chain, user("t2001"), {"subject": "采购"})
    r = login_as("t2002").post(f"/instances/{inst.serial}/act", data={
        "action": "approve", "opinion": "同意", "step": "leader", "note-subject": "x"})
    assert r.status_code == 302
    assert Instance.get(Instance.serial == inst.serial).step == "keeper"
