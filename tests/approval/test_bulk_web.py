"""批量审批 on the web: 待办 has a checkbox per row and one opinion box; each ticked item is
approved on its own (the bulk API's logic) and the result of each shows as a flash."""
import re

import pytest

from app.defs.store import import_text
from app.engine import core
from app.models import Instance
from tests.engine.conftest import CHAIN
from tests.hall.helpers import weekly

NO_OPINION = CHAIN.replace("    opinion: required\n    actions: [approve, return, terminate]",
                           "    actions: [approve, return, terminate]")


@pytest.fixture
def easy(app):
    service, _, _ = import_text(NO_OPINION, "test-chain.yaml")
    return service


def chain_item(service, user, subject="采购"):
    return core.start(service, user("t2001"), {"subject": subject}).serial


def step_of(serial):
    return Instance.get(Instance.serial == serial).step


def flashes(html):
    return re.findall(r'<div class="flash flash-(\w+)" role="status">([^<]*)</div>', html)


def test_todo_rows_have_named_checkboxes_and_a_bulk_bar(app, login_as):
    with app.app_context():
        inst = weekly()
    html = login_as("t2002").get("/me/items?box=todo").get_data(as_text=True)
    assert f'name="serial" value="{inst.serial}" form="bulk-form"' in html
    assert f'aria-label="选择 工作周报_李明_宣传部（流水号 {inst.serial}）"' in html
    assert 'id="bulk-form"' in html and "批量通过" in html and 'id="bulk-opinion"' in html
    other = login_as("t2001").get("/me/items?box=in_progress").get_data(as_text=True)
    assert 'id="bulk-form"' not in other and 'type="checkbox"' not in other


def test_two_approved_at_once_and_one_refused_for_its_opinion(app, login_as, easy, user):
    with app.app_context():
        a, b = chain_item(easy, user), chain_item(easy, user, "打印")
        needs_opinion = weekly().serial
    leader = login_as("t2002")
    r = leader.post("/me/items/actions", data={"serial": [a, b, needs_opinion], "opinion": ""})
    assert r.status_code == 302 and r.headers["Location"].endswith("/me/items?box=todo")
    got = flashes(leader.get("/me/items?box=todo").get_data(as_text=True))
    assert ("success", f"流水号 {a}：已通过") in got and ("success", f"流水号 {b}：已通过") in got
    assert ("error", f"流水号 {needs_opinion}：需要填写意见") in got
    assert step_of(a) == step_of(b) == "keeper" and step_of(needs_opinion) == "leader"


def test_already_handled_form_steps_and_nothing_ticked(app, login_as, easy, user):
    with app.app_context():
        a = weekly().serial
        keeper_item = chain_item(easy, user)
        core.act(Instance.get(Instance.serial == keeper_item), user("t2002"), "approve")
    leader = login_as("t2002")
    leader.post("/me/items/actions", data={"serial": [a], "opinion": "同意"})
    leader.get("/me/items")
    leader.post("/me/items/actions", data={"serial": [a], "opinion": "同意"})
    [(kind, text)] = flashes(leader.get("/me/items?box=todo").get_data(as_text=True))
    assert kind == "error" and text.startswith(f"流水号 {a}：") and text != f"流水号 {a}：已通过"
    keeper = login_as("t3002")
    keeper.post("/me/items/actions", data={"serial": [keeper_item], "opinion": "办结"})
    got = flashes(keeper.get("/me/items?box=todo").get_data(as_text=True))
    assert got == [("error", f"流水号 {keeper_item}：需要在办理页面填写表单")]
    assert step_of(keeper_item) == "keeper"
    keeper.post("/me/items/actions", data={"serial": ["x"], "opinion": ""})
    assert flashes(keeper.get("/me/items?box=todo").get_data(as_text=True)) == \
        [("error", "请先勾选要批量通过的事项")]
