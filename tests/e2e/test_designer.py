"""The designer in a real browser: 张华 (宣传部's department admin) creates 实验室安全培训报名,
previews and publishes it; a student applies and 张华 approves; a relabelled
version 2 is published while the first application stays on version 1."""
import re

from playwright.sync_api import expect

from app.models import Service
from tests.browser import shot
from tests.e2e.test_smoke import log_in

NAME = "实验室安全培训报名"


LAB = {"format": 1, "audience": ["staff", "student"], "form": {"title": NAME, "fields": [
    {"name": "applicant_name", "type": "text", "label": "姓名", "autofill": "user.name"},
    {"name": "level", "type": "radio", "label": "培训级别", "required": True, "options": ["初级", "高级"]},
    {"name": "members", "type": "rows", "label": "同行人员", "columns": [
        {"name": "item", "type": "text", "label": "同行人姓名"}]},
    {"name": "anquan_chengnuoshu", "type": "file", "label": "安全承诺书", "accept": [".pdf"]}]},
    "steps": [{"id": "fill", "name": "填写申请", "by": "applicant"},
              {"id": "approve", "name": "宣传部审批", "by": {"role": "dept_leader", "department": "宣传部"},
               "opinion": "required"}]}


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def design_service(page, base):
    """The service is created on the form page, which opens the builder; its fields and steps
    are stored as the builder's JSON saves them (building them by hand: tests/e2e/test_builder.py)."""
    from app.models import User
    from app.models.designer import ServiceDraft
    from designer.builder import store
    page.goto(base + "/designer/")
    page.click("text=按表单逐项创建")
    expect(page.locator("#number")).to_have_value(re.compile(r"^\d+$"))   # the next free 事项编号, editable
    page.click("summary:has-text('高级')")
    page.fill("#id", "lab-safety-training")
    page.fill("#number", "990")
    page.fill("#name", NAME)
    page.fill("#category", "综合服务")
    page.select_option("#department", "宣传部")
    page.check("input[name=audience][value=staff]")
    page.check("input[name=audience][value=student]")
    click_and_wait(page, "button:has-text('创建草稿')")
    expect(page).to_have_url(re.compile(r"/designer/builder/\d+$"))       # one editor: the builder
    draft = re.search(r"/designer/builder/(\d+)$", page.url).group(1)
    expect(page.locator("#bz-empty")).to_be_visible()
    shot(page, "designer-new-empty")
    row = ServiceDraft.get_by_id(int(draft))
    store.save(row, dict(row.definition, **LAB), row.revision, User.get(User.username == "t2002"))
    page.reload()
    page.wait_for_selector('#bz-canvas .bz-item[data-index="3"] .bz-editable')
    expect(page.locator('[data-k="s1-name"]')).to_have_value("宣传部审批")
    expect(page.locator('.bz-step[data-step="1"]')).to_contain_text("单位领导")   # role names, never codes
    shot(page, "designer-fields")
    return draft


def preview_and_publish(page, base, draft):
    page.goto(f"{base}/designer/studio/{draft}/preview")
    desktop = page.frame_locator("iframe.dz-frame-desktop")
    expect(desktop.locator("text=培训级别").first).to_be_visible()
    expect(desktop.locator("[name=applicant_name]")).to_have_value("张华")
    phone = page.frame_locator("iframe.dz-frame-phone")
    expect(phone.locator("text=安全承诺书").first).to_be_visible()
    expect(page.locator(".dz-chain")).to_contain_text("张华（t2002）")
    shot(page, "designer-preview")
    page.click("a.nav-link:has-text('发布')")
    page.click("button:has-text('发布')")
    page.wait_for_url("**/versions")
    expect(page.locator("body")).to_contain_text("已发布版本 1")


def apply_as_student(page, base):
    page.goto(base + "/services/lab-safety-training/start")
    expect(page.locator("[name=applicant_name]")).to_have_value("林小雨")
    page.check("input[name=level][value=初级]")
    page.fill("input[name='members-0-item']", "黄子涵")
    page.set_input_files("input[name=anquan_chengnuoshu]", files=[{"name": "承诺书.pdf", "mimeType": "application/pdf",
                                                      "buffer": b"%PDF-1.4\n%e2e\n"}])
    shot(page, "designer-student-360")
    page.click("button[value=submit]")
    page.wait_for_url("**/instances/*")
    return page.locator(".serial-no").inner_text()


def test_department_admin_designs_publishes_and_revises_a_service(live_server, page_factory):
    base = live_server.url
    admin = page_factory()
    log_in(admin, base, "t2002")
    draft = design_service(admin, base)
    preview_and_publish(admin, base, draft)

    student = page_factory(width=360, height=780)
    log_in(student, base, "s2023001")
    serial = apply_as_student(student, base)
    expect(student.locator("body")).to_contain_text("办理中")

    admin.goto(base + "/me/items?box=todo")
    admin.locator("table.items tr", has_text=serial).locator("a").first.click()
    admin.wait_for_url(f"**/instances/{serial}")
    admin.fill("textarea[name=opinion]", "同意参加")
    admin.click("button[value=approve]")                   # the last step: it asks first
    with admin.expect_navigation():
        admin.click("#confirm-dialog [data-dialog-ok]")
    expect(admin.locator(".inst-status")).to_have_text("已完成")

    admin.goto(f"{base}/designer/studio/{draft}/fields")            # the old tab opens the builder
    expect(admin).to_have_url(re.compile(rf"/designer/builder/{draft}$"))
    level = '#bz-canvas .bz-item[data-index="1"] .bz-editable'
    admin.wait_for_selector(level)
    admin.fill(level, "培训级别（必选）")
    expect(admin.locator("#bz-status")).to_have_text("已保存")
    admin.click("#bz-publish-open")
    admin.click("#bz-publish-confirm")
    expect(admin.locator("#bz-published")).to_contain_text("已发布版本 2")
    admin.goto(f"{base}/designer/studio/service/{Service.get(Service.slug == 'lab-safety-training').id}/versions")
    expect(admin.locator("tr[data-version='2']")).to_have_count(1)
    expect(admin.locator("tr[data-version='1'] .dz-count")).to_have_text("1")
    admin.select_option("select[name=a]", "1")
    admin.select_option("select[name=b]", "2")
    admin.click("button:has-text('查看差异')")
    expect(admin.locator(".dz-diff-add")).to_have_count(1)
    expect(admin.locator(".dz-diff-add")).to_contain_text("培训级别（必选）")
    shot(admin, "designer-versions")

    admin.goto(f"{base}/designer/studio/{draft}/source")
    editor = admin.locator("#source")
    editor.fill(editor.input_value().replace("type: radio", "type: wheel"))
    click_and_wait(admin, "button:has-text('校验并保存到草稿')")
    problem = admin.locator(".dz-problems a").first
    expect(problem).to_have_attribute("data-line", re.compile(r"^\d+$"))
    expect(admin.locator(".dz-gutter .dz-err").first).to_have_text(problem.get_attribute("data-line"))
    shot(admin, "designer-source-error")

    student.goto(f"{base}/instances/{serial}")
    expect(student.locator("body")).to_contain_text("培训级别")
    expect(student.locator("body")).not_to_contain_text("培训级别（必选）")   # the instance stays on v1
    student.goto(base + "/services/lab-safety-training/start")
    expect(student.locator("body")).to_contain_text("培训级别（必选）")
