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


def test_the_time_limit_is_written_in_everyday_words_or_refused_at_its_box(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    for typed, stored in [("3日", "3天"), ("3个工作日", "3个工作日"), ("72小时", "72小时"), ("两周", "2周")]:
        page.fill("#bz-time", typed)
        saved(page)
        assert definition_of(draft)["time_limit"] == stored, typed
    page.fill("#bz-time", "abc")
    message = page.locator(".bz-meta-time .bz-err-msg")
    expect(message).to_have_text("预计时限请写成 3天、3个工作日、72小时 或 2周")
    expect(page.locator("#bz-status")).to_contain_text("尚未保存")
    expect(page.locator("#bz-time")).to_have_value("abc")
    assert definition_of(draft)["time_limit"] == "2周"
    shot(page, "builder-time-limit-refused")
    page.fill("#bz-time", "")
    saved(page)
    expect(message).to_have_count(0)
    assert "time_limit" not in definition_of(draft)


def test_the_preview_shows_the_chosen_applicants_form_and_approvers(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.select_option("#bz-preview-as", "t2001")
    expect(page.locator("#bz-preview-title")).to_have_text("以李明（宣传部）为申请人预览")
    expect(page.locator("#bz-paper")).to_be_hidden()
    expect(page.locator("#bz-preview-chain li").nth(1)).to_contain_text("单位领导审批")
    expect(page.frame_locator("#bz-preview-frame").locator("form")).to_contain_text("张贴类型")
    page.click("#bz-preview-close")
    expect(page.locator("#bz-preview")).to_be_hidden()
    expect(page.locator("#bz-paper")).to_be_visible()


def test_the_step_chain_is_beside_the_form_at_1280_by_800_without_scrolling(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft, width=1280, height=800)
    page.click(item(1))                                     # a field selected: its properties shown
    expect(page.locator("#bz-props h5")).to_contain_text("尺寸")
    canvas = page.locator("#bz-canvas").bounding_box()
    steps = page.locator("#bz-steps .bz-step")
    expect(steps).to_have_count(2)
    for i in range(2):
        box = steps.nth(i).bounding_box()
        assert box["x"] >= canvas["x"] + canvas["width"], box          # beside the form, not under it
        assert box["y"] + box["height"] <= 800, box                     # seen without scrolling
    assert page.evaluate("window.scrollY") == 0
    shot(page, "builder-1280x800")


TOFU = """() => {
  const draw = (text) => {
    const c = document.createElement("canvas"); c.width = 40; c.height = 40;
    const g = c.getContext("2d"); g.font = "24px sans-serif"; g.fillText(text, 4, 30);
    return c.toDataURL();
  };
  const missing = draw("\\ue000");               // a private-use character: drawn as an empty box
  return [...document.querySelectorAll(".bz-pal-item")]
    .filter((b) => draw(b.querySelector(".bz-icon").textContent) === missing)
    .map((b) => b.dataset.type);
}"""


def test_every_palette_icon_is_drawn(live_server, page_factory):
    page = page_factory()
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/designer/builder/new")
    assert page.evaluate(TOFU) == []


def test_a_second_field_with_the_same_label_is_refused_at_once_and_both_are_marked(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.fill(item(2) + " .oh-label .bz-editable", "尺寸")
    expect(page.locator(item(1))).to_have_class(re.compile("bz-has-error"))
    expect(page.locator(item(2))).to_have_class(re.compile("bz-has-error"))
    expect(page.locator(item(1) + " .bz-err-msg")).to_have_text("标题“尺寸”与第 3 个字段相同，请改成不同的标题")
    expect(page.locator("#bz-status")).to_contain_text("尚未保存")
    assert definition_of(draft)["form"]["fields"][2]["label"] == "张贴地点"
    shot(page, "builder-duplicate-label")
    page.fill(item(2) + " .oh-label .bz-editable", "张贴位置")
    saved(page)
    expect(page.locator("#bz-canvas .bz-has-error")).to_have_count(0)
    page.click(".bz-pal-item[data-type=text]")
    page.click(".bz-pal-item[data-type=text]")
    added(page, 4)
    labels = [f["label"] for f in definition_of(draft)["form"]["fields"][3:]]
    assert labels == ["单行文本", "单行文本2"]


def test_file_settings_are_in_mb_and_kinds_and_no_programmer_words_are_on_the_way(live_server, page_factory):
    upload = {"name": "scan", "type": "file", "label": "扫描件"}
    draft = make_draft(extra_fields=[upload])
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.click(item(3))
    props = page.locator("#bz-props")
    expect(props).to_contain_text("单个文件大小上限（MB）")
    page.fill('[data-k="p3-max_size"]', "5")
    saved(page)
    page.check('[data-k="p3-accept-PDF"]')
    saved(page)
    page.check('[data-k="p3-accept-图片"]')
    saved(page)
    field = definition_of(draft)["form"]["fields"][3]
    assert field["max_size"] == 5 * 1024 * 1024
    assert field["accept"] == [".pdf", ".jpg", ".jpeg", ".png"]
    expect(page.locator('[data-k="p3-max_size"]')).to_have_value("5")
    page.click(item(1))
    page.click('#bz-props .bz-prop[data-err="visible_when"] summary')
    for word in ("字节", "正则", "字段标识", "form.", "例如 form"):
        assert word not in page.locator("#bz").inner_text(), word
    expect(page.locator("#bz-source")).to_be_hidden()
    page.click("#bz-it summary")
    expect(page.locator("#bz-source")).to_have_text("源码（YAML，供 IT 使用）")
    shot(page, "builder-file-settings")


def test_conditions_join_clauses_with_and_or_and_know_the_applicants_department(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.click(item(1))
    cond = "p1-visible_when"
    expect(page.locator(f'[data-k="{cond}-add"]')).to_be_hidden()
    page.select_option(f'[data-k="{cond}-subject"]', "form.kind")
    page.select_option(f'[data-k="{cond}-value"]', "展板")
    saved(page)
    page.click(f'[data-k="{cond}-add"]')
    page.select_option(f'[data-k="{cond}-c1-subject"]', "applicant.department")
    page.select_option(f'[data-k="{cond}-c1-value"]', "宣传部")
    saved(page)
    assert definition_of(draft)["form"]["fields"][1]["visible_when"] == 'form.kind == "展板" and applicant.department == "宣传部"'
    page.select_option(f'[data-k="{cond}-join"]', "or")
    saved(page)
    assert definition_of(draft)["form"]["fields"][1]["visible_when"] == 'form.kind == "展板" or applicant.department == "宣传部"'
    page.click(item(2))
    page.click(item(1))                                          # read back from the expression
    expect(page.locator(f'[data-k="{cond}-c1-value"]')).to_have_value("宣传部")
    expect(page.locator(f'[data-k="{cond}-join"]')).to_have_value("or")
    shot(page, "builder-condition-and-or")
    page.click(f'#bz-props .bz-clause >> nth=1 >> [aria-label="删除这个条件"]')
    saved(page)
    assert definition_of(draft)["form"]["fields"][1]["visible_when"] == 'form.kind == "展板"'

    page.click('.bz-step[data-step="1"] summary')
    page.select_option('[data-k="s1-when-subject"]', "applicant.type")
    page.select_option('[data-k="s1-when-value"]', "staff")
    saved(page)
    assert definition_of(draft)["steps"][1]["when"] == 'applicant.type == "staff"'


def test_a_service_is_started_from_a_template(live_server, page_factory):
    page = page_factory()
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/designer/")
    page.click("a:has-text('从模板新建')")
    expect(page.locator(".bz-template")).to_have_count(8)
    shot(page, "builder-templates")
    page.click(".bz-template[data-template=leave-request] button:has-text('用这个模板新建')")
    page.wait_for_selector(item(0) + " .bz-editable")
    expect(page.locator("#bz-heading")).to_have_text("教职工请假申请")
    expect(page.locator('[data-k="s2-name"]')).to_have_value("人事处审核")
    expect(page.locator('[data-k="s2-when-subject"]')).to_have_value(re.compile(r"^form\.days$"))
    expect(page.locator("#bz-publish-open")).to_be_enabled()


def test_several_people_are_picked_for_a_multi_person_step(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    step = '.bz-step[data-step="1"]'
    page.select_option(f'{step} [data-k="s1-by-kind"]', label="指定多名人员")
    expect(page.locator(f"{step} .bz-picker")).to_contain_text("尚未选择")
    expect(page.locator(f"{step} .bz-err-msg")).to_contain_text("请选择办理人")
    expect(page.locator("#bz-status")).not_to_contain_text("请按提示修改")
    page.fill(f'{step} [data-k="s1-by-users"]', "李明")
    page.click(f"{step} .bz-results button:has-text('李明（宣传部）')")
    saved(page)
    page.fill(f'{step} [data-k="s1-by-users"]', "赵敏")
    page.click(f"{step} .bz-results button:has-text('赵敏（办公室）')")
    saved(page)
    assert definition_of(draft)["steps"][1]["by"] == {"users": ["t2001", "t3001"]}
    page.click(f'{step} [aria-label="移除“李明（宣传部）”"]')
    saved(page)
    assert definition_of(draft)["steps"][1]["by"] == {"users": ["t3001"]}
    shot(page, "builder-many-people")
