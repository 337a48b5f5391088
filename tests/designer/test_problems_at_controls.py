"""A definition typed by a person, with the slips people make, refused by the builder's API
with each problem in Chinese at the control it belongs to (one test per family of codes)."""
import re

import yaml

from tests.designer.conftest import builder_edit, draft_url


def refused(client, base, change):
    response = builder_edit(client, base, change)
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == "invalid"
    return body


def at(body, target):
    found = [p for p in body["problems"] if p["target"] == target]
    assert found, body["problems"]
    return found[0]


def typed_field(text):
    """A field as a person types it in YAML."""
    return yaml.safe_load(text)


def no_english(text):
    return not re.search(r"\b(unknown|field|needs|key|not|pattern|duration|expected|allowed)\b", text)


def test_a_misspelt_key_and_a_key_another_type_has(admin, service):
    base = draft_url(admin, service("weekly-report"))
    field = typed_field("""
name: lingyong_wupin
lable: 领用物品
type: text
""")
    body = refused(admin, base, lambda d: d["form"]["fields"].append(field))
    problem = at(body, {"kind": "field", "index": 4, "key": "lable"})
    assert problem["message"] == "不认识的设置项 lable，是不是“标题”？"
    assert problem["where"] == "字段“lingyong_wupin”" and "lable" in problem["detail"]
    other = typed_field("{name: fuzeren, label: 负责人, type: user, max_length: 20}")
    body = refused(admin, base, lambda d: d["form"]["fields"].append(other))
    problem = at(body, {"kind": "field", "index": 4, "key": "max_length"})
    assert problem["message"] == "人员字段没有“最多字数”这一项" and no_english(body["message"])


def test_a_select_without_options_is_marked_at_its_options(admin, service):
    base = draft_url(admin, service("weekly-report"))
    field = typed_field("""
label: 领用类型
type: select
required: true
""")
    body = refused(admin, base, lambda d: d["form"]["fields"].append(field))
    problem = at(body, {"kind": "field", "index": 4, "key": "options"})
    assert problem["message"] == "下拉选择字段需要填写“选项”"
    assert problem["where"] == "字段“领用类型”的选项"
    assert body["message"] == "字段“领用类型”的选项：下拉选择字段需要填写“选项”"


def test_a_bad_regular_expression_is_said_at_the_format_rule(admin, service):
    base = draft_url(admin, service("weekly-report"))
    field = typed_field(r"""
label: 工号
type: text
pattern: '^(\d+)-\1$'
""")
    body = refused(admin, base, lambda d: d["form"]["fields"].append(field))
    problem = at(body, {"kind": "field", "index": 4, "key": "pattern"})
    assert problem["message"] == "格式规则的写法有误，或用了不支持的反向引用、环视"
    assert problem["where"] == "字段“工号”的格式规则" and "RE2" in problem["detail"]
    long = dict(field, pattern="a" * 201)
    body = refused(admin, base, lambda d: d["form"]["fields"].append(long))
    assert at(body, {"kind": "field", "index": 4, "key": "pattern"})["message"] == "格式规则太长了（最多 200 个字）"


def test_a_time_limit_people_write_but_the_format_does_not_take(admin, service):
    base = draft_url(admin, service("weekly-report"))
    body = refused(admin, base, lambda d: d.update(time_limit="三天半"))
    problem = at(body, {"kind": "meta", "key": "time_limit"})
    assert problem["message"] == "预计时限“三天半”看不懂：请写成 3天、3个工作日、72小时 或 2周"
    assert problem["where"] == "预计时限" and "is not a duration" in problem["detail"]


def test_conditions_and_references_are_said_at_the_step(admin, service):
    base = draft_url(admin, service("weekly-report"))

    def change(d):
        d["steps"][1].update(when='form.unit = "宣传部"', edit=["budget"])
    body = refused(admin, base, change)
    assert at(body, {"kind": "step", "index": 1, "key": "when"})["message"].startswith("条件的写法有误")
    budget = at(body, {"kind": "step", "index": 1, "key": "edit"})
    assert budget["message"] == "可修改的字段中的字段 budget 已不存在"


def test_wrong_kinds_of_values_say_what_is_expected(admin, service):
    base = draft_url(admin, service("weekly-report"))
    body = refused(admin, base, lambda d: d["form"]["fields"][0].update(required="是"))
    problem = at(body, {"kind": "field", "index": 0, "key": "required"})
    assert problem["message"] == "必填的填写方式不对：应为是或否，现在是文字"
    body = refused(admin, base, lambda d: d.update(audience=[]))
    assert at(body, {"kind": "meta", "key": "audience"})["message"] == "服务对象不能为空"


def test_yaml_typed_in_the_source_tab_is_refused_in_chinese_with_the_english_for_it(admin, service):
    base = draft_url(admin, service("weekly-report"))
    text = admin.get(base + "draft.yaml").get_data(as_text=True)
    twice = text.replace("name: 工作周报\n", "name: 工作周报\nname: 周报\n", 1)
    page = admin.post(base + "source", data={"source": twice})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "“事项名称”写了两次，请删去一个" in html and "duplicate key" in html     # Chinese, English under it
    tabbed = text.replace("\n  title:", "\n\ttitle:", 1)
    html = admin.post(base + "source", data={"source": tabbed}).get_data(as_text=True)
    assert re.search(r"源码第 \d+ 行附近的(写法|缩进)有误", html)
