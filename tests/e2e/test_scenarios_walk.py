"""Scenario tests in the designer, in a real browser: 张华 adds tests to 工作周报 on its 版本
page; a change that sends the leader step elsewhere fails them, and 发布 is refused with
the difference shown (also on a phone); the system admin confirms and publishes anyway."""
import os
from pathlib import Path

from tests.browser import shot
from tests.e2e.test_smoke import log_in

SHOTS = "/work/shots/toolchain"
SCENARIOS = (Path(__file__).resolve().parents[2] / "definitions" / "tests" /
             "weekly-report.test.yaml").read_text(encoding="utf-8")


def keep(page, name):
    """A screenshot for the test artefacts and, when the folder exists, for review."""
    shot(page, name)
    if os.path.isdir(SHOTS):
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_scenario_tests_gate_publishing_in_the_browser(live_server, page_factory):
    base = live_server.url
    with live_server.app.app_context():
        from app.models import Service
        service_id = Service.get(Service.slug == "weekly-report").id
    versions = f"{base}/designer/studio/service/{service_id}/versions"

    page = page_factory(width=1280)
    log_in(page, base, "t2002")
    page.goto(versions)
    assert page.locator(".dz-tests-none").is_visible()
    page.click("summary:has-text('添加测试用例')")
    page.fill("textarea[name=source]", SCENARIOS)
    with page.expect_navigation():
        page.click("button:has-text('保存测试用例')")
    assert page.locator(".alert-success:has-text('场景测试已保存')").is_visible()
    assert page.locator(".dz-tests .alert-success").inner_text() == "场景测试全部通过：2 项"
    assert page.locator(".dz-test-pass").count() == 2
    keep(page, "versions-tests-pass-1280")

    page.goto(f"{base}/designer/studio/service/{service_id}")       # opens the draft
    draft_base = page.url.rstrip("/")
    page.goto(draft_base + "/source")
    source = page.input_value("#source")
    page.fill("#source", source.replace("by: {role: dept_leader, of: applicant}",
                                        "by: {role: dept_leader, department: 办公室}"))
    with page.expect_navigation():
        page.click("button:has-text('校验并保存到草稿')")
    page.goto(draft_base + "/publish")
    tests = page.locator(".dz-tests")
    assert "场景测试未通过：1 项通过，1 项失败" in tests.inner_text()
    assert "assignees.leader: expected [t2002], got [t3002]" in page.locator(".dz-test-fail").inner_text()
    assert page.locator(".dz-blocked").is_visible()
    assert page.locator("#dz-override-tests").count() == 0
    assert page.locator("button:has-text('发布')").first.is_disabled()     # the server refuses it too
    keep(page, "publish-refused-1280")

    phone = page_factory(width=360, height=780)
    log_in(phone, base, "t2002")
    phone.goto(draft_base + "/publish")
    fail = phone.locator(".dz-test-fail")
    assert fail.is_visible()
    box = fail.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 + 1        # the difference wraps, no sideways scroll
    keep(phone, "publish-refused-360")
    phone.goto(versions)
    keep(phone, "versions-tests-360")

    admin = page_factory(width=1280)
    log_in(admin, base, "admin")
    admin.goto(f"{base}/designer/builder/{draft_base.rsplit('/', 1)[1]}")
    admin.click("#bz-publish-open")
    admin.wait_for_selector("#bz-tests")
    assert admin.locator("#bz-tests").inner_text() == "场景测试未通过：1 项通过，1 项失败"
    admin.click("#bz-publish-confirm")
    admin.wait_for_selector("#bz-override-tests")
    assert "assignees.leader: expected [t2002], got [t3002]" in admin.locator("#bz-publish-body").inner_text()
    assert admin.locator("#bz-publish-confirm").is_disabled()
    admin.check("#bz-override-tests")
    assert admin.locator("#bz-publish-confirm").is_enabled()
    keep(admin, "builder-publish-tests-failed-1280")
    admin.click("#bz-publish-cancel")

    admin.goto(draft_base + "/publish")
    admin.check("#dz-override-tests")
    keep(admin, "publish-admin-confirm-1280")
    with admin.expect_navigation():
        admin.click("button:has-text('发布')")
    assert admin.url.endswith("/versions")
    assert admin.locator(".alert:has-text('已发布版本 2')").is_visible()
    assert "场景测试未通过" in admin.locator(".dz-tests").inner_text()        # the new latest version fails them
    keep(admin, "versions-after-override-1280")
