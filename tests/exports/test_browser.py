"""In Chromium: the print page prints like the paper form, the export page follows its job."""
import subprocess
import threading

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, live_server, shot  # noqa: F401
from tests.exports.conftest import CONTRACT, attachment_for

pytestmark = pytest.mark.e2e


def in_browser(scenario):
    start_in_browser(scenario)()


def start_in_browser(scenario):
    """Start ``scenario(new_page)`` in a thread with its own Playwright and Chromium; returns
    a function that waits for it and re-raises its failure.

    Playwright's sync API allows one instance per thread and the e2e package's session
    browser (not visible from this package) may be running in this one.
    """
    outcome = {}

    def target():
        try:
            from playwright.sync_api import sync_playwright
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    def new_page(width=1280, height=900):
                        context = browser.new_context(viewport={"width": width, "height": height},
                                                      locale="zh-CN")
                        context.set_default_timeout(15000)
                        return context.new_page()
                    scenario(new_page)
                finally:
                    browser.close()
        except BaseException as exc:   # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()

    def wait():
        thread.join(180)
        assert not thread.is_alive(), "the browser scenario did not finish"
        if "error" in outcome:
            raise outcome["error"]
    return wait


def log_in(page, base, username, password="demo1234"):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def make_contract(app):
    from app.engine import core
    from app.models import Service, User
    with app.app_context():
        owner = User.get(User.username == "t2001")
        data = dict(CONTRACT, attachments=[attachment_for(owner).token])
        return core.start(Service.get(Service.slug == "tech-contract"), owner, data).serial


def test_browser_print_gives_the_paper_form(live_server, tmp_path):
    serial = make_contract(live_server.app)
    in_browser(lambda new_page: print_scenario(new_page(width=1000), live_server, serial, tmp_path))


def print_scenario(page, live_server, serial, tmp_path):
    log_in(page, live_server.url, "t2001")
    page.goto(f"{live_server.url}/instances/{serial}")
    assert page.locator(".export-buttons a", has_text="打印").is_visible()
    page.goto(f"{live_server.url}/instances/{serial}/print")
    assert page.locator(".toolbar").is_visible()
    shot(page, "exports-print-screen")
    page.emulate_media(media="print")
    assert not page.locator(".toolbar").is_visible()
    assert page.locator("table.paper.fields").is_visible()
    border = page.eval_on_selector("table.paper td", "el => getComputedStyle(el).borderTopStyle")
    assert border == "solid"
    pdf = tmp_path / "chromium.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "齐鲁工业大学技术合同审批表" in text and "高强度纸基材料制备技术开发" in text
    assert "导出PDF" not in text                                   # the toolbar is not printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info


def test_export_page_shows_progress_until_the_download(live_server):
    """The consumer is down while the page shows 排队中, then started (from this thread: huey
    installs signal handlers); the page follows the job to its download."""
    from app.queue import huey
    make_contract(live_server.app)
    queued = threading.Event()
    wait = start_in_browser(lambda new_page: export_scenario(new_page(), live_server, queued))
    queued.wait(60)
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        wait()
    finally:
        consumer.stop(graceful=True)


def export_scenario(page, live_server, queued):
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/exports/")
    page.select_option("select[name=service]", "tech-contract")
    page.select_option("select[name=format]", "xlsx")
    page.click(".export-form button[type=submit]")
    page.wait_for_url("**/exports/jobs/*")
    assert page.locator(".job-status").inner_text() == "排队中"
    assert not page.locator(".job-download").is_visible()
    queued.set()
    page.locator(".job-download a").wait_for(state="visible", timeout=30000)
    assert page.locator(".job-status").inner_text() == "已完成"
    shot(page, "exports-job-done")
    with page.expect_download() as info:
        page.click(".job-download a")
    assert info.value.suggested_filename.endswith(".xlsx")
