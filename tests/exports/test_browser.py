"""In Chromium: the print page prints like the paper form, the export page follows its job."""
import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser import shot
from tests.exports.conftest import CONTRACT, attachment_for

pytestmark = pytest.mark.e2e


def log_in(page, base, username, password="demo1234"):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():             # the next goto must not cancel the login
        page.click("button[type=submit]")


def make_contract(app):
    from app.engine import core
    from app.models import Service, User
    with app.app_context():
        owner = User.get(User.username == "t2001")
        data = dict(CONTRACT, attachments=[attachment_for(owner).token])
        return core.start(Service.get(Service.slug == "tech-contract"), owner, data).serial


def test_browser_print_gives_the_paper_form(live_server, page_factory, tmp_path):
    serial = make_contract(live_server.app)
    page = page_factory(width=1000)
    log_in(page, live_server.url, "t2001")
    page.goto(f"{live_server.url}/instances/{serial}")
    expect(page.locator(".export-buttons a", has_text="打印")).to_be_visible()
    page.goto(f"{live_server.url}/instances/{serial}/print")
    expect(page.locator(".toolbar")).to_be_visible()
    shot(page, "exports-print-screen")
    page.emulate_media(media="print")
    expect(page.locator(".toolbar")).to_be_hidden()
    expect(page.locator("table.paper.fields")).to_be_visible()
    border = page.eval_on_selector("table.paper td", "el => getComputedStyle(el).borderTopStyle")
    assert border == "solid"
    pdf = tmp_path / "chromium.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "齐鲁工业大学技术合同审批表" in text and "高强度纸基材料制备技术开发" in text
    assert "导出PDF" not in text                                   # the toolbar is not printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info


def test_export_page_shows_progress_until_the_download(live_server, page_factory):
    """The consumer is down while the page shows 排队中, then started (from this thread: huey
    installs signal handlers); the page follows the job to its download."""
    from app.queue import huey
    make_contract(live_server.app)
    page = page_factory()
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/exports/")
    page.select_option("select[name=service]", "tech-contract")
    page.select_option("select[name=format]", "xlsx")
    page.click(".export-form button[type=submit]")
    page.wait_for_url("**/exports/jobs/*")
    expect(page.locator(".job-status")).to_have_text("排队中")
    expect(page.locator(".job-download")).to_be_hidden()
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        page.locator(".job-download a").wait_for(state="visible", timeout=30000)
    finally:
        consumer.stop(graceful=True)
    expect(page.locator(".job-status")).to_have_text("已完成")
    shot(page, "exports-job-done")
    with page.expect_download() as info:
        page.click(".job-download a")
    assert info.value.suggested_filename.endswith(".xlsx")
