"""Issue 11 in Chromium: the applicant (t2001 李明) and the approver (t2002 张华) at 1280 and
360 px — files, refused forms, phone layouts, confirmations, tap targets, accessible names.
Screenshots go to test-artifacts/issue11/."""
import os
import re

import pytest
from playwright.sync_api import expect

from app.engine import core
from app.models import Instance
from tests.browser import ARTIFACTS
from tests.e2e.walk import PDF, log_in, no_sideways_scroll, person, seal_with_file, weekly

WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(360, id="phone")]
OPINION = "请补充各项工作的完成情况和下周计划，写明负责人"


def shot(page, name):
    folder = os.path.join(ARTIFACTS, "issue11")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def status_of(app, serial):
    with app.app_context():
        return Instance.get(Instance.serial == serial).status


def box(locator):
    return locator.bounding_box()


# ---------------------------------------------------------------- 3. phone layouts

@pytest.fixture
def returned_weekly(live_server):
    """A 工作周报 with two rows, returned once with a long opinion and resubmitted."""
    with live_server.app.app_context():
        inst = weekly()
        inst = core.act(inst, person("t2002"), "return", opinion=OPINION)
        core.submit(inst, person("t2001"), None)
    return inst.serial


def test_phone_pages_never_scroll_sideways_and_tables_become_cards(live_server, page_factory, returned_weekly):
    base, serial = live_server.url, returned_weekly
    guide = page_factory(width=360, height=780)
    log_in(guide, base, "t2001")
    guide.goto(base + "/services/weekly-report")
    shot(guide, "after-guide-360")
    assert no_sideways_scroll(guide)
    name = guide.locator("table.meta td", has_text="工作周报").first
    assert box(name)["height"] < 50 and box(name)["width"] > 120     # one line, not 工/作/周/报
    contact = guide.locator("table.meta th", has_text="咨询电话")
    assert box(contact)["x"] + box(contact)["width"] <= 360

    approver = page_factory(width=360, height=780)
    log_in(approver, base, "t2002")
    approver.goto(f"{base}/instances/{serial}")
    shot(approver, "after-approver-360")
    assert no_sideways_scroll(approver)
    cells = approver.locator("table.oh-subtable td.oh-ro-value")
    expect(cells).to_have_count(2)
    for i in range(2):
        cell = cells.nth(i)
        assert cell.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert box(cell)["x"] + box(cell)["width"] <= 360 - 8 and box(cell)["width"] > 250
    label = approver.locator(".oh-readonly th", has_text="单位").first
    assert box(label)["height"] < 50 and box(label)["width"] < 120        # short fields stay label | value
    scroller = approver.locator(".oh-readonly .oh-scroll")
    assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth")     # nothing hidden to the right
    assert cells.first.evaluate("el => getComputedStyle(el, '::before').content").strip('"') == "工作内容"

    printed = page_factory(width=360, height=780)
    log_in(printed, base, "t2001")
    printed.goto(f"{base}/instances/{serial}/print")
    shot(printed, "after-print-360")
    assert no_sideways_scroll(printed)
    opinion = printed.locator("table.approvals td", has_text=OPINION)
    assert box(opinion)["width"] > 250 and box(opinion)["height"] < 100      # not one character per line

    applicant = page_factory(width=360, height=780)
    log_in(applicant, base, "t2001")
    applicant.goto(f"{base}/instances/{serial}")
    shot(applicant, "after-applicant-360")
    assert no_sideways_scroll(applicant)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways(live_server, page_factory, returned_weekly, width):
    base = live_server.url
    page = page_factory(width=width)
    log_in(page, base, "t2002")
    for path in ("/", "/services", "/services/tech-contract", "/services/seal-request/start",
                 "/me/items", f"/instances/{returned_weekly}", f"/instances/{returned_weekly}/print",
                 "/me/profile"):
        page.goto(base + path)
        assert no_sideways_scroll(page), path


# ---------------------------------------------------------------- 1. approvers open files

@pytest.mark.parametrize("width", WIDTHS)
def test_the_approver_downloads_the_file_by_its_name(live_server, page_factory, width):
    with live_server.app.app_context():
        inst, _ = seal_with_file("盖章文件（终稿）.pdf")
    page = page_factory(width=width)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/instances/{inst.serial}")
    shot(page, f"approver-file-{width}")
    for where in ("", "/print"):
        page.goto(f"{live_server.url}/instances/{inst.serial}{where}")
        with page.expect_download() as download:
            page.get_by_role("link", name="盖章文件（终稿）.pdf").click()
        assert download.value.suggested_filename == "盖章文件（终稿）.pdf"
        with open(download.value.path(), "rb") as got:
            assert got.read() == PDF


