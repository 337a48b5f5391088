"""The 设计器 (builder) in a real browser.

张华 (t2002, 宣传部's department admin) builds and publishes 宣传品领用申请 — four fields,
two steps, 预计时限 三天, previewed as 李明 — from the login page in at most 20 counted UI
actions, typing no YAML and no identifier, never leaving the builder page; the hall's guide
then names the approver in words and 李明 (t2001) applies.
Also: a condition built from pickers, two editors on one draft (the stale save is refused
with who and when, and the local change is kept and re-applied), keyboard reordering and
the 360 px layout.
"""
import re

import pytest
from playwright.sync_api import expect

from app.models import Instance, Service
from app.models.designer import ServiceDraft
from designer import identifiers
from tests.browser import shot
from tests.e2e.test_smoke import log_in

NAME = "宣传品领用申请"
MAX_ACTIONS = 20


class Actions:
    """Counts every click, type, select and drag, with where it goes."""

    def __init__(self, page):
        self.page, self.log = page, []

    def _note(self, kind, where):
        self.log.append(f"{len(self.log) + 1:2}. {kind:6} {where}")

    def click(self, selector, where):
        self._note("click", where)
        self.page.click(selector)

    def type(self, selector, text, where):
        self._note("type", f"{where}: {text!r}")
        self.page.fill(selector, text)

    def select(self, selector, value, where):
        self._note("select", f"{where}: {value}")
        self.page.select_option(selector, value)

    def drag(self, source, target, where):
        self._note("drag", where)
        self.page.drag_and_drop(source, target)

    def report(self):
        print(f"\n{len(self.log)} actions:\n" + "\n".join(self.log))
        return len(self.log)


def saved(page):
    """Wait until every change is saved (the status line says 已保存)."""
    expect(page.locator("#bz-status")).to_have_text("已保存")


def item(index):
    return f'#bz-canvas .bz-item[data-index="{index}"]'


def added(page, index):
    page.wait_for_selector(item(index) + " .bz-editable")
    saved(page)


