"""The plugin's field type as its users meet it, in Chromium: the applicant on a phone, the
approver at a desk (screenshots under test-artifacts/)."""
import pytest
from playwright.sync_api import expect

from tests.browser import shot
from tests.e2e.test_hall_flow import click_and_wait, log_in
from tests.plugins.test_idcard import BAD, DEFINITION, GOOD, MASKED

pytestmark = pytest.mark.e2e


def test_applicant_on_a_phone_and_approver_at_a_desk(live_server, page_factory):
    from app.defs.store import import_text
    with live_server.app.app_context():
        import_text(DEFINITION, "id-proof.yaml")
    phone = page_factory(width=360, height=800)
    log_in(phone, live_server.url, "t2001", "demo1234")
    phone.goto(live_server.url + "/services/id-proof/start")
    phone.fill("input[name=reason]", "办理签证")
    phone.fill("input[name=idno]", BAD)
    click_and_wait(phone, "button[value=submit]")
    expect(phone.locator(".oh-field[data-field=idno]")).to_contain_text("校验码不正确")
    expect(phone.locator("input[name=idno]")).to_have_value(BAD)   # what was typed stays
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "idcard-360-refused")
    phone.fill("input[name=idno]", GOOD)
    click_and_wait(phone, "button[value=submit]")
    expect(phone.locator("body")).to_contain_text(GOOD)            # the owner sees it in full
    shot(phone, "idcard-360-submitted")

    desk = page_factory(width=1280)
    log_in(desk, live_server.url, "t2002", "demo1234")
    desk.goto(live_server.url + "/me/items?box=todo")
    expect(desk.locator("body")).to_contain_text(MASKED)              # the title in the list
    assert GOOD not in desk.content()                                 # not even in an attribute
    with desk.expect_navigation():
        desk.click(f"text={MASKED}")
    expect(desk.locator("body")).to_contain_text(MASKED)
    assert GOOD not in desk.content()
    shot(desk, "idcard-1280-approver")
