"""`flask defs validate|import|export`, invoked through click with the database bound."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.db import bind, db, make_database
from app.defs import validate_text
from app.cli.defs import defs_cli
from app.models import create_tables

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
BAD = Path(__file__).parent / "data" / "bad"


@pytest.fixture
def database(tmp_path):
    bind(make_database("sqlite:///" + str(tmp_path / "t.db")))
    db.connect(reuse_if_open=True)
    create_tables()
    yield db
    db.close()


def run(*args):
    return CliRunner().invoke(defs_cli, list(map(str, args)))


def test_validate_ok():
    result = run("validate", DEFINITIONS)
    assert result.exit_code == 0, result.output
    assert result.output == f"ok: {len(list(DEFINITIONS.glob('*.yaml')))} definitions\n"


def test_validate_reports_each_problem_and_fails():
    result = run("validate", DEFINITIONS / "feedback.yaml", BAD / "unknown-key-in-form.yaml",
                 BAD / "duplicate-step-id.yaml")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == [
        f"{BAD / 'unknown-key-in-form.yaml'}:9:3: form: form needs either 'fields' or 'schema' (exactly one of them)",
        f"{BAD / 'unknown-key-in-form.yaml'}:10:3: form.fieldz: unknown key 'fieldz'; did you mean 'fields'? (allowed: title, fields, schema)",
        f"{BAD / 'duplicate-step-id.yaml'}:23:9: steps[1].id: duplicate step id 'fill'",
    ]


def test_validate_missing_file(tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1 and "nope.yaml:1:1: cannot read the file" in result.output


def test_import_then_unchanged_then_new_version(database, tmp_path):
    result = run("import", DEFINITIONS)
    assert result.exit_code == 0, result.output
    assert f"created: {DEFINITIONS / 'weekly-report.yaml'}" in result.output.splitlines()
    result = run("import", DEFINITIONS / "weekly-report.yaml")
    assert result.output == f"unchanged: {DEFINITIONS / 'weekly-report.yaml'}\n"
    changed = tmp_path / "weekly-report.yaml"
    changed.write_text((DEFINITIONS / "weekly-report.yaml").read_text("utf-8").replace("14d", "7d")
                       .replace("time_limit: 2w", "time_limit: 1w"), encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\n", encoding="utf-8")
    result = run("import", changed, bad)
    assert result.exit_code == 1
    assert f"new version 2: {changed}" in result.output
    assert f"{bad}:1:1: missing required key 'number'" in result.output


def test_export_yaml_and_schema(database, tmp_path):
    run("import", DEFINITIONS)
    result = run("export", "tech-contract")
    assert result.exit_code == 0, result.output
    exported = validate_text(result.output)
    assert exported.form.title == "齐鲁工业大学技术合同审批表"
    result = run("export", "tech-contract", "--schema")
    schema = json.loads(result.output)
    assert schema["properties"]["nature"]["enum"] == ["技术开发", "技术服务"]
    out = tmp_path / "out.yaml"
    result = run("export", "weekly-report", "-o", out)
    assert result.exit_code == 0 and result.output == ""
    assert validate_text(out.read_text("utf-8")).number == 59


def test_export_unknown_service(database):
    result = run("export", "nope")
    assert result.exit_code == 1
    assert "unknown service 'nope'" in result.output