# ---------------------------------------------------------------- 2. a refused form keeps everything

@pytest.mark.parametrize("width", WIDTHS)
def test_a_refused_form_shows_every_error_and_keeps_the_file(live_server, page_factory, tmp_path, width):
    good, bad = tmp_path / "合同正文.pdf", tmp_path / "setup.exe"
    good.write_bytes(PDF)
    bad.write_bytes(b"MZ\x90\x00payload")
    page = page_factory(width=width)
    base = live_server.url
    log_in(page, base, "t2001")
    page.goto(base + "/services/seal-request/start")
    page.select_option("select[name=seal_type]", "学校公章")
    page.locator("#document").evaluate("(el, v) => el.value = v", "长" * 150)   # pasted past maxlength
    page.fill("#copies", "2")
    page.fill("#purpose", "对外合作")
    page.get_by_role("radio", name="是").check()
    page.fill("#contract_amount", "-5")
    page.set_input_files("#attachments", [str(good), str(bad)])
    with page.expect_navigation():
        page.click("button[value=submit]")
    shot(page, f"refused-form-{width}")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_text(["用印文件名称：最多可输入100个字", "合同金额：不能小于0",
                                "用印文件：不支持的文件类型，仅允许：.pdf、.doc、.docx"])
    for key in ("document", "contract_amount"):
        expect(page.locator(f"#{key}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#contract_amount")).to_have_value("-5")
    expect(page.locator("#purpose")).to_have_value("对外合作")
    kept = page.locator(".oh-attachment", has_text="合同正文.pdf")
    expect(kept).to_be_visible()
    expect(kept.get_by_role("button", name=re.compile("删除"))).to_be_visible()
    links.first.click()
    expect(page).to_have_url(re.compile(r"#document$"))

    page.fill("#document", "合作协议")
    page.fill("#contract_amount", "30")
    with page.expect_navigation():
        page.click("button[value=submit]")
    expect(page.locator(".flash-success")).to_contain_text("已提交")
    serial = int(page.locator(".serial-no").inner_text())
    with live_server.app.app_context():
        inst = Instance.get(Instance.serial == serial)
        assert inst.status == "running" and len(inst.data["attachments"]) == 1
    expect(page.get_by_role("link", name="合同正文.pdf")).to_be_visible()


# ---------------------------------------------------------------- 5. confirmations

def test_terminate_asks_first_in_a_keyboard_dialog(live_server, page_factory):
    with live_server.app.app_context():
        inst, _ = seal_with_file()
    page = page_factory(width=360)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/instances/{inst.serial}")
    page.fill("#opinion", "材料不全")
    terminate = page.get_by_role("button", name="终止", exact=True)
    terminate.click()
    dialog = page.get_by_role("dialog", name="请确认")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("确定终止此事项吗")
    expect(dialog.get_by_role("button", name="取消")).to_be_focused()
    shot(page, "confirm-terminate-360")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(terminate).to_be_focused()
    assert status_of(live_server.app, inst.serial) == "running"

    page.keyboard.press("Enter")                              # the focused 终止 again, by keyboard
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="终止")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("已终止")
    assert status_of(live_server.app, inst.serial) == "terminated"
    expect(page.locator(".ended")).to_contain_text("材料不全")


def test_return_and_a_final_approve_ask_a_middle_approve_does_not(live_server, page_factory):
    with live_server.app.app_context():
        seal, _ = seal_with_file()
        last = weekly()
    page = page_factory(width=1280)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/instances/{seal.serial}")
    page.fill("#opinion", "同意")
    with page.expect_navigation():
        page.get_by_role("button", name="通过").click()            # 用印登记 follows: no question
    expect(page.locator(".flash-success")).to_contain_text("已通过")

    page.goto(f"{live_server.url}/instances/{last.serial}")
    page.fill("#opinion", "请补充")
    page.get_by_role("button", name="退回").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("确定退回此事项吗")
    dialog.get_by_role("button", name="取消").click()
    page.get_by_role("button", name="通过").click()
    expect(dialog).to_contain_text("通过后此事项将办结")
    shot(page, "confirm-approve-1280")
    with page.expect_navigation():
        dialog.get_by_role("button", name="通过").click()
    assert status_of(live_server.app, last.serial) == "completed"


def test_withdraw_asks_first(live_server, page_factory):
    with live_server.app.app_context():
        inst = weekly()
    page = page_factory(width=360)
    log_in(page, live_server.url, "t2001")
    page.goto(f"{live_server.url}/instances/{inst.serial}")
    page.get_by_role("button", name="撤回").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("确定撤回此申请吗")
    dialog.get_by_role("button", name="取消").click()
    assert status_of(live_server.app, inst.serial) == "running"
    page.get_by_role("button", name="撤回").click()
    with page.expect_navigation():
        dialog.get_by_role("button", name="撤回").click()
    expect(page.locator(".flash-success")).to_contain_text("已撤回")
    assert status_of(live_server.app, inst.serial) == "terminated"


