"""The guide's whole story in a real browser, at desktop width and on a 360 px phone.

A new staff member (created like `flask users add` with an ID card) logs in with the last six
digits of the ID card and must change the password; finds 工作周报 in the service center by
its pinyin initial G; fills two rows (新增, 上移); saves a draft; reopens it from 我的申请 and
submits; the 宣传部 leader (t2002) finds it under 待办事项 and returns it with an opinion; the
applicant fixes and resubmits; the leader approves; the applicant finds it under 已完成事项 and
rates it. Screenshots of every page go to test-artifacts/.
"""
import re

import pytest
from playwright.sync_api import expect

from app.models import Instance
from app.models.hall import Rating
from tests.browser import shot as full_page_shot

NEW_USER, ID_CARD, NEW_PASSWORD = "20240017", "370102199203154321", "Zhou2024ok"
WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]


def shot(page, name):
    """A full-page screenshot, then settle the layout.

    After the temporary full-height viewport of a full-page shot, Chromium may re-lay the page
    out only when focus next moves — between a click's mousedown and mouseup — so the page
    scrolls and the click lands beside its target. Moving focus away first avoids that.
    """
    full_page_shot(page, name)
    page.evaluate("""() => new Promise(done => {
        if (document.activeElement) document.activeElement.blur();
        requestAnimationFrame(() => requestAnimationFrame(done));
    })""")


def log_in(page, base, username, password):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    click_and_wait(page, "main form button[type=submit]")


def click_and_wait(page, selector):
    """Click a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.click(selector)


def open_menu(page):
    """On a phone the top bar's links are behind its menu button."""
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():               # a layout question (phone or desktop), settled at load
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")


def confirm_and_wait(page, selector):
    """Click an action that asks first (退回, 终止, a final 通过) and confirm in the dialog."""
    page.click(selector)
    expect(page.locator("#confirm-dialog")).to_be_visible()
    with page.expect_navigation():
        page.click("#confirm-dialog [data-dialog-ok]")


def open_box(page, label):
    open_menu(page)
    with page.expect_navigation():
        page.click(".mainnav a:has-text('个人中心')")
    with page.expect_navigation():
        page.click(f".box-tabs a:has-text('{label}')")
    expect(page.locator(".box-tabs a.active")).to_have_text(re.compile(label))


def open_row(page, serial):
    with page.expect_navigation():
        page.locator("table.items tr", has_text=str(serial)).locator("a").first.click()
    expect(page).to_have_url(re.compile(rf"/instances/{serial}$"))


