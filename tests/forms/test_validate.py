"""validate_data: hidden fields dropped, jsonschema errors keyed and worded in Chinese."""
import pytest

from renderers.form import validate_data
from tests.forms import fresh_db, make_user, sample_form

APPLICANT = {"username": "alice", "type": "staff", "department": "CS"}
VALID = {"unit": "CS", "project": "项目", "nature": "技术开发", "agree": True,
         "items": [{"text": "周报"}]}


def check(data, drafts=False, form=None, applicant=APPLICANT):
    return validate_data(form or sample_form(), data, applicant=applicant, drafts=drafts)


def errors_of(**changes):
    data = dict(VALID, **changes)
    return check({k: v for k, v in data.items() if v is not ...})[1]


def test_valid_data_passes():
    clean, errors = check(dict(VALID))
    assert errors == {} and clean == VALID


def test_required():
    assert errors_of(project=..., nature=...) == {"project": ["此项为必填项"], "nature": ["此项为必填项"]}
    assert errors_of(project="")["project"] == ["此项为必填项"]


@pytest.mark.parametrize("changes, key, message", [
    ({"project": "长" * 21}, "project", "最多可输入20个字"),
    ({"summary": "字" * 101}, "summary", "最多可输入100个字"),
    ({"nature": "其他"}, "nature", "请选择有效的选项"),
    ({"campus": "东校区"}, "campus", "请选择有效的选项"),
    ({"tags": ["横向", "其他"]}, "tags", "请选择有效的选项"),
    ({"count": "abc"}, "count", "请输入数字"),
    ({"amount": "12元"}, "amount", "请输入数字"),
    ({"amount": 1.234}, "amount", "最多两位小数"),
    ({"start": "2024-02-30"}, "start", "请输入有效的日期 (YYYY-MM-DD)"),
    ({"start": "2024/01/02"}, "start", "请输入有效的日期 (YYYY-MM-DD)"),
    ({"meet": "2024-01-02 25:00"}, "meet", "请输入有效的日期和时间 (YYYY-MM-DD HH:MM)"),
    ({"meet": "2024-01-02T10:00+08:00"}, "meet", "请输入有效的日期和时间 (YYYY-MM-DD HH:MM)"),
    ({"agree": False}, "agree", "请勾选同意"),
    ({"code": "ab12"}, "code", "格式不正确"),
    ({"count": 0}, "count", "不能小于1"),
    ({"count": 11}, "count", "不能大于10"),
    ({"docs": ["a", "b", "c"]}, "docs", "最多2个附件"),
    ({"items": []}, "items", "至少需要1行"),
    ({"items": [{"text": "a"}] * 4}, "items", "最多3行"),
    ({"bogus": 1}, "bogus", "未知字段 bogus"),
])
def test_messages(changes, key, message):
    assert message in errors_of(**changes).get(key, []), errors_of(**changes)


def test_datetime_with_a_space_is_accepted_and_stored_with_t():
    """The format checker of definitions' defaults and of submitted data is one: a default
    "2019-12-03 10:00" that passed ``defs validate`` must pass on submit too."""
    clean, errors = check(dict(VALID, meet="2019-12-03 10:00"))
    assert errors == {} and clean["meet"] == "2019-12-03T10:00"


def test_text_without_max_length_has_a_default_limit():
    clean, errors = check(dict(VALID, unit="字" * 501))
    assert errors["unit"] == ["最多可输入500个字"]


def test_whole_submission_has_a_size_cap():
    clean, errors = check(dict(VALID, items=[{"text": "字" * 100}] * 20000))
    assert "过大" in errors["data"][0] and clean == {}


def test_valid_money_with_two_decimals():
    for amount in (0.29, 0.07, 1.1, 100, 12.35):
        assert errors_of(amount=amount) == {}


def test_row_errors_are_keyed_by_index_and_column():
    errors = errors_of(items=[{"text": "ok"}, {}, {"text": "十一个字十一个字十一个", "hours": "x"},
                              {"text": "a", "zz": 1}][:3])
    assert errors == {"items.1.text": ["此项为必填项"], "items.2.text": ["最多可输入10个字"],
                      "items.2.hours": ["请输入数字"]}
    errors = errors_of(items=[{"text": "a", "zz": 1}])
    assert errors == {"items.0.zz": ["未知字段 zz"]}


def test_empty_row_cells_are_pruned_before_validation():
    errors = errors_of(items=[{"text": "", "hours": None}])
    assert errors == {"items.0.text": ["此项为必填项"]}


def test_hidden_field_is_dropped_and_not_required():
    clean, errors = check(dict(VALID, nature="技术开发", detail="不该保存"))
    assert errors == {} and "detail" not in clean


