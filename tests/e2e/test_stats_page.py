"""统计分析 in a real browser at 1280 and 360 px: reached from the nav, figures, charts beside
their tables, the slow service flagged, no horizontal scroll on a phone."""
import pytest

from tests.e2e.test_hall_flow import open_menu
from playwright.sync_api import expect

from tests.browser import shot
from tests.stats import history


@pytest.mark.parametrize("width", [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")])
def test_stats_page(live_server, page_factory, width):
    from app.db import db
    with live_server.app.app_context():
        db.connect(reuse_if_open=True)
        history.seed()
        db.close()
    page = page_factory(width=width, height=900 if width > 400 else 780)
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.goto(live_server.url + "/login")
    page.fill("input[name=username]", "t1001")
    page.fill("input[name=password]", "demo1234")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    open_menu(page)                                   # on a phone the nav sits behind 菜单
    with page.expect_navigation():
        page.click(".mainnav a:has-text('统计分析')")
    page.check("input[name=period][value=custom]")
    page.fill("input[name=from]", history.WINDOW["from"])
    page.fill("input[name=to]", history.WINDOW["to"])
    with page.expect_navigation():
        page.click(".stats-form button[type=submit]")
    expect(page.locator(".kpi-started")).to_have_text("10")
    expect(page.locator(".kpi-overdue")).to_have_text("1")
    expect(page.locator(".kpi-median")).to_contain_text("20.0")
    expect(page.locator("li.slow-service")).to_contain_text("网络及多媒体故障报修")
    expect(page.locator("figure.chart svg.chart-svg")).to_have_count(3)
    expect(page.locator("table.trend-table tbody tr")).to_have_count(6)
    expect(page.locator("tr.slow[data-service=network-repair]")).to_have_count(1)
    expect(page.locator(".recent-remarks .remark")).to_have_count(2)
    expect(page.locator("svg script")).to_have_count(0)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"
    box = page.locator("figure.chart").first.bounding_box()
    assert box["width"] <= width
    shot(page, f"stats-{width}")
    assert not errors, errors