def expect_rows(page, texts):
    """The 内容 rows hold these texts in this order (waiting while the page's script moves them)."""
    expect(page.locator("textarea[name^='items-'][name$='-text']")).to_have_count(len(texts))
    for i, text in enumerate(texts):
        expect(page.locator(f"textarea[name='items-{i}-text']")).to_have_value(text)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_hall_flow(live_server, page_factory, width):
    base, tag = live_server.url, f"hall-{width}"
    with live_server.app.app_context():
        from app.people.directory import add_user
        add_user(NEW_USER, name="周新", type="staff", department_name="宣传部", id_card=ID_CARD)

    # first login with the initial password → change it
    me = page_factory(width=width, height=800)
    log_in(me, base, NEW_USER, ID_CARD[-6:])
    me.wait_for_url("**/password*")
    shot(me, f"{tag}-01-change-password")
    me.goto(base + "/me/items")                                  # nothing else is reachable
    expect(me).to_have_url(re.compile("/password"))
    me.fill("input[name=old_password]", ID_CARD[-6:])
    me.fill("input[name=new_password]", NEW_PASSWORD)
    me.fill("input[name=confirm]", NEW_PASSWORD)
    click_and_wait(me, "main form button[type=submit]")
    expect(me).to_have_url(base + "/")
    expect(me.locator("text=您有0项待办理的事项")).to_be_visible()
    shot(me, f"{tag}-02-home")
    assert no_horizontal_scroll(me)

    # the service center, by pinyin initial G
    open_menu(me)
    with me.expect_navigation():
        me.click(".mainnav a:has-text('服务中心')")
    with me.expect_navigation():
        me.click(".letters a.chip:text-is('G')")
    expect(me).to_have_url(re.compile(r"/services\?initial=G$"))
    expect(me.locator(".tile-name")).to_have_text(["工作周报"])
    shot(me, f"{tag}-03-service-center-G")
    assert no_horizontal_scroll(me)
    with me.expect_navigation():
        me.click(".tiles a:has-text('工作周报')")
    expect(me.locator("text=校(院)各部门、单位均可填报工作进展。")).to_be_visible()
    shot(me, f"{tag}-04-guide")
    with me.expect_navigation():
        me.click("a:has-text('我要办理')")
    expect(me).to_have_url(re.compile("/services/weekly-report/start$"))

    # two rows: fill, 新增, fill, 上移 → the second row comes first; save a draft
    me.fill("textarea[name='items-0-text']", "整理宣传稿件")
    me.click("button.oh-btn-add")
    me.fill("textarea[name='items-1-text']", "更新学校主页新闻")
    me.locator("tr.oh-row").nth(1).locator("[data-row-action=up]").click()
    expect_rows(me, ["更新学校主页新闻", "整理宣传稿件"])
    shot(me, f"{tag}-05-form-two-rows")
    click_and_wait(me, "button[value=draft]")
    serial = int(me.locator(".serial-no").inner_text())
    assert Instance.get(Instance.serial == serial).status == "draft"

    # reopen it from 我的申请 and submit
    open_box(me, "我的申请")
    expect(me.locator("table.items", has_text=str(serial))).to_be_visible()
    shot(me, f"{tag}-06-my-applications")
    open_row(me, serial)
    expect_rows(me, ["更新学校主页新闻", "整理宣传稿件"])
    click_and_wait(me, "button[value=submit]")
    expect(me.locator(".flash-success", has_text="已提交")).to_be_visible()
    expect(me.locator(".ms-current .ms-here")).to_have_text("当前步骤")       # the leader is at that step
    shot(me, f"{tag}-07-submitted-progress")

    # the leader returns it with an opinion
    leader = page_factory(width=width, height=800)
    log_in(leader, base, "t2002", "demo1234")
    open_box(leader, "待办事项")
    shot(leader, f"{tag}-08-leader-todo")
    open_row(leader, serial)
    leader.fill("textarea[name=opinion]", "请补充第三项工作")
    shot(leader, f"{tag}-09-leader-review")
    expect(leader.locator(".ms-current .ms-here")).to_have_text("您正在此步")
    confirm_and_wait(leader, "button[value=return]")
    assert Instance.get(Instance.serial == serial).status == "returned"

    # the applicant fixes and resubmits
    open_box(me, "待办事项")
    open_row(me, serial)
    expect(me.locator(".return-opinion", has_text="请补充第三项工作")).to_be_visible()
    me.click("button.oh-btn-add")
    me.fill("textarea[name='items-2-text']", "撰写校庆专题")
    shot(me, f"{tag}-10-fix-after-return")
    click_and_wait(me, "button[value=submit]")
    assert Instance.get(Instance.serial == serial).status == "running"

    # the leader approves
    leader.goto(base + "/me/items?box=todo")
    open_row(leader, serial)
    leader.fill("textarea[name=opinion]", "同意")
    confirm_and_wait(leader, "button[value=approve]")           # it completes the instance
    shot(leader, f"{tag}-11-leader-approved")
    inst = Instance.get(Instance.serial == serial)
    assert inst.status == "completed"
    assert [r["text"] for r in inst.data["items"]] == ["更新学校主页新闻", "整理宣传稿件", "撰写校庆专题"]

    # the applicant finds it under 已完成事项 and rates it
    open_box(me, "已完成事项")
    shot(me, f"{tag}-12-completed")
    open_row(me, serial)
    for header in ("任务名", "状态", "办理时间", "办理用户"):      # a header, or a label per cell on a phone
        label = me.locator(f"table.tasks th:text-is('{header}'), table.tasks td[data-label='{header}'] >> visible=true")
        expect(label.first).to_be_visible()
    me.click("label[for=star-5]")
    me.fill("textarea[name=remark]", "流程清楚，办理很快")
    shot(me, f"{tag}-13-rate")
    click_and_wait(me, ".rate-form button[type=submit]")
    expect(me.locator(".my-rating")).to_be_visible()
    rating = Rating.get()
    assert (rating.stars, rating.remark) == (5, "流程清楚，办理很快")
    shot(me, f"{tag}-14-rated")
    me.goto(base + "/services/weekly-report")
    expect(me.locator("text=5.0 · 1人评价")).to_be_visible()
    shot(me, f"{tag}-15-guide-rated")
    assert no_horizontal_scroll(me)
