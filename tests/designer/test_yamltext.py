"""Form edits keep the YAML text of every part they do not touch (comments, key order,
explicit defaults): a one-step edit is a few-line diff, not a regenerated file."""
import copy
import difflib
from pathlib import Path

import pytest

from app.defs.compile import export_dict, validate_text
from designer.yamltext import splice
from tests.designer.conftest import builder_edit, draft_url

DEFINITIONS = sorted((Path(__file__).parents[2] / "definitions").glob("*.yaml"))


def changed_lines(a: str, b: str) -> list[str]:
    return [ln for ln in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_an_unchanged_definition_keeps_its_text_byte_for_byte(path):
    text = path.read_text("utf-8")
    definition = export_dict(validate_text(text))
    assert splice(text, definition, copy.deepcopy(definition)) == text


@pytest.mark.parametrize("path", DEFINITIONS, ids=lambda p: p.stem)
def test_renaming_one_step_changes_one_line(path):
    text = path.read_text("utf-8")
    old = export_dict(validate_text(text))
    new = copy.deepcopy(old)
    new["steps"][-1]["name"] += "（改）"
    out = splice(text, old, new)
    assert export_dict(validate_text(out)) == export_dict(validate_text(_plain(new)))
    assert len(changed_lines(text, out)) <= 2, changed_lines(text, out)


def _plain(definition):
    import yaml
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)


def test_adding_removing_and_reordering_keep_comments_and_untouched_items():
    text = """format: 1
# 本服务由宣传部维护
id: sample
number: 1
name: 样例服务
category: 综合服务
department: 宣传部
audience: [staff]
recommended: false          # explicit default, kept
form:
  title: 样例表
  fields:
    # 单位自动填写
    - {name: unit, label: 单位, type: text, autofill: user.department}
    - name: amount
      label: 金额
      type: money
      unit: 万元
steps:
  - id: fill
    name: 填写
    by: applicant
  # 领导审批
  - id: leader
    name: 审批
    by: {role: dept_leader, of: applicant}
    mode: any
"""
    old = export_dict(validate_text(text))
    new = copy.deepcopy(old)
    new["form"]["fields"].reverse()
    new["form"]["fields"].append({"name": "remark", "label": "备注", "type": "textarea"})
    new["steps"][1]["opinion"] = "required"
    new["time_limit"] = "5个工作日"
    out = splice(text, old, new)
    assert export_dict(validate_text(out)) == export_dict(validate_text(_plain(new)))
    for kept in ("# 本服务由宣传部维护", "recommended: false          # explicit default, kept",
                 "    # 单位自动填写\n    - {name: unit, label: 单位, type: text, autofill: user.department}",
                 "  # 领导审批\n  - id: leader", "    mode: any\n", "    by: {role: dept_leader, of: applicant}"):
        assert kept in out, kept
    assert "time_limit: 5个工作日\n" in out and "    opinion: required\n" in out
    assert out.index("name: amount") < out.index("name: unit") < out.index("name: remark")


def test_a_builder_step_edit_keeps_the_comments_of_the_imported_file(admin, service):
    base = draft_url(admin, service("weekly-report"))
    before = admin.get(base + "draft.yaml").get_data(as_text=True)
    assert "#" in before
    response = builder_edit(admin, base, lambda d: d["steps"][1].update(name="单位领导审批"))
    assert response.status_code == 200
    after = admin.get(base + "draft.yaml").get_data(as_text=True)
    assert changed_lines(before, after) == ["-    name: 所在单位领导审批", "+    name: 单位领导审批"]