def page_errors(page):
    """Script errors and Content-Security-Policy refusals seen on the page."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def build_service(page, base):
    """The scenario; returns the counted actions."""
    act = Actions(page)
    page.goto(base + "/login")
    act.type("input[name=username]", "t2002", "登录页 用户名")
    act.type("input[name=password]", "demo1234", "登录页 密码")
    act.click("main form button[type=submit]", "登录页 登录")
    act.click("a:has-text('服务设计器')", "大厅顶部 服务设计器")
    act.click("a.btn-primary:has-text('新建服务')", "设计器首页 新建服务")
    expect(page.locator("#bz-empty")).to_be_visible()
    expect(page.locator("#bz-first")).to_have_text("添加第一个字段")
    expect(page.locator("#bz-publish-open")).to_be_disabled()
    expect(page.locator("#bz-publish-why")).to_have_text("无法发布：请先填写事项名称")
    act.type("#bz-name", NAME, "事项名称")
    expect(page.locator("#bz-heading")).to_have_text(NAME)
    expect(page.locator("#bz-publish-why")).to_have_text("无法发布：表单还没有字段")
    act.click(".bz-pal-item[data-type=text]", "字段库 单行文本")
    added(page, 0)
    act.type(item(0) + " .bz-editable", "领用事由", "画布 字段1标题（就地编辑）")
    act.click('#bz-props [data-k="p0-required"]', "属性 必填")
    saved(page)
    act.click(".bz-pal-item[data-type=radio]", "字段库 单选")
    added(page, 1)
    act.type(item(1) + " .bz-editable", "领用类型", "画布 字段2标题")
    act.type('#bz-props [data-k="p1-options"]', "宣传册\n海报\n展板", "属性 选项（每行一项）")
    saved(page)
    act.click(".bz-pal-item[data-type=file]", "字段库 附件（默认标题“附件”）")
    added(page, 2)
    act.click(".bz-pal-item[data-type=rows]", "字段库 明细表")
    added(page, 3)
    act.type(item(3) + " .oh-label .bz-editable", "领用清单", "画布 字段4标题（默认两列：名称、数量）")
    saved(page)
    expect(page.locator(item(3) + " thead")).to_contain_text("名称")
    expect(page.locator(item(3) + " thead")).to_contain_text("数量")
    act.click("#bz-add-step", "流程 ＋添加审批步骤（默认：部门领导审批）")
    saved(page)
    expect(page.locator('.bz-step[data-step="1"] [data-k="s1-name"]')).to_have_value("部门领导审批")
    act.type("#bz-time", "三天", "基本信息 预计时限")
    saved(page)
    expect(page.locator("#bz-time")).to_have_value("三天")
    act.select("#bz-preview-as", "t2001", "工具栏 预览：以李明为申请人")
    preview = page.locator("#bz-preview")
    expect(preview).to_contain_text("以李明（宣传部）为申请人预览")
    expect(page.locator("#bz-preview-chain")).to_contain_text("部门领导审批")
    expect(page.frame_locator("#bz-preview-frame").locator("form")).to_contain_text("领用事由")
    shot(page, "builder-preview")
    act.click("#bz-publish-open", "工具栏 发布")
    expect(page.locator("#bz-publish-body")).to_contain_text("部门领导审批")
    expect(page.locator("#bz-publish-body")).to_contain_text("申请人所在单位的单位领导")
    shot(page, "builder-publish-summary")
    act.click("#bz-publish-confirm", "发布对话框 确认发布")
    expect(page.locator("#bz-published")).to_contain_text("已发布版本 1")
    shot(page, "builder-published")
    return act


def test_publish_a_service_in_at_most_20_actions(live_server, page_factory):
    base = live_server.url
    page = page_factory()
    errors = page_errors(page)
    act = build_service(page, base)
    count = act.report()
    assert count <= MAX_ACTIONS, act.log
    assert not errors

    service = Service.get(Service.name == NAME)
    draft = ServiceDraft.get(ServiceDraft.service == service)
    fields = draft.definition["form"]["fields"]
    assert [(f["label"], f["type"]) for f in fields] == [
        ("领用事由", "text"), ("领用类型", "radio"), ("附件", "file"), ("领用清单", "rows")]
    assert fields[0]["required"] is True and fields[1]["options"] == ["宣传册", "海报", "展板"]
    assert [(c["label"], c["type"]) for c in fields[3]["columns"]] == [("名称", "text"), ("数量", "number")]
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", f["name"]) for f in fields)
    steps = draft.definition["steps"]
    assert steps[1]["by"] == {"role": "dept_leader", "of": "applicant"} and steps[1]["name"] == "部门领导审批"
    assert re.fullmatch(r"[a-z][a-z0-9_]*", steps[1]["id"])
    assert draft.definition["time_limit"] == "3天"

    page.goto(f"{base}/services/{service.slug}")
    expect(page.locator("main")).to_contain_text("申请人所在单位的单位领导")
    expect(page.locator("main")).not_to_contain_text("dept_leader")
    shot(page, "builder-hall-guide")

    applicant = page_factory()
    log_in(applicant, base, "t2001")
    applicant.goto(f"{base}/services/{service.slug}/start")
    form = applicant.locator("form.service-form")
    fields_by_label = {f["label"]: f["name"] for f in fields}
    form.locator(f"[name={fields_by_label['领用事由']}]").fill("开学迎新宣传")
    form.locator("label.oh-option:has-text('海报')").click()
    rows = fields_by_label["领用清单"]
    cols = [c["name"] for c in fields[3]["columns"]]
    form.locator(f"[name={rows}-0-{cols[0]}]").fill("海报")
    form.locator(f"[name={rows}-0-{cols[1]}]").fill("20")
    with applicant.expect_navigation():
        form.locator("button:has-text('提交')").click()
    shot(applicant, "builder-applicant-submitted")
    instance = Instance.select().where(Instance.service == service).get()
    assert instance.data[fields_by_label["领用类型"]] == "海报"
    assert instance.data[rows] == [{cols[0]: "海报", cols[1]: 20}]


# ---------------------------------------------------------------- on an existing draft

def make_draft(extra_fields=(), steps=None):
    """A 宣传部 draft made through the builder's store (as the API would)."""
    from app.models import User
    from designer.builder import store
    definition = {"format": 1, "id": "", "number": 0, "name": "海报张贴申请", "category": "综合服务",
                  "department": "宣传部", "audience": ["staff"],
                  "form": {"title": "", "fields": [
                      {"name": "kind", "type": "radio", "label": "张贴类型", "options": ["海报", "展板"]},
                      {"name": "size", "type": "text", "label": "尺寸"},
                      {"name": "place", "type": "text", "label": "张贴地点"}] + list(extra_fields)},
                  "steps": steps or [{"id": "fill", "name": "填写申请", "by": "applicant"},
                                     {"id": "leader", "name": "单位领导审批",
                                      "by": {"role": "dept_leader", "of": "applicant"}}]}
    return store.create(definition, User.get(User.username == "t2002"))


