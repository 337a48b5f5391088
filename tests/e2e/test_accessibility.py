"""axe-core finds no serious or critical violation on the pages applicants and approvers use
(issue 11), at desktop width and on a 360 px phone, in Chinese and in English."""
import json
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from app.engine import core
from tests.browser import ARTIFACTS
from tests.e2e.walk import import_every_type, log_in, person, seal_with_file, service, weekly

AXE = Axe()
BLOCKING = ("serious", "critical")


def blocking(page):
    results = AXE.run(page)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING], results


@pytest.fixture
def hall(live_server):
    """Instances to look at: a 工作周报 waiting for t2002 and a returned 用印申请 with a file."""
    with live_server.app.app_context():
        import_every_type()
        inst = weekly()
        seal, _ = seal_with_file()
        core.act(seal, person("t2002"), "approve", opinion="同意")
        returned = weekly("整理本周宣传稿件")
        core.act(returned, person("t2002"), "return", opinion="请补充",
                 field_notes={"items": "请写明每项工作的完成情况"})
    return live_server, inst.serial, seal.serial, returned.serial


PAGES = [
    ("home", None, "/"),
    ("catalog", None, "/services"),
    ("guide", None, "/services/weekly-report"),
    ("login", None, "/login"),
    ("forgot", None, "/password/forgot"),
    ("forgot-sms", None, "/password/forgot/sms"),
    ("home-signed-in", "t2001", "/"),
    ("every-type-form", "t2001", "/services/every-type/start"),
    ("every-type-errors", "t2001", "POST /services/every-type/start"),
    ("center", "t2002", "/me/items"),
    ("center-done", "t2001", "/me/items?box=done"),
    ("profile", "t2001", "/me/profile"),
    ("instance-applicant", "t2001", "/instances/{weekly}"),
    ("instance-approver", "t2002", "/instances/{weekly}"),
    ("instance-files-approver", "t2002", "/instances/{seal}"),
    ("print", "t2001", "/instances/{weekly}/print"),
    ("returned-form", "t2001", "/instances/{returned}"),          # issue 21: notes, 退回
    ("stats", "t2002", "/stats"),
    ("delegations", "t2002", "/me/delegations"),
    ("todo-with-badge", "t2002", "/me/items?box=todo"),
]


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_no_serious_or_critical_violations(hall, page_factory, width, lang):
    server, weekly_serial, seal_serial, returned_serial = hall
    counts, found = {}, {}
    pages = {}
    for name, user, path in PAGES:
        page = pages.get(user)
        if page is None:
            page = pages[user] = page_factory(width=width)
            page.goto(server.url + f"/lang/{lang}")
            if user:
                log_in(page, server.url, user)
        path = path.format(weekly=weekly_serial, seal=seal_serial, returned=returned_serial)
        if path.startswith("POST "):
            page.goto(server.url + path[5:])
            with page.expect_navigation():
                page.click("button[value=submit]")
        else:
            page.goto(server.url + path)
        violations, results = blocking(page)
        counts[name] = len(violations)
        if violations:
            found[name] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, f"axe-{lang}-{width}.json"), "w") as out:
        json.dump({"serious_or_critical": counts, "details": found}, out, ensure_ascii=False, indent=1)
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_open_menu_and_the_confirm_dialog_pass_too(hall, page_factory):
    server, weekly_serial, _, _ = hall
    page = page_factory(width=360)
    log_in(page, server.url, "t2002")
    page.goto(f"{server.url}/instances/{weekly_serial}")
    page.click(".menu-toggle")
    assert blocking(page)[0] == []
    page.keyboard.press("Escape")
    page.fill("#opinion", "同意")
    page.click("button[value=approve]")
    expect(page.locator("#confirm-dialog")).to_be_visible()
    assert blocking(page)[0] == []
