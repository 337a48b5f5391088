"""A group's own if/then/else in a real browser: ticking 出境 inside the group 行程 shows
护照号 and hides 车次; the submitted data keeps only what was shown."""
import os

import pytest
from playwright.sync_api import expect

from app.defs import wrap
from tests.defs.test_schema_nested_conditions import SCHEMA

SHOTS = os.environ.get("ONEHALL_SHOTS", "/work/shots/schema-builder")


def log_in(page, base, username):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")


@pytest.mark.parametrize("width", [1280, 360])
def test_toggling_a_groups_condition_shows_and_hides_its_branch_fields(live_server, page_factory, width):
    with live_server.app.app_context():
        from app.defs.store import import_text
        import_text(wrap.wrap_text(SCHEMA, name="出差申请", department="宣传部", slug="trip", number=59010), "trip.yaml")
    page = page_factory(width=width)
    log_in(page, live_server.url, "t2001")
    page.goto(live_server.url + "/services/trip/start")
    passport, train = page.locator("[data-subfield=passportNo]"), page.locator("[data-subfield=train]")
    hotel = page.locator("[data-subfield=hotel]")
    expect(passport).to_be_hidden()
    expect(train).to_be_visible()
    expect(hotel).to_be_hidden()
    page.get_by_label("出境").check()
    expect(passport).to_be_visible()
    expect(train).to_be_hidden()
    page.fill("[name='trip-place']", "东京")
    expect(hotel).to_be_visible()
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"nested-condition-{width}.png"), full_page=True)
    page.get_by_label("出境").uncheck()
    expect(passport).to_be_hidden()
    expect(train).to_be_visible()
    page.fill("[name='trip-train']", "G1")
    page.get_by_label("出境").check()
    page.fill("[name='trip-passportNo']", "E12345678")
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/instances/*")
    from app.models import Instance
    with live_server.app.app_context():
        data = Instance.select().order_by(Instance.id.desc()).get().data
    assert data["trip"] == {"abroad": True, "place": "东京", "passportNo": "E12345678"}