# ---------------------------------------------------------------- 9. tap targets, top bar, names

def assert_target(locator, min_height=24, min_width=24):
    expect(locator.first).to_be_visible()            # the page has them before they are counted
    for i in range(locator.count()):
        b = box(locator.nth(i))
        text = locator.nth(i).evaluate("el => el.outerHTML.slice(0, 120)")
        assert b is not None, text
        assert b["height"] >= min_height and b["width"] >= min_width, (text, b)


def test_phone_top_bar_is_one_line_with_a_menu_and_big_targets(live_server, page_factory):
    with live_server.app.app_context():
        weekly()
    page = page_factory(width=360)
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/me/items")
    header = page.locator("header.topbar")
    toggle = page.get_by_role("button", name=re.compile("菜单"))
    assert box(header)["height"] <= 64
    assert_target(toggle, 44, 44)
    expect(page.locator("#mainnav")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    shot(page, "topbar-closed-360")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    shot(page, "topbar-open-360")
    assert_target(page.locator("#mainnav > a, #mainnav .linklike"), 44, 44)
    assert_target(page.locator(".lang-switch a"), 44, 44)
    assert_target(page.locator("a.bell"), 44, 44)
    page.keyboard.press("Escape")
    expect(page.locator("#mainnav")).to_be_hidden()
    expect(toggle).to_be_focused()
    assert_target(page.locator(".pager a[rel], .pager > .muted"), 44, 24)
    page.goto(live_server.url + "/services/weekly-report/start")
    assert_target(page.locator("main .btn.primary"), 44, 44)
    assert_target(page.locator(".oh-rows button"), 24, 24)


def test_desktop_top_bar_targets(live_server, page_factory):
    page = page_factory(width=1280)
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/me/items")
    expect(page.get_by_role("button", name=re.compile("菜单"))).to_be_hidden()
    assert box(page.locator("header.topbar"))["height"] <= 64
    assert_target(page.locator("#mainnav > a, #mainnav .linklike, .lang-switch a"))
    assert_target(page.locator(".pager a[rel], .pager > .muted"), 44, 24)


@pytest.mark.parametrize("width", WIDTHS)
def test_row_boxes_and_radios_have_names(live_server, page_factory, width):
    page = page_factory(width=width)
    log_in(page, live_server.url, "t2001")
    page.goto(live_server.url + "/services/weekly-report/start")
    first = page.get_by_role("textbox", name="工作内容 第1行")
    expect(first).to_have_count(1)
    first.fill("第一项")
    page.locator("button.oh-btn-add").click()
    page.get_by_role("textbox", name="工作内容 第2行").fill("第二项")
    page.locator("tr.oh-row").nth(1).locator("[data-row-action=up]").click()
    expect(page.get_by_role("textbox", name="工作内容 第1行")).to_have_value("第二项")
    expect(page.get_by_role("textbox", name="工作内容 第2行")).to_have_value("第一项")
    shot(page, f"rows-named-{width}")
    page.goto(live_server.url + "/services/seal-request/start")
    group = page.get_by_role("radiogroup", name="是否为合同")
    expect(group.get_by_role("radio", name="是")).to_have_count(1)
    expect(page.locator("text=您（李明）正在填写申请")).to_be_visible()
    expect(page.locator(".serial-no")).to_have_text(re.compile(r"^\d+$"))


def test_a_quick_reopen_of_the_dialog_still_acts(live_server, page_factory):
    """The dialog's close event arrives in a later task: a keyboard user who cancels and at
    once asks again must not have the late event of the cancel eat the second answer."""
    with live_server.app.app_context():
        inst, _ = seal_with_file()
    page = page_factory(width=360)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/instances/{inst.serial}")
    page.fill("#opinion", "材料不全")
    terminate = page.get_by_role("button", name="终止", exact=True)
    terminate.click()
    dialog = page.get_by_role("dialog", name="请确认")
    expect(dialog).to_be_visible()
    # cancel and ask again in one task: the cancel's close event comes after the reopening
    page.evaluate("""() => {
        document.getElementById('confirm-dialog').close('cancel');
        document.querySelector('button[value=terminate]').click();
    }""")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="取消")).to_be_focused()   # not the page behind
    with page.expect_navigation():
        dialog.get_by_role("button", name="终止").click()
    expect(page.locator(".flash-success")).to_contain_text("已终止")
    assert status_of(live_server.app, inst.serial) == "terminated"
