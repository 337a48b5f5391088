"""Issue 21's rules as users see them, in Chromium at 1280 and 360 px: a leader's own
application escalated (the record says why), 加签 to a student refused naming them, a
delegation of more than a year refused at 结束日期. Screenshots: test-artifacts/trust-rules/
(and /work/shots/trust-rules/ when that folder exists)."""
import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.engine import core
from app.models import utcnow
from tests.browser import ARTIFACTS
from tests.e2e.walk import log_in, no_sideways_scroll, person, service

SHOTS = [os.path.join(ARTIFACTS, "trust-rules"), "/work/shots/trust-rules"]


def shot(page, name):
    for folder in SHOTS:
        if folder.startswith(ARTIFACTS) or os.path.isdir(folder):
            os.makedirs(folder, exist_ok=True)
            page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 360])
def test_an_escalated_application_says_why(live_server, page_factory, width):
    with live_server.app.app_context():
        serial = core.start(service("weekly-report"), person("t2002"),
                            {"items": [{"text": "部门领导本人的周报"}]}).serial
    page = page_factory(width=width, height=800)
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/instances/{serial}")
    expect(page.get_by_text("申请人不能审批本人的申请，已转交").first).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, f"escalated-{width}")
    own = page_factory(width=width, height=800)
    log_in(own, live_server.url, "t2002")
    own.goto(f"{live_server.url}/instances/{serial}")
    expect(own.get_by_role("button", name="通过")).to_have_count(0)


def test_add_signer_to_a_student_is_refused_by_name_at_360(live_server, page_factory):
    from app.defs.store import import_text
    from tests.api.test_trust import SIGNING
    with live_server.app.app_context():
        import_text(SIGNING, "signing.yaml")
        serial = core.start(service("test-chain"), person("t2001"), {"subject": "采购"}).serial
    page = page_factory(width=360, height=780)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/instances/{serial}")
    page.locator("details.add-signer summary").click()
    page.get_by_role("radio", name="前加签").check()
    page.get_by_role("combobox", name="加签人 1").fill("林小雨（s2023001）")
    with page.expect_navigation():
        page.locator("details.add-signer button[value=add_signer]").click()
    expect(page.get_by_text("林小雨（s2023001）").first).to_be_visible()
    expect(page.get_by_text("只能加签给在职教职工").first).to_be_visible()
    shot(page, "add-signer-student-360")


def test_a_delegation_longer_than_a_year_is_refused_at_360(live_server, page_factory):
    china = utcnow() + timedelta(hours=8)
    page = page_factory(width=360, height=780)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/me/delegations")
    page.fill("input[name=to_user]", "t9002")
    page.fill("input[name=start]", china.date().isoformat())
    page.fill("input[name=end]", (china.date() + timedelta(days=400)).isoformat())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_text("委托期限最长为一年").first).to_be_visible()
    shot(page, "delegation-over-a-year-360")
