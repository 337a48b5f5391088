"""`flask defs lint`: one test per kind of warning, and the exit codes."""
from pathlib import Path

from click.testing import CliRunner

from app.cli import defs_tools  # noqa: F401  (registers `test` and `lint`)
from app.cli.defs import defs_cli

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"

BASE = """format: 1
id: leave-x
number: 901
name: 测试请假
category: 综合服务
department: 宣传部
audience: [staff]
form:
  title: 测试请假
  fields:
    - {name: kind, label: 类型, type: select, required: true, options: [事假, 病假]}
    - {name: days, label: 天数, type: number, required: true, minimum: 1, maximum: 30}
    - {name: note, label: 说明, type: text}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: leader, name: 领导审批, by: {role: dept_leader, department: 宣传部}}
"""


def lint(app, tmp_path, text, *args):
    path = tmp_path / "leave-x.yaml"
    path.write_text(text, encoding="utf-8")
    with app.app_context():
        result = CliRunner().invoke(defs_cli, ["lint", str(path), *args])
    return result, path


def test_a_clean_definition_has_no_warning(app, tmp_path):
    result, _ = lint(app, tmp_path, BASE)
    assert result.exit_code == 0, result.output
    assert result.output == "0 warnings in 1 definitions\n"


def test_a_condition_that_can_never_hold_makes_its_step_unreachable(app, tmp_path):
    text = BASE + "  - {id: long, name: 长假审批, by: {user: t8001}, when: form.days > 30}\n"
    result, path = lint(app, tmp_path, text)
    assert result.exit_code == 0
    assert (f"{path}:17:53: warning: step 'long' is never reached: its condition 'form.days > 30' "
            "can never be true for the allowed applicants and values [unreachable-step]") in result.output
    ok, _ = lint(app, tmp_path, text.replace("form.days > 30", "form.days > 29"))
    assert "unreachable-step" not in ok.output


def test_an_applicant_type_outside_the_audience_never_matches(app, tmp_path):
    text = BASE + '  - {id: stu, name: 学生审批, by: {user: t8001}, when: applicant.type == "student"}\n'
    result, _ = lint(app, tmp_path, text)
    assert "step 'stu' is never reached" in result.output


def test_steps_after_one_that_always_ends_the_flow_are_unreachable(app, tmp_path):
    text = BASE.replace("by: {role: dept_leader, department: 宣传部}}",
                        "by: {role: dept_leader, department: 宣传部}, actions: [terminate, return]}")
    text += "  - {id: after, name: 之后, by: {user: t8001}}\n"
    result, path = lint(app, tmp_path, text)
    assert (f"{path}:17:5: warning: step 'after' is never reached: step 'leader' before it always "
            "ends the flow (it applies to everyone and cannot approve) [unreachable-step]") in result.output


def test_a_condition_over_a_field_never_shown(app, tmp_path):
    text = BASE.replace("{name: note, label: 说明, type: text}",
                        '{name: note, label: 说明, type: text, visible_when: form.kind == "婚假"}')
    text += '  - {id: noted, name: 备注审批, by: {user: t8001}, when: form.note == "急"}\n'
    result, path = lint(app, tmp_path, text)
    assert (f"{path}:13:7: warning: field 'note' is never shown: its visible_when can never be true "
            "[never-shown-field]") in result.output
    assert (f"{path}:17:54: warning: the condition of step 'noted' reads 'note', which is never shown "
            "[condition-over-hidden-field]") in result.output


def test_a_field_every_step_hides_is_never_shown(app, tmp_path):
    text = BASE.replace("{id: fill, name: 填写, by: applicant}", "{id: fill, name: 填写, by: applicant, hidden: [note]}")
    text = text.replace("by: {role: dept_leader, department: 宣传部}}",
                        "by: {role: dept_leader, department: 宣传部}, hidden: [note]}")
    result, _ = lint(app, tmp_path, text)
    assert "field 'note' is never shown: every step hides it [never-shown-field]" in result.output


def test_a_step_nobody_handles_for_some_allowed_applicant(app, tmp_path):
    users = tmp_path / "users.csv"                      # 档案馆 has staff but no leader
    users.write_text("username,name,type,department,roles,id_card,phone,email\n"
                     "t7002,郑强,staff,计算机科学与技术学院,dept_leader,110101199003071234,,\n"
                     "a1,档案员,staff,档案馆,,110101199003075678,,\n", encoding="utf-8")
    text = BASE.replace("{role: dept_leader, department: 宣传部}", "{role: dept_leader, of: applicant}")
    result, path = lint(app, tmp_path, text, "--directory", str(users))
    assert (f"{path}:16:" in result.output and "warning: step 'leader' has nobody to handle it for "
            "applicants: staff of 档案馆 [nobody-to-handle]" in result.output)
    assert "计算机科学与技术学院" not in result.output        # 郑强 leads it
    strict, _ = lint(app, tmp_path, text, "--strict", "--directory", str(users))
    assert strict.exit_code == 1


def test_an_invalid_definition_is_an_error_not_a_warning(app, tmp_path):
    result, path = lint(app, tmp_path, BASE.replace("type: text}", "type: txet}"))
    assert result.exit_code == 1
    assert f"{path}:13:" in result.output


def test_the_shipped_definitions_lint_with_warnings_only(app):
    with app.app_context():
        result = CliRunner().invoke(defs_cli, ["lint", str(DEFINITIONS)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith("warnings in 8 definitions")
