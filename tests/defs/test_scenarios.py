"""`flask defs test`: scenario files beside definitions, run on a throwaway directory."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import defs_tools  # noqa: F401  (registers `test` and `lint`)
from app.cli.defs import defs_cli
from app.defs.scenarios import file_schema_json, scenario_files

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = ROOT / "definitions"
WEEKLY = DEFINITIONS / "weekly-report.yaml"


def run(app, *args):
    with app.app_context():
        return CliRunner().invoke(defs_cli, list(map(str, args)))


@pytest.fixture
def folder(tmp_path):
    """A department's definitions folder with the weekly report in it."""
    shutil.copy(WEEKLY, tmp_path / WEEKLY.name)
    return tmp_path


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


GOOD_CASE = """service: weekly-report
cases:
  - name: 到部门领导
    as: {user: t2001}
    data: {items: [{text: 本周工作}]}
    expect: {valid: true, steps: [fill, leader], assignees: {leader: [t2002]}}
"""


def test_shipped_definitions_pass_through_the_real_cli():
    """What `make test` guards: `flask defs test definitions/` exits 0 with every case passing."""
    env = dict(os.environ, FLASK_APP="wsgi")
    result = subprocess.run([sys.executable, "-m", "flask", "defs", "test", "definitions/"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].endswith(" passed, 0 failed")
    assert int(lines[-1].split()[0]) >= 20
    assert all(line.startswith("PASS ") for line in lines[:-1])


def test_every_shipped_definition_has_a_scenario_file():
    definitions = sorted(p.stem for p in DEFINITIONS.glob("*.yaml"))
    covered = sorted(p.name[:-len(".test.yaml")] for p in scenario_files([DEFINITIONS]))
    assert covered == definitions


def test_every_definition_file_in_the_repository_has_a_scenario_file():
    """Shipped definitions and builder templates (从模板新建) alike: a definition file kept
    anywhere in the repository (outside tests/) comes with its NAME.test.yaml."""
    import yaml
    skip = {".venv", ".venv-hooks", ".git", "tests", "instance", "node_modules", "test-artifacts"}
    missing = []
    for path in ROOT.rglob("*.yaml"):
        if skip & set(path.relative_to(ROOT).parts) or path.name.endswith(".test.yaml"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "format" in data and "steps" in data and not scenario_files([path]):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_committed_scenario_schema_is_the_one_the_runner_uses():
    assert (DEFINITIONS / "scenario-schema.json").read_text(encoding="utf-8") == file_schema_json()


def test_a_wrong_expectation_fails_with_what_differed(app, folder):
    write(folder / "weekly-report.test.yaml", GOOD_CASE + """  - name: 错写成网络中心领导
    as: {user: t2001}
    data: {items: [{text: 本周工作}]}
    expect: {steps: [fill], assignees: {leader: [t1002]}}
  - name: 错写成可以提交
    as: {user: t2001}
    data: {items: []}
    expect: {valid: true}
""")
    result = run(app, "test", folder)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "PASS 到部门领导",
        "FAIL 错写成网络中心领导: steps: expected [fill], got [fill, leader]; "
        "assignees.leader: expected [t1002], got [t2002]",
        "FAIL 错写成可以提交: valid: expected true, got false (items: 至少需要1行)",
        "1 passed, 2 failed",
    ]


def test_a_definition_path_finds_its_test_file_and_persona_cases(app, folder):
    write(folder / "weekly-report.test.yaml", GOOD_CASE + """  - name: 计算机学院职工到郑强
    as: {type: staff, department: 计算机科学与技术学院}
    data: {items: [{text: 备课}]}
    expect: {assignees: {leader: [t7002]}}
  - name: 学生不在服务对象中
    as: {type: student, department: 计算机科学与技术学院}
    expect: {allowed: false}
""")
    result = run(app, "test", folder / "weekly-report.yaml")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "3 passed, 0 failed"


def test_a_step_nobody_handles_fails_even_when_not_asked(app, folder):
    write(folder / "weekly-report.test.yaml", """service: weekly-report
cases:
  - name: 组织部之外没有领导的部门
    as: {type: staff, department: 学生工作部}
    data: {items: [{text: x}]}
    expect: {valid: true}
""")
    (folder / "users.csv").write_text(
        "username,name,type,department,roles,id_card,phone,email\n"
        "u1,甲,staff,学生工作部,,110101199003071234,,\n", encoding="utf-8")
    result = run(app, "test", folder, "--directory", folder / "users.csv")
    assert result.exit_code == 1
    assert "FAIL 组织部之外没有领导的部门: assignees.leader: nobody handles this step" in result.output


def test_another_directory_changes_who_handles_it(app, folder):
    write(folder / "weekly-report.test.yaml", GOOD_CASE)
    (folder / "users.csv").write_text(
        "username,name,type,department,roles,id_card,phone,email\n"
        "t2001,李明,staff,宣传部,,110101199003071234,,\n"
        "w1,王五,staff,宣传部,dept_leader,110101199003075678,,\n", encoding="utf-8")
    result = run(app, "test", folder, "--directory", folder / "users.csv")
    assert result.exit_code == 1
    assert "assignees.leader: expected [t2002], got [w1]" in result.output


def test_errors_in_test_files_point_at_their_lines(app, folder):
    bad = write(folder / "typo.test.yaml", GOOD_CASE.replace("valid: true,", "vaild: true,"))
    yaml_error = write(folder / "broken.test.yaml", "service: [weekly-report\n")
    unknown_service = write(folder / "other.test.yaml", GOOD_CASE.replace("service: weekly-report",
                                                                          "service: weekly-reprot"))
    unknown_user = write(folder / "who.test.yaml", GOOD_CASE.replace("t2001", "t9999"))
    result = run(app, "test", folder)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{bad}:6:13: cases.0.expect: unknown key(s) ('vaild' was unexpected)" in lines
    assert any(line.startswith(f"{yaml_error}:2:1: YAML syntax error") for line in lines)
    assert (f"{unknown_service}:1:10: unknown service 'weekly-reprot' (no definition with that id "
            f"beside other.test.yaml)") in lines
    assert f"{unknown_user}:4:9: case '到部门领导': unknown user 't9999' in the directory" in lines
    assert lines[-1] == "0 passed, 0 failed, 4 errors in test files"


def test_a_missing_directory_file_is_one_clear_line(app, folder):
    write(folder / "weekly-report.test.yaml", GOOD_CASE)
    result = run(app, "test", folder, "--directory", folder / "nope.csv")
    assert result.exit_code == 1
    assert "nope.csv:1: cannot read the directory" in result.output
    assert "Traceback" not in result.output


def test_the_apps_database_is_left_alone(app, folder):
    from app.models import User
    write(folder / "weekly-report.test.yaml", GOOD_CASE.replace("{user: t2001}", "{type: staff, department: 宣传部}"))
    with app.app_context():
        before = User.select().count()
    result = run(app, "test", folder)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert User.select().count() == before
        assert not User.select().where(User.username.startswith("persona-")).exists()


def test_validate_and_import_of_a_folder_skip_scenario_files(app, folder):
    write(folder / "weekly-report.test.yaml", GOOD_CASE)
    result = run(app, "validate", folder)
    assert result.output == "ok: 1 definitions\n"