def open_builder(page_factory, base, username, draft, width=1280, height=900):
    page = page_factory(width=width, height=height)
    log_in(page, base, username)
    page.goto(f"{base}/designer/builder/{draft.id}")
    page.wait_for_selector(item(0) + " .bz-editable")
    return page


def definition_of(draft):
    return ServiceDraft.get_by_id(draft.id).definition


def test_a_condition_is_built_by_picking_a_field_an_operator_and_a_value(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.click(item(1))
    advanced = page.locator('#bz-props details[data-k="p1-advanced"]')
    expect(advanced.locator('[data-k="p1-pattern"]')).to_be_hidden()       # x-advanced keys: under 高级
    expect(advanced.locator('[data-k="p1-name"]')).to_be_hidden()
    expect(page.locator('[data-k="p1-max_length"]')).to_be_visible()
    page.select_option('[data-k="p1-visible_when-subject"]', "form.kind")
    page.select_option('[data-k="p1-visible_when-value"]', "展板")
    saved(page)
    assert definition_of(draft)["form"]["fields"][1]["visible_when"] == 'form.kind == "展板"'
    expect(page.locator(item(1) + " .badge-warning")).to_have_text("条件显示")
    page.click(item(1))
    expect(page.locator('[data-k="p1-visible_when-raw"]')).to_have_value('form.kind == "展板"')

    page.click('.bz-step[data-step="1"] summary')
    page.select_option('[data-k="s1-when-subject"]', "form.kind")
    page.select_option('[data-k="s1-when-op"]', "!=")
    page.select_option('[data-k="s1-when-value"]', "海报")
    saved(page)
    assert definition_of(draft)["steps"][1]["when"] == 'form.kind != "海报"'
    shot(page, "builder-condition")

    page.click(item(2))
    page.click('#bz-props .bz-prop[data-err="visible_when"] summary')
    page.fill('[data-k="p2-visible_when-raw"]', "form.colour == 1")
    page.press('[data-k="p2-visible_when-raw"]', "Tab")
    message = page.locator('#bz-props .bz-prop[data-err="visible_when"] .bz-err-msg')
    expect(message).to_contain_text("colour")
    expect(page.locator("#bz-status")).to_contain_text("未保存")
    expect(page.locator(item(2))).to_have_class(re.compile("bz-has-error"))
    assert "visible_when" not in definition_of(draft)["form"]["fields"][2]
    shot(page, "builder-error-at-control")


def test_a_stale_save_shows_who_changed_the_draft_and_keeps_the_local_change(live_server, page_factory):
    draft = make_draft()
    first = open_builder(page_factory, live_server.url, "t2002", draft)
    second = open_builder(page_factory, live_server.url, "admin", draft)

    first.click(item(1))
    first.fill('[data-k="p1-help"]', "单位：厘米")
    saved(first)

    second.click(item(2))
    second.fill('[data-k="p2-label"]', "张贴位置")
    alert = second.locator("#bz-alert")
    expect(alert).to_contain_text("张华")
    expect(alert).to_contain_text("修改")
    expect(second.locator("#bz-status")).to_contain_text("未保存")
    expect(second.locator('[data-k="p2-label"]')).to_have_value("张贴位置")
    assert definition_of(draft)["form"]["fields"][2]["label"] == "张贴地点"
    shot(second, "builder-conflict")

    second.click("#bz-reapply")
    saved(second)
    expect(alert).to_be_hidden()
    fields = definition_of(draft)["form"]["fields"]
    assert fields[1]["help"] == "单位：厘米" and fields[2]["label"] == "张贴位置"


def test_fields_are_reordered_by_keyboard_and_undone_with_ctrl_z(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.focus(item(0))
    page.keyboard.press("Alt+ArrowDown")
    saved(page)
    assert [f["name"] for f in definition_of(draft)["form"]["fields"]] == ["size", "kind", "place"]
    expect(page.locator(item(1))).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    saved(page)
    assert [f["name"] for f in definition_of(draft)["form"]["fields"]] == ["size", "place", "kind"]
    page.click(f'{item(1)} [aria-label="上移“张贴地点”"]')
    saved(page)
    assert [f["name"] for f in definition_of(draft)["form"]["fields"]] == ["place", "size", "kind"]
    page.keyboard.press("Control+z")
    saved(page)
    assert [f["name"] for f in definition_of(draft)["form"]["fields"]] == ["size", "place", "kind"]
    page.click("#bz-undo")
    saved(page)
    assert [f["name"] for f in definition_of(draft)["form"]["fields"]] == ["size", "kind", "place"]


def test_a_field_is_dragged_from_the_palette_onto_the_canvas(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.drag_and_drop(".bz-pal-item[data-type=date]", item(0), target_position={"x": 40, "y": 4})
    added(page, 3)
    assert [f["type"] for f in definition_of(draft)["form"]["fields"]] == ["date", "radio", "text", "text"]
    page.click(".bz-pal-item[data-type=idcard]")                 # a plugin's type, no special code
    added(page, 4)
    expect(page.locator(item(4) + " .oh-label")).to_contain_text("身份证号")
    assert definition_of(draft)["form"]["fields"][4]["type"] == "idcard"


def test_the_builder_fits_a_360_px_phone(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft, width=360)
    no_sideways = "document.documentElement.scrollWidth <= 360"
    assert page.evaluate(no_sideways), page.evaluate("document.documentElement.scrollWidth")
    expect(page.locator(".bz-pal-item[data-type=text]")).to_be_hidden()
    page.click("#bz-palette-toggle")
    expect(page.locator("#bz-palette-toggle")).to_have_attribute("aria-expanded", "true")
    page.click(".bz-pal-item[data-type=textarea]")
    added(page, 3)
    expect(page.locator(".bz-pal-item[data-type=text]")).to_be_hidden()
    page.click(item(0))
    assert page.evaluate(no_sideways), page.evaluate("document.documentElement.scrollWidth")
    shot(page, "builder-360")
    page.select_option("#bz-preview-as", "t2001")
    expect(page.frame_locator("#bz-preview-frame").locator("form")).to_contain_text("张贴类型")
    assert page.evaluate(no_sideways), page.evaluate("document.documentElement.scrollWidth")
    shot(page, "builder-360-preview")

    new = page_factory(width=360)
    log_in(new, live_server.url, "t2002")
    new.goto(live_server.url + "/designer/builder/new")
    expect(new.locator("#bz-first")).to_be_visible()
    new.click("#bz-first")
    expect(new.locator(".bz-pal-item[data-type=text]")).to_be_visible()
    assert new.evaluate(no_sideways), new.evaluate("document.documentElement.scrollWidth")
    shot(new, "builder-360-new")


def test_assignees_are_picked_by_name_with_search(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    step = '.bz-step[data-step="1"]'
    page.select_option(f'{step} [data-k="s1-by-kind"]', label="指定人员")
    expect(page.locator(f"{step} .bz-picker")).to_contain_text("尚未选择")
    page.fill(f'{step} [data-k="s1-by-user"]', "李明")
    page.click(f"{step} .bz-results button:has-text('李明（宣传部）')")
    saved(page)
    assert definition_of(draft)["steps"][1]["by"] == {"user": "t2001"}
    expect(page.locator("#bz-steps")).to_contain_text("李明（宣传部）")
    expect(page.locator("#bz-steps")).not_to_contain_text("t2001")

    page.select_option(f'{step} [data-k="s1-by-kind"]', label="某部门的某角色")
    page.fill(f'{step} [data-k="s1-by-role"]', "领导")
    page.click(f"{step} .bz-results button:has-text('单位领导')")
    page.fill(f'{step} [data-k="s1-by-department"]', "办公")
    page.click(f"{step} .bz-results button:has-text('办公室')")
    saved(page)
    by = definition_of(draft)["steps"][1]["by"]
    assert by == {"role": "dept_leader", "department": "办公室"}
    expect(page.locator(f'{step} [data-k="s1-name"]')).to_have_value("办公室的单位领导审批")

    page.click(f"{step} summary")
    page.click(f"{step} button:has-text('添加抄送')")
    expect(page.locator(f"{step} .bz-err-msg")).to_contain_text("请选择")
    page.fill(f'{step} [data-k="s1-cc0-role"]', "办公室主任")
    page.click(f"{step} .bz-results button:has-text('办公室主任')")
    saved(page)
    assert definition_of(draft)["steps"][1]["cc"] == [{"role": "office_director", "of": "applicant"}]
    expect(page.locator("#bz-steps")).not_to_contain_text("office_director")
    shot(page, "builder-assignees")


def test_a_field_is_dragged_to_another_place_on_the_canvas(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    box = page.locator(item(2)).bounding_box()
    page.drag_and_drop(item(0), item(2), target_position={"x": 40, "y": box["height"] - 4})
    saved(page)
    assert [f["name"] for f in definition_of(draft)["form"]["fields"]] == ["size", "place", "kind"]
    expect(page.locator(item(2))).to_have_class(re.compile("bz-selected"))


def test_a_rows_fields_columns_are_edited_inside_it(live_server, page_factory):
    rows = {"name": "items", "type": "rows", "label": "物品清单",
            "columns": [{"name": "item", "type": "text", "label": "物品"}]}
    draft = make_draft(extra_fields=[rows])
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.click(item(3))
    page.click("#bz-add-column")
    saved(page)
    page.fill('[data-k="p3-columns-1-label"]', "单价")
    page.select_option('[data-k="p3-columns-1-type"]', "money")
    saved(page)
    expect(page.locator(item(3) + " thead")).to_contain_text("单价")
    page.click('#bz-props .bz-col >> nth=1 >> text=更多属性')
    expect(page.locator("#bz-props h5")).to_contain_text("列：单价")
    page.select_option('[data-k="p3-1-unit"]', "元")
    page.check('[data-k="p3-1-required"]')
    saved(page)
    columns = definition_of(draft)["form"]["fields"][3]["columns"]
    assert columns[1] == {"name": columns[1]["name"], "type": "money", "label": "单价", "unit": "元", "required": True}
    assert re.fullmatch(r"[a-z][a-z0-9_]*", columns[1]["name"])
    page.click("#bz-props button:has-text('返回“物品清单”')")
    page.click('[aria-label="上移列“单价”"]')
    saved(page)
    assert [c["label"] for c in definition_of(draft)["form"]["fields"][3]["columns"]] == ["单价", "物品"]
    shot(page, "builder-columns")


def test_published_names_stay_when_labels_change_and_new_ones_follow_their_label(live_server, page_factory):
    page = page_factory()
    log_in(page, live_server.url, "t2002")
    service = Service.get(Service.slug == "weekly-report")
    page.goto(f"{live_server.url}/designer/builder/service/{service.id}")
    page.wait_for_selector(item(3) + " .bz-editable")
    page.fill(item(3) + " thead .bz-editable >> nth=0", "本周工作")
    saved(page)
    page.fill(item(1) + " .oh-label .bz-editable", "教学周次")
    saved(page)
    page.click(".bz-pal-item[data-type=textarea]")
    added(page, 4)
    page.fill(item(4) + " .oh-label .bz-editable", "下周计划")
    saved(page)
    draft = ServiceDraft.get(ServiceDraft.service == service)
    fields = draft.definition["form"]["fields"]
    assert fields[3]["columns"][0] == {"name": "text", "label": "本周工作", "type": "textarea",
                                       "max_length": 100, "required": True}
    assert fields[1]["name"] == "weeks" and fields[1]["label"] == "教学周次"
    assert fields[4]["label"] == "下周计划" and fields[4]["name"] == identifiers.slug("下周计划", "_")
    assert "# repeating rows" in draft.source          # the YAML keeps its comments

