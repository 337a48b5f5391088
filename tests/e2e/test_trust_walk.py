"""Issue 21's walk in Chromium: a form survives an ended session, oversize uploads are
answered in the form, /stats reads on a phone, 加签 and 委托设置 take a plain name.
Screenshots go to test-artifacts/trust-walk/."""
import os
import shutil
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app import create_app
from app.defs.store import import_text
from app.engine import core
from app.models import Attachment, Delegation, Instance
from app.stats.periods import today_local
from tests.approval.test_signers import SIGNABLE
from tests.browser import ARTIFACTS, LiveServer
from tests.conftest import make_config
from tests.e2e.walk import log_in, no_sideways_scroll, person, service

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048


def shot(page, name):
    folder = os.path.join(ARTIFACTS, "trust-walk")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def fill_feedback(page, base, picture):
    page.goto(base + "/services/feedback/start")
    page.get_by_label("建议").check()
    page.fill("[name=service_name]", "用印申请")
    page.fill("[name=content]", "希望能在手机上查看审批进度")
    page.set_input_files("input[type=file][name=screenshot]", picture)


def test_a_form_survives_signing_out_in_another_tab(live_server, page_factory, tmp_path):
    base = live_server.url
    picture = tmp_path / "进度截图.png"
    picture.write_bytes(PNG)
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2001")
    fill_feedback(page, base, str(picture))
    other = page.context.new_page()                      # the same browser, another tab
    other.goto(base + "/")
    other.click(".menu-toggle")
    with other.expect_navigation():
        other.click("#logout-form button")
    with page.expect_navigation():
        page.click("button[value=submit]")
    assert "/login" in page.url                          # no 400 page: sign in again
    expect(page.locator(".flash")).to_contain_text("已保留")
    shot(page, "session-ended-login-360")
    page.fill("input[name=username]", "t2001")
    page.fill("input[name=password]", "demo1234")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/services/feedback/start")
    expect(page.locator(".flash-success")).to_contain_text("已恢复")
    expect(page.get_by_label("建议")).to_be_checked()
    expect(page.locator("[name=service_name]")).to_have_value("用印申请")
    expect(page.locator("[name=content]")).to_have_value("希望能在手机上查看审批进度")
    expect(page.locator(".oh-attachment")).to_contain_text("进度截图.png")
    shot(page, "session-ended-restored-360")
    with page.expect_navigation():
        page.click("button[value=submit]")
    expect(page.locator(".flash-success")).to_contain_text("已提交")
    with live_server.app.app_context():
        inst = Instance.select().where(Instance.applicant == person("t2001").id).order_by(Instance.id.desc()).get()
        assert inst.status != "draft" and inst.data["content"] == "希望能在手机上查看审批进度"
        files = list(Attachment.select().where(Attachment.instance == inst))
        assert [a.filename for a in files] == ["进度截图.png"]
    assert not os.listdir(os.path.join(live_server.app.config["UPLOAD_DIR"], "parked"))


def test_a_stale_form_is_not_restored_for_someone_else(live_server, page_factory, tmp_path):
    base = live_server.url
    page = page_factory(width=1280)
    log_in(page, base, "t2001")
    page.goto(base + "/services/feedback/start")
    page.fill("[name=content]", "李明的私人反馈")
    other = page.context.new_page()
    other.goto(base + "/")
    with other.expect_navigation():
        other.click("#logout-form button")
    with page.expect_navigation():
        page.click("button[value=submit]")
    assert "/login" in page.url
    page.fill("input[name=username]", "t7001")           # someone else signs in on that browser
    page.fill("input[name=password]", "demo1234")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(base + "/services/feedback/start")
    expect(page.locator("[name=content]")).to_have_value("")
    assert "李明的私人反馈" not in page.content()


@pytest.fixture
def capped_server(tmp_path, seeded_db_file):
    """The app with a 1 MB request cap (the feedback form's own limit is 5 MB)."""
    shutil.copy(seeded_db_file, tmp_path / "onehall.db")
    app = create_app(make_config(tmp_path, TESTING=False, WTF_CSRF_ENABLED=True,
                                 MAX_CONTENT_LENGTH=1024 * 1024))
    with LiveServer(app) as server:
        yield server