def test_visible_field_is_required():
    assert errors_of(nature="技术服务") == {"detail": ["此项为必填项"]}
    clean, errors = check(dict(VALID, nature="技术服务", detail="说明"))
    assert errors == {} and clean["detail"] == "说明"


def test_visible_when_over_applicant():
    form = sample_form(fields=[{"name": "x", "type": "text", "required": True,
                                "visible_when": "applicant.type == \"student\""}])
    assert check({}, form=form)[1] == {}
    assert check({}, form=form, applicant={"type": "student"})[1] == {"x": ["此项为必填项"]}


def test_drafts_need_not_be_complete_but_must_be_well_typed():
    clean, errors = check({"agree": False, "items": [{}]}, drafts=True)
    assert errors == {}
    _, errors = check({"count": "abc", "project": "长" * 30, "items": [{"text": "十一个字十一个字十一个"}]},
                      drafts=True)
    assert errors == {"count": ["请输入数字"], "project": ["最多可输入20个字"],
                      "items.0.text": ["最多可输入10个字"]}


def test_section_values_are_not_stored():
    clean, errors = check(dict(VALID, terms="x"))
    assert "terms" not in clean and errors == {}


def test_not_an_object():
    assert check(["x"])[1] == {"data": ["格式不正确"]}


def test_users_departments_and_attachment_owners(tmp_path):
    from app.models import Attachment
    fresh_db(tmp_path)
    alice, mallory = make_user("alice"), make_user("mallory", department="宣传部")
    for owner, token in ((alice, "mine"), (mallory, "theirs")):
        Attachment.create(owner=owner, token=token, field="docs", filename="a.pdf",
                          stored_name="0" * 32, size=1, content_type="application/pdf", sha256="0" * 64)
    assert errors_of(leader="mallory", dept="宣传部", docs=["mine"]) == {}
    assert errors_of(leader="nobody", dept="不存在", docs=["mine", "theirs"]) == {
        "leader": ["用户不存在"], "dept": ["部门不存在"], "docs": ["附件无效或不属于申请人"]}
    assert errors_of(docs=["nope"]) == {"docs": ["附件无效或不属于申请人"]}
    _, errors = validate_data(sample_form(), dict(VALID, docs=["theirs"]), applicant=APPLICANT,
                              editor="mallory")
    assert errors == {}


@pytest.mark.timeout(60)        # backtracking would take minutes; the time RE2 takes: bench guards
def test_a_backtracking_pattern_cannot_hold_a_worker():
    """The audit's ReDoS: Python's re needs minutes for 36 letters; RE2 answers at once."""
    from app.defs import validate_text
    text = ("format: 1\nid: redos\nnumber: 990\nname: 测试\ncategory: 测试\ndepartment: 宣传部\n"
            "form:\n  title: 测试\n  fields:\n"
            "    - {name: code, label: 编号, type: text, pattern: '^\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*\\w*!$'}\n"
            "steps:\n  - {id: fill, name: 填写, by: applicant}\n")
    form = validate_text(text).form
    _, errors = validate_data(form, {"code": "a" * 400}, applicant=APPLICANT)
    assert errors == {"code": ["格式不正确"]}
    assert validate_data(form, {"code": "abc!"}, applicant=APPLICANT)[1] == {}


def test_patterns_re2_cannot_run_are_refused_at_validation():
    from app.defs import DefinitionError, validate_text
    text = ("format: 1\nid: backref\nnumber: 991\nname: 测试\ncategory: 测试\ndepartment: 宣传部\n"
            "form:\n  title: 测试\n  fields:\n"
            "    - {name: code, label: 编号, type: text, pattern: '(a)\\1'}\n"
            "steps:\n  - {id: fill, name: 填写, by: applicant}\n")
    with pytest.raises(DefinitionError) as exc:
        validate_text(text)
    assert "RE2 cannot compile the pattern" in str(exc.value.problems[0])


REQUIRED_WHEN = [{"name": "kind", "type": "radio", "options": ["横幅", "海报"]},
                 {"name": "size", "type": "text", "required_when": 'form.kind == "横幅"'},
                 {"name": "note", "type": "text", "visible_when": 'applicant.type == "student"',
                  "required_when": 'form.kind == "海报"'}]


def test_required_when_is_required_only_while_its_condition_holds():
    form = sample_form(fields=REQUIRED_WHEN)
    assert check({"kind": "横幅"}, form=form)[1] == {"size": ["此项为必填项"]}
    assert check({"kind": "海报"}, form=form)[1] == {}          # note: required, but not shown to staff
    assert check({"kind": "海报"}, form=form, applicant={"type": "student"})[1] == {"note": ["此项为必填项"]}
    assert check({"kind": "横幅", "size": "3米"}, form=form)[1] == {}
    assert check({"kind": "横幅"}, form=form, drafts=True)[1] == {}     # a draft may be incomplete
