"""Issue 21's walk, on the approver's and the delegator's pages (test client): 本次修改 names
files, 加签 and 委托设置 take a colleague's plain name, refusals speak at their own input."""
import re
from datetime import timedelta

import pytest

from app.defs.store import import_text
from app.people.directory import add_user
from app.engine import core
from app.models import Delegation, FlowRecord
from app.stats.periods import today_local
from tests.approval.test_signers import SIGNABLE, open_at
from tests.e2e.walk import person, seal_with_file, upload


@pytest.fixture
def signable(app):
    with app.app_context():
        service, _, _ = import_text(SIGNABLE, "test-chain.yaml")
        return core.start(service, person("t2001"), {"subject": "采购打印纸"})


def text(response):
    return response.get_data(as_text=True)


def test_changes_list_file_names_not_tokens(app, login_as):
    with app.app_context():
        seal, first = seal_with_file("合作协议-初稿.pdf")
        core.act(seal, person("t2002"), "return", opinion="请换成盖章版")
        second = upload("合作协议-定稿.pdf")
        core.submit(core.get_instance(seal.serial), person("t2001"), dict(seal.data, attachments=[second.token]))
    html = text(login_as("t2002").get(f"/instances/{seal.serial}"))
    changes = html[html.index('id="changes-title"'):html.index("</ul>", html.index('id="changes-title"'))]
    assert "合作协议-初稿.pdf" in changes and "合作协议-定稿.pdf" in changes
    assert first.token not in changes and second.token not in changes


@pytest.mark.parametrize("typed", ["赵敏", "t3001", "赵敏（t3001）", " 赵敏 "])
def test_add_signer_by_name_number_or_picker(app, login_as, signable, typed):
    r = login_as("t2002").post(f"/instances/{signable.serial}/act", data={
        "action": "add_signer", "position": "before", "to_users": [typed, "", ""],
        "signer_opinion": "请办公室先看", "step": "leader"})
    assert r.status_code == 302, text(r)
    assert open_at(signable) == [("t2002", "waiting"), ("t3001", "open")]
    record = FlowRecord.get(FlowRecord.instance == signable, FlowRecord.action == "add_signer")
    assert record.opinion == "请办公室先看"


def test_an_ambiguous_name_lists_the_candidates_at_the_input(app, login_as, signable):
    with app.app_context():
        add_user("t3901", name="赵敏", type="staff", department_name="财务处", password="demo1234")
    r = login_as("t2002").post(f"/instances/{signable.serial}/act", data={
        "action": "add_signer", "position": "before", "to_users": ["钱程（t3002）", "赵敏", ""],
        "signer_opinion": "内部说明：请先核对预算", "step": "leader"})
    html = text(r)
    assert r.status_code == 422
    assert "有 2 位同名的“赵敏”：赵敏（t3001，办公室）、赵敏（t3901，财务处）" in html
    # the message sits right under 加签人 2, which is the input it names
    second = re.search(r'<input type="text" name="to_users" id="to_users"[^>]*>', html).group(0)
    assert 'value="赵敏"' in second and 'aria-describedby="to_users-error"' in second
    assert html.index('id="to_users-error"') > html.index(second)
    assert html.index('id="to_users-error"') < html.index('id="signer-2"')
    # the 加签 说明 stays in its own input, never in 审批意见
    opinion = re.search(r'<textarea name="opinion" id="opinion"[^>]*>([^<]*)</textarea>', html).group(1)
    assert opinion == ""
    assert re.search(r'<textarea name="signer_opinion"[^>]*>内部说明：请先核对预算</textarea>', html)
    assert open_at(signable) == [("t2002", "open")]


def test_an_unknown_signer_is_named_under_its_input(app, login_as, signable):
    r = login_as("t2002").post(f"/instances/{signable.serial}/act", data={
        "action": "add_signer", "position": "before", "to_users": ["赵敏", "无此人", ""], "step": "leader"})
    html = text(r)
    assert r.status_code == 422 and "用户不存在：无此人" in html
    bad = re.search(r'<input type="text" name="to_users" id="to_users"[^>]*>', html).group(0)
    assert 'value="无此人"' in bad