def test_upload_limits_are_stated_and_oversize_files_answered_in_the_form(capped_server, page_factory, tmp_path):
    base = capped_server.url
    big = tmp_path / "太大的截图.png"
    big.write_bytes(PNG + b"\x00" * (6 * 1024 * 1024))
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2001")
    page.goto(base + "/services/feedback/start")
    hint = page.locator("#screenshot-hint")
    expect(hint).to_contain_text("单个文件不超过 5 MB")
    assert "screenshot-hint" in page.get_attribute("input[name=screenshot]", "aria-describedby")
    # in the browser: refused at once, nothing sent
    fill_feedback(page, base, str(big))
    expect(page.locator("#screenshot-error")).to_contain_text("太大的截图.png 过大：单个文件不超过 5 MB")
    expect(page.locator("input[name=screenshot]")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.querySelector('input[name=screenshot]').files.length") == 0
    shot(page, "upload-refused-in-browser-360")
    # without the script's check, past the server's 1 MB cap: the form comes back, values kept
    page.evaluate("document.querySelector('input[name=screenshot]').removeAttribute('data-max-size')")
    page.set_input_files("input[type=file][name=screenshot]", str(big))
    with page.expect_navigation():
        page.click("button[value=submit]")
    expect(page.locator("#screenshot-error")).to_contain_text("文件过大，最大 5 MB")
    expect(page.locator("[name=content]")).to_have_value("希望能在手机上查看审批进度")
    expect(page.locator("[name=service_name]")).to_have_value("用印申请")
    expect(page.get_by_label("建议")).to_be_checked()
    assert no_sideways_scroll(page)
    shot(page, "upload-past-cap-360")
    with capped_server.app.app_context():
        assert Instance.select().where(Instance.applicant == person("t2001").id,
                                       Instance.status != "draft").count() == 0


def test_add_signer_and_delegation_by_plain_name_at_360(live_server, page_factory):
    base = live_server.url
    with live_server.app.app_context():
        import_text(SIGNABLE, "test-chain.yaml")
        serial = core.start(service("test-chain"), person("t2001"), {"subject": "采购打印纸"}).serial
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2002")
    page.goto(f"{base}/instances/{serial}")
    page.click(".add-signer summary")
    page.get_by_role("combobox", name="加签人 1").fill("赵敏")
    page.fill("#signer-opinion", "请办公室先看")
    with page.expect_navigation():
        page.click(".add-signer button[value=add_signer]")
    expect(page.locator(".flash-success")).to_contain_text("加签")
    expect(page.locator("table.records")).to_contain_text("前加签：赵敏")
    page.goto(base + "/me/delegations")
    to_user = page.locator("#to_user")
    assert to_user.bounding_box()["height"] >= 32                 # a styled input, not 21 px
    today = today_local()
    to_user.fill("李明")
    page.fill("#start", today.isoformat())
    page.fill("#end", (today + timedelta(days=7)).isoformat())
    page.select_option("select[name=services]", "weekly-report")
    with page.expect_navigation():
        page.click(".delegation-form button[type=submit]")
    row = page.locator("table.delegations tbody tr").first
    expect(row).to_contain_text("李明（t2001）")
    expect(row).to_contain_text((today + timedelta(days=7)).isoformat())
    expect(row).to_contain_text("工作周报")
    expect(row).not_to_contain_text("00:00")
    assert no_sideways_scroll(page)
    with live_server.app.app_context():
        assert Delegation.get().delegate.username == "t2001"


def test_stats_on_a_phone_and_at_1280(live_server, page_factory):
    base = live_server.url
    phone = page_factory(width=360, height=780)
    log_in(phone, base, "t2002")
    phone.goto(base + "/stats")
    sizes = phone.evaluate("""Array.from(document.querySelectorAll('.chart svg text'))
        .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height)""")
    assert sizes and min(sizes) >= 9, sizes                       # was 4–7 px
    assert no_sideways_scroll(phone)
    for region in phone.locator(".chart, .table-wrap").all():
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
        assert region.get_attribute("aria-label")
    today = today_local()
    start, end = today.isoformat(), (today - timedelta(days=3)).isoformat()
    phone.goto(f"{base}/stats?period=custom&from={start}&to={end}")
    expect(phone.locator("#stats-from")).to_have_value(start)
    expect(phone.locator("#stats-to")).to_have_value(end)
    expect(phone.locator("#stats-from-error")).to_contain_text("开始日期不能晚于结束日期")
    expect(phone.locator("input[name=period][value=custom]")).to_be_checked()
    shot(phone, "stats-bad-range-360")
    wide = page_factory(width=1280)
    log_in(wide, base, "t2002")
    wide.goto(base + "/stats")
    fits = wide.evaluate("""Array.from(document.querySelectorAll('#by-service .table-wrap, #by-step .table-wrap'))
        .map(w => w.scrollWidth <= w.clientWidth + 1)""")
    assert fits == [True, True]
    cell = wide.locator(".step-table tbody td").nth(1)
    assert cell.bounding_box()["width"] >= 4 * 14                 # 环节 no longer one character a line
    shot(wide, "stats-1280")


CONTRAST = """el => {
  const rgb = s => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const st = getComputedStyle(el), a = lum(rgb(st.color)), b = lum(rgb(st.backgroundColor));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_the_menu_badge_reads_at_360_and_a_skip_link_leads_to_the_page(live_server, page_factory):
    with live_server.app.app_context():
        core.start(service("weekly-report"), person("t2001"), {"items": [{"text": "整理稿件"}]})
    page = page_factory(width=360, height=780)
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/me/items?box=todo")
    badge = page.locator(".menu-toggle .badge")
    expect(badge).to_be_visible()
    assert badge.evaluate(CONTRAST) >= 4.5                         # was 4.22
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_the_english_guide_keeps_words_whole_at_360(live_server, page_factory):
    page = page_factory(width=360, height=780)
    page.goto(live_server.url + "/lang/en")
    page.goto(live_server.url + "/services/seal-request")
    cells = page.locator("table.meta th")
    assert cells.count() >= 10
    for i in range(cells.count()):
        cell = cells.nth(i)
        assert cell.evaluate("el => getComputedStyle(el).overflowWrap") == "normal", cell.inner_text()
        assert cell.evaluate("el => el.scrollWidth <= el.clientWidth"), cell.inner_text()
    assert no_sideways_scroll(page)
    shot(page, "guide-en-360")


def test_the_bulk_confirmation_says_how_many(live_server, page_factory):
    from tests.approval.test_bulk_web import NO_OPINION
    with live_server.app.app_context():
        import_text(NO_OPINION, "test-chain.yaml")
        serials = [core.start(service("test-chain"), person("t2001"), {"subject": s}).serial
                   for s in ("采购打印纸", "采购墨盒", "采购订书机")]
    page = page_factory(width=360, height=780)
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/me/items?box=todo")
    for serial in serials[:2]:
        page.get_by_role("checkbox", name=f"流水号 {serial}").check()
    page.get_by_role("button", name="批量通过").click()
    expect(page.locator("#confirm-message")).to_have_text("确定通过所勾选的 2 项事项吗？")
