"""加签 on the approver's page: the form posts to the act route with to_users and position."""
import pytest

from app.defs.store import import_text
from app.engine import core
from app.models import FlowRecord, Instance
from tests.approval.test_signers import SIGNABLE, open_at
from tests.hall.helpers import weekly


@pytest.fixture
def signable(app):
    service, _, _ = import_text(SIGNABLE, "test-chain.yaml")
    return service


def test_the_form_shows_only_where_the_step_allows_it(app, login_as, signable, user):
    with app.app_context():
        inst = core.start(signable, user("t2001"), {"subject": "采购"})
        plain = weekly()
    html = login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    for text in ('name="position" value="before" checked', 'value="after"', 'value="parallel"',
                 "前加签", "后加签", "并行加签", 'list="signer-list"', '<option value="赵敏（t3001）">',
                 'value="add_signer"'):
        assert text in html, text
    assert '<option value="张华（t2002）">' not in html               # not oneself
    assert 'value="add_signer"' not in login_as("t2002").get(f"/instances/{plain.serial}").get_data(as_text=True)
    assert 'value="add_signer"' not in login_as("t2001").get(f"/instances/{inst.serial}").get_data(as_text=True)


def test_before_by_name_then_back(app, login_as, signable, user):
    with app.app_context():
        inst = core.start(signable, user("t2001"), {"subject": "采购"})
    leader = login_as("t2002")
    r = leader.post(f"/instances/{inst.serial}/act", data={
        "action": "add_signer", "position": "before", "to_users": ["赵敏（t3001）", "", ""],
        "opinion": "请办公室先看", "step": "leader"})
    assert r.status_code == 302
    assert open_at(inst) == [("t2002", "waiting"), ("t3001", "open")]
    record = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "add_signer")
    assert "赵敏" in record.detail and record.opinion == "请办公室先看"
    assert str(inst.serial) in login_as("t3001").get("/me/items?box=todo").get_data(as_text=True)


def test_after_with_a_bare_number_and_refusals(app, login_as, signable, user):
    with app.app_context():
        inst = core.start(signable, user("t2001"), {"subject": "采购"})
    leader = login_as("t2002")
    bad = leader.post(f"/instances/{inst.serial}/act", data={
        "action": "add_signer", "position": "before", "to_users": ["李明（t2001）"], "step": "leader"})
    assert bad.status_code == 422 and "不能加签给申请人" in bad.get_data(as_text=True)
    assert 'value="李明（t2001）"' in bad.get_data(as_text=True)        # what was typed stays
    nobody = leader.post(f"/instances/{inst.serial}/act", data={
        "action": "add_signer", "position": "before", "to_users": ["", ""], "step": "leader"})
    assert nobody.status_code == 422 and "1–10 位用户" in nobody.get_data(as_text=True)
    ok = leader.post(f"/instances/{inst.serial}/act", data={
        "action": "add_signer", "position": "after", "to_users": ["t3001"], "step": "leader"})
    assert ok.status_code == 302
    assert Instance.get(Instance.serial == inst.serial).step == "leader"
