"""A real browser walks the spine: log in, start 工作周报 with two rows, the leader approves."""
from playwright.sync_api import expect

from tests.e2e.test_hall_flow import shot   # a full-page shot, then the layout settles


def log_in(page, base, username, password="demo1234"):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():             # the next goto must not cancel the login
        page.click("button[type=submit]")


def test_weekly_report_through_the_browser(live_server, page_factory):
    base = live_server.url
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2001")
    page.goto(base + "/services/weekly-report/start")
    expect(page.locator("text=齐鲁工业大学工作周报").first).to_be_visible()
    page.locator("textarea[name='items-0-text']").fill("第一项工作")
    page.locator("button:has-text('新增')").first.click()
    page.locator("textarea[name='items-1-text']").fill("第二项工作")
    shot(page, "smoke-360-form")
    page.click("button[value=submit]")
    page.wait_for_url("**/instances/*")
    serial = page.locator(".serial-no").inner_text()
    expect(page.locator("body")).to_contain_text("办理中")

    leader = page_factory()
    log_in(leader, base, "t2002")
    leader.goto(base + "/me/items?box=todo")
    row = leader.locator("table.items tr", has_text=serial)
    row.locator("a").click()
    leader.wait_for_url(f"**/instances/{serial}")
    leader.fill("textarea[name=opinion]", "同意")
    leader.click("button[value=approve]")                  # the last step: it asks first
    with leader.expect_navigation():
        leader.click("#confirm-dialog [data-dialog-ok]")
    shot(leader, "smoke-approved")
    expect(leader.locator(".inst-status")).to_have_text("已完成")
    expect(leader.locator("body")).to_contain_text("第二项工作")
