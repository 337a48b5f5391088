"""Two admins edit one draft in two browsers: the second save is refused with who changed
the draft and when, and the second admin's typing is still on screen to save again."""
import re

from playwright.sync_api import expect

from tests.browser import shot
from tests.e2e.test_smoke import log_in


def open_field(page, base):
    page.goto(base + "/designer/services/")
    page.locator("tr", has_text="工作周报").locator("a[title='编辑草稿']").click()
    page.click("a.nav-link:has-text('表单字段')")
    page.click("tr[data-field=unit] >> text=编辑")
    page.wait_for_selector("#label")


def test_a_stale_save_in_the_browser_is_refused_and_keeps_the_typing(live_server, page_factory):
    base = live_server.url
    admin, zhang = page_factory(), page_factory(width=360, height=780)
    log_in(admin, base, "admin")
    log_in(zhang, base, "t2002")
    open_field(admin, base)
    open_field(zhang, base)

    zhang.fill("#label", "所在单位")
    zhang.click("button:has-text('保存到草稿')")
    zhang.wait_for_url("**/fields")
    expect(zhang.locator("body")).to_contain_text("已保存到草稿")

    admin.fill("#label", "填报单位")
    admin.fill("#help", "自动填写，不能修改")
    admin.click("button:has-text('保存到草稿')")
    expect(admin.locator(".alert", has_text="此草稿已被")).to_contain_text(
        re.compile(r"此草稿已被 张华 于 \d\d:\d\d 修改"))
    expect(admin.locator("#label")).to_have_value("填报单位")
    expect(admin.locator("#help")).to_have_value("自动填写，不能修改")
    shot(admin, "designer-conflict-1280")

    admin.click("button:has-text('保存到草稿')")               # re-applied on top of 张华's change
    admin.wait_for_url("**/fields")
    expect(admin.locator("tr[data-field=unit]")).to_contain_text("填报单位")
    assert admin.locator("tr[data-field=unit]").inner_text().count("填报单位") == 1   # once, not twice

    zhang.reload()
    expect(zhang.locator("tr[data-field=unit]")).to_contain_text("填报单位")
    zhang.click("tr[data-field=unit] >> text=编辑")
    zhang.wait_for_selector("#label")
    admin.goto(zhang.url)
    admin.fill("#label", "单位")
    admin.click("button:has-text('保存到草稿')")
    admin.wait_for_url("**/fields")
    zhang.fill("#label", "单位名称")
    zhang.click("button:has-text('保存到草稿')")
    expect(zhang.locator("body")).to_contain_text("此草稿已被 系统管理员")
    shot(zhang, "designer-conflict-360")
