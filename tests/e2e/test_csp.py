"""The Content-Security-Policy holds in a real browser: every main page loads without a single
CSP violation, its scripts still work (rows 新增, live visible_when, the designer's filters and
preview), and no response allows inline scripts."""
import re

from playwright.sync_api import expect

from tests.e2e.test_hall_flow import click_and_wait, log_in

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP-VIOLATION " + e.violatedDirective + " blocked=" + e.blockedURI +
                " at " + (e.sourceFile || location.href) + ":" + e.lineNumber);
});
"""


class Watch:
    """Every CSP violation (from the page or its frames) and every document's CSP header."""

    def __init__(self, page):
        self.violations, self.policies = [], {}
        page.context.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self.console)
        page.on("response", self.response)

    def console(self, message):
        if "CSP-VIOLATION" in message.text or "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def response(self, response):
        if response.request.resource_type == "document":
            self.policies[response.url] = response.headers.get("content-security-policy", "")

    def check(self):
        assert self.violations == []
        assert self.policies, "no page was loaded"
        for url, csp in self.policies.items():
            script_src = re.search(r"script-src ([^;]*)", csp)
            assert script_src, f"{url}: no script-src in {csp!r}"
            assert "'unsafe-inline'" not in script_src.group(1), url
            assert "frame-ancestors" in csp, url


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("load")


def test_applicant_pages_run_under_the_csp(live_server, page_factory):
    base, page = live_server.url, page_factory()
    watch = Watch(page)
    visit(page, base + "/login")
    log_in(page, base, "t2001", "demo1234")
    for path in ("/", "/services", "/services/weekly-report", "/me/items?box=todo",
                 "/me/profile"):
        visit(page, base + path)

    visit(page, base + "/services/seal-request/start")                   # live visible_when
    amount = page.locator("[data-visible-when]").first
    expect(amount).to_be_hidden()
    page.check("input[name=is_contract][value='是']")
    expect(amount).to_be_visible()

    visit(page, base + "/services/weekly-report/start")                  # rows: 新增
    page.locator("textarea[name='items-0-text']").fill("第一项工作")
    page.locator("button:has-text('新增')").first.click()
    page.locator("textarea[name='items-1-text']").fill("第二项工作")
    click_and_wait(page, "button[value=submit]")
    expect(page).to_have_url(re.compile(r"/instances/\d+$"))
    serial = page.locator(".serial-no").first.inner_text()
    expect(page.locator("body")).to_contain_text("第二项工作")
    visit(page, f"{base}/instances/{serial}/print")
    expect(page.locator("[data-print]")).to_be_visible()
    watch.check()


def test_designer_pages_run_under_the_csp(live_server, page_factory):
    base, page = live_server.url, page_factory()
    watch = Watch(page)
    log_in(page, base, "admin", "demo1234")
    for path in ("/designer/", "/designer/services/", "/designer/instances/",
                 "/designer/users/", "/designer/role-holders/", "/designer/audit/",
                 "/exports/", "/stats"):
        visit(page, base + path)

    visit(page, base + "/designer/departments/")                          # delete buttons, actions
    visit(page, base + "/designer/audit/")                                # Flask-Admin filters
    page.locator(".field-filters").locator("xpath=..").locator("a[data-toggle=dropdown]").click()
    page.locator(".field-filters a.filter", has_text="类别").click()
    expect(page.locator("#filter_form tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/designer/audit/(#.*)?$"))    # a filter row, no page load

    visit(page, base + "/designer/services/")
    with page.expect_navigation():
        page.locator("a[href*='/designer/studio/service/']").first.click()
    preview = page.url.rstrip("/") + "/preview"
    visit(page, preview)
    frame = page.frame_locator("iframe.dz-frame-desktop")
    expect(frame.locator(".service-form")).to_be_visible()
    watch.check()
