"""The builder finishes the job (issue 24): 预计时限 in everyday words, 预览 as a chosen
applicant, the step chain beside the form at 1280 × 800, duplicate labels refused, wording
without programmer words, conditions joined by 且/或, 从模板新建 and several people picked
for one step — each in a real browser on a draft made through the builder's store."""
import re

from playwright.sync_api import expect

from tests.browser import shot
from tests.e2e.test_builder import added, definition_of, item, make_draft, open_builder, saved
from tests.e2e.test_smoke import log_in


def test_the_time_limit_is_written_in_everyday_words_or_refused_at_its_box(live_server, page_factory):
    from designer.builder import store
    draft = make_draft()
    definition = dict(definition_of(draft), time_limit="3d")                # as IT wrote it in YAML
    store.save(draft, definition, draft.revision, draft.updated_by)
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    expect(page.locator("#bz-time")).to_have_value("3天")
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
    assert "字节" not in props.inner_text()
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


def test_a_field_is_required_when_a_condition_holds_picked_like_the_display_condition(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    page.click(item(1))                                                  # 尺寸
    cond = "p1-required_when"
    expect(page.locator(f'#bz-props .bz-prop[data-err="required_when"] .bz-prop-title')).to_have_text("必填条件")
    page.select_option(f'[data-k="{cond}-subject"]', "form.kind")
    page.select_option(f'[data-k="{cond}-value"]', "展板")
    saved(page)
    field = definition_of(draft)["form"]["fields"][1]
    assert field["required_when"] == 'form.kind == "展板"' and not field.get("required")
    page.locator(f'[data-k="{cond}-details"] summary').click()           # the expression, for IT
    expect(page.locator(f'[data-k="{cond}-raw"]')).to_have_value('form.kind == "展板"')
    shot(page, "builder-required-when")

    page.select_option("#bz-preview-as", "t2001")                        # the applicant's form, live
    form = page.frame_locator("#bz-preview-frame")
    box = form.locator('[data-field="size"]')
    mark, control = box.locator(".oh-required"), box.locator("input")
    expect(mark).to_be_hidden()
    expect(control).not_to_have_attribute("aria-required", "true")
    form.get_by_label("展板").check()
    expect(mark).to_be_visible()
    expect(control).to_have_attribute("aria-required", "true")
    assert control.evaluate("el => el.required") is True
    form.get_by_label("海报").check()
    expect(mark).to_be_hidden()
    assert control.evaluate("el => el.required") is False
    page.click("#bz-preview-close")

    phone = open_builder(page_factory, live_server.url, "t2002", draft, width=360, height=780)
    phone.select_option("#bz-preview-as", "t2001")                       # the same at 360 px
    small = phone.frame_locator("#bz-preview-frame")
    small.get_by_label("展板").check()
    expect(small.locator('[data-field="size"] .oh-required')).to_be_visible()
    small.locator('[data-field="size"]').scroll_into_view_if_needed()
    shot(phone, "builder-required-when-360")

    page.click(item(1))                                                  # 必填 ticked: no condition needed
    page.click(f'[data-k="{cond}-subject"]')
    page.select_option(f'[data-k="{cond}-subject"]', "")
    saved(page)
    assert "required_when" not in definition_of(draft)["form"]["fields"][1]
    page.check('[data-k="p1-required"]')
    saved(page)
    expect(page.locator(f'[data-k="{cond}-subject"]')).to_have_count(0)
