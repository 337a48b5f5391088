"""The designer in a real browser: 张华 (宣传部's department admin) builds 实验室安全培训报名
from nothing, previews and publishes it; a student applies and 张华 approves; a relabelled
version 2 is published while the first application stays on version 1."""
import re

from playwright.sync_api import expect

from tests.browser import shot
from tests.e2e.test_smoke import log_in

NAME = "实验室安全培训报名"


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def add_field(page, base, draft, name, type_, label, parent=None, **extra):
    query = f"?parent={parent}" if parent is not None else ""
    page.goto(f"{base}/designer/studio/{draft}/fields/add{query}")
    page.select_option("#type", type_)
    page.fill("#label", label)
    if name:                                  # else made from the label
        page.click("summary:has-text('高级')")
        page.fill("#name", name)
    for key, value in extra.items():
        if isinstance(value, bool):
            page.check(f"#{key}")
        else:
            page.fill(f"#{key}", value)
    page.click("button:has-text('保存到草稿')")
    page.wait_for_url(f"**/designer/studio/{draft}/fields")
    expect(page.locator("body")).to_contain_text("已保存到草稿")


def design_service(page, base):
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
    expect(page).to_have_url(re.compile(r"/designer/studio/\d+/fields"))

    draft = re.search(r"/designer/studio/(\d+)/fields", page.url).group(1)
    shot(page, "designer-new-empty")
    page.click("text=添加第一个字段")
    page.select_option("#type", "text")
    page.fill("#label", "姓名")
    page.select_option("#autofill", "user.name")
    page.click("summary:has-text('高级')")
    page.fill("#name", "applicant_name")
    page.click("button:has-text('保存到草稿')")
    page.wait_for_url("**/fields")
    add_field(page, base, draft, "level", "radio", "培训级别", options="初级\n高级", required=True)
    add_field(page, base, draft, "members", "rows", "同行人员")
    add_field(page, base, draft, None, "file", "安全承诺书", accept=".pdf")
    page.click("tr[data-field='members.item'] >> text=编辑")
    page.fill("#label", "同行人姓名")
    page.click("button:has-text('保存到草稿')")
    page.wait_for_url("**/fields")
    shot(page, "designer-fields")
    page.click("a.nav-link:has-text('流程步骤')")
    page.click("text=添加步骤")
    page.fill("#name", "宣传部审批")                          # its id is made from the name
    page.select_option("#by-kind", "role_in_department")
    page.fill("#by-role", "dept_leader")
    page.fill("#by-department", "宣传部")
    page.select_option("#opinion", "required")
    page.click("button:has-text('保存到草稿')")
    page.wait_for_url("**/steps")
    expect(page.locator("body")).to_contain_text("宣传部的单位领导")   # role names, never codes
    return draft


def preview_and_publish(page, base, draft):
    page.click("a.nav-link:has-text('预览')")
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

    admin.goto(f"{base}/designer/studio/{draft}/fields")
    admin.click("tr[data-field=level] >> text=编辑")
    admin.fill("#label", "培训级别（必选）")
    admin.click("button:has-text('保存到草稿')")
    admin.wait_for_url("**/fields")
    admin.click("a.nav-link:has-text('发布')")
    admin.click("button:has-text('发布')")
    admin.wait_for_url("**/versions")
    expect(admin.locator("body")).to_contain_text("已发布版本 2")
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