def test_a_refused_transfer_keeps_its_note_out_of_the_opinion(app, login_as, signable):
    r = login_as("t2002").post(f"/instances/{signable.serial}/act", data={
        "action": "transfer", "to_user": "nobody", "transfer_opinion": "转给同事", "step": "leader"})
    html = text(r)
    assert r.status_code in (404, 422)
    opinion = re.search(r'<textarea name="opinion" id="opinion"[^>]*>([^<]*)</textarea>', html).group(1)
    assert opinion == ""


def _delegate(client, to_user, days=7, services=("weekly-report",)):
    today = today_local()
    return client.post("/me/delegations", data={
        "to_user": to_user, "start": today.isoformat(), "end": (today + timedelta(days=days)).isoformat(),
        "services": list(services)})


def test_delegation_by_name_shows_the_dates_and_service_as_chosen(app, login_as):
    leader = login_as("t2002")
    r = _delegate(leader, "李明")
    assert r.status_code == 302, text(r)
    made = Delegation.get()
    assert made.delegate.username == "t2001"
    html = text(leader.get("/me/delegations"))
    table = html[html.index('class="grid stack delegations"'):]
    end = (today_local() + timedelta(days=7)).isoformat()
    assert f">{end}<" in table and "00:00" not in table
    assert f">{today_local().isoformat()}<" in table
    assert "工作周报" in table and "weekly-report" not in table
    assert re.search(r'<input type="text" id="to_user"', html)


def test_delegation_to_an_ambiguous_or_unknown_name_is_refused_at_the_input(app, login_as):
    with app.app_context():
        add_user("t2901", name="李明", type="staff", department_name="财务处", password="demo1234")
    leader = login_as("t2002")
    r = _delegate(leader, "李明")
    html = text(r)
    assert r.status_code == 422 and Delegation.select().count() == 0
    assert "有 2 位同名的“李明”：李明（t2001，宣传部）、李明（t2901，财务处）" in html
    assert 'aria-describedby="to_user-error"' in html and 'value="李明"' in html
    assert html.index('id="to_user-error"') < html.index('id="start"')
    r = _delegate(leader, "林小雨")                    # a student: the engine's own words
    assert r.status_code == 422 and "只能委托给教职工" in text(r)
    assert _delegate(leader, "李明（t2901）").status_code == 302


def test_a_waiting_task_reads_in_chinese(app, login_as, signable):
    with app.app_context():
        core.act(signable, person("t2002"), "add_signer", to_users=["t3001"], position="before")
    html = text(login_as("t2002").get(f"/instances/{signable.serial}"))
    tasks = html[html.index('class="grid stack tasks"'):html.index("</table>", html.index('class="grid stack tasks"'))]
    assert "等待加签人办理" in tasks and ">waiting<" not in tasks


def test_the_deputys_todo_says_for_whom(app, login_as):
    from datetime import datetime
    from app.engine import delegation
    from tests.e2e.walk import weekly
    with app.app_context():
        now = datetime.utcnow()
        delegation.create(person("t2002"), "t9004", now - timedelta(hours=1), now + timedelta(days=3))
        inst = weekly()
    html = text(login_as("t9004").get("/me/items?box=todo"))
    row = html[html.index(f"/instances/{inst.serial}"):]
    row = row[:row.index("</tr>")]
    assert '<span class="tag deputy">代张华</span>' in row


def test_no_notes_offered_on_fields_the_applicant_cannot_change(app, login_as):
    with app.app_context():
        seal, _ = seal_with_file()
    html = text(login_as("t2002").get(f"/instances/{seal.serial}"))
    assert 'name="note-purpose"' in html and 'name="note-attachments"' in html
    assert 'name="note-unit"' not in html and 'name="note-handler"' not in html     # autofilled, read-only
