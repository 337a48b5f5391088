"""What a form cannot show is refused by ``flask defs validate`` with one ``path:line:col:``
line naming the keyword and what to write instead; what the standard calls annotations is
accepted."""
import json
import subprocess
import sys

import pytest

from app.defs import DefinitionError, validate_text, wrap


def definition(schema) -> str:
    return wrap.wrap_text(schema, name="测试", department="宣传部", slug="refusal", number=59990)


def problems(schema):
    with pytest.raises(DefinitionError) as caught:
        validate_text(definition(schema), "t.yaml")
    return [str(p) for p in caught.value.problems]


OBJ = {"type": "object"}


@pytest.mark.parametrize("schema, fragment", [
    (dict(OBJ, properties={"a": {"$ref": "http://example.com/a.json"}}), "remote $ref 'http://example.com/a.json' is not allowed; copy the schema into '$defs'"),
    (dict(OBJ, properties={"a": {"$ref": "other.json#/x"}}), "remote $ref 'other.json#/x'"),
    (dict(OBJ, properties={"node": {"$ref": "#/$defs/node"}},
          **{"$defs": {"node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/node"}}}}}),
     "recursive $ref '#/$defs/node'"),
    (dict(OBJ, properties={"a": {"$ref": "#/$defs/missing"}}), "$ref '#/$defs/missing' points at nothing"),
    (dict(OBJ, properties={"a": {"type": "object", "patternProperties": {"^x": {"type": "string"}}}}), "'patternProperties' cannot be shown as a form; list the properties by name"),
    (dict(OBJ, properties={"a": {"type": "object", "additionalProperties": {"type": "string"}}}), "'additionalProperties' as a schema"),
    (dict(OBJ, properties={"a": {"type": "string", "not": {"const": "x"}}}), "'not' cannot be shown as a form; state what is allowed"),
    (dict(OBJ, properties={"a": {"type": "string", "pattern": "(a)\\1"}}), "RE2 cannot compile the pattern"),
    (dict(OBJ, properties={"a": {"type": "array", "items": {"type": "array"}}}), "an array of array items cannot be shown"),
    (dict(OBJ, **{"$schema": "http://json-schema.org/draft-03/schema#"}, properties={"a": {}}), "unknown JSON Schema draft"),
    (dict(OBJ, properties={"a": {"type": "strng"}}), "not a valid JSON Schema (Draft202012)"),
    (dict(OBJ, properties={"a": {"type": "string", "required": True}}), "list required properties by name"),
    ({"type": "array", "items": {"type": "string"}}, "the root of a form schema must be 'type: object'"),
])
def test_refused_with_one_positioned_line(schema, fragment):
    found = problems(schema)
    assert len(found) == 1, found
    assert fragment in found[0]
    assert found[0].startswith("t.yaml:") and found[0].split(":")[1].isdigit() and found[0].split(":")[2].isdigit()


def test_annotations_and_unknown_formats_are_kept():
    schema = {"properties": {"a": {"type": "string", "format": "mobile", "x-component": "Input", "ui:widget": "x",
                                   "enumNames": ["甲"], "example": "1", "id": "legacy", "options": {}, "layout": "row"},
                             "b": {"type": "string", "pattern": "^([a-z]+)*$"}}}     # no type at the root: an object
    sdef = validate_text(definition(schema))
    assert json.loads(sdef.form.schema) == schema
    assert [f.name for f in sdef.form.fields] == ["a", "b"]


def test_flask_defs_validate_prints_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(definition(dict(OBJ, properties={"a": {"type": "string", "not": {"const": "x"}}})), "utf-8")
    run = subprocess.run([sys.executable, "-m", "flask", "defs", "validate", str(path)],
                         capture_output=True, text=True, env={"FLASK_APP": "wsgi", "PATH": "/usr/bin:/bin"},
                         cwd=__file__.rsplit("/tests/", 1)[0])
    assert run.returncode == 1
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:") and "'not' cannot be shown" in lines[0]


def test_flask_defs_new_wraps_and_export_gives_the_schema_back(tmp_path, app):
    from click.testing import CliRunner

    from app.cli.defs import defs_cli
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "Contact", "type": "object",
              "required": ["firstName"], "properties": {"firstName": {"type": "string"}, "联系人": {"type": "string"}}}
    source = tmp_path / "contact.json"
    source.write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    ui = tmp_path / "ui.json"
    ui.write_text(json.dumps({"firstName": {"ui:autofocus": True}}), "utf-8")
    out = tmp_path / "contact.yaml"
    runner = CliRunner()
    result = runner.invoke(defs_cli, ["new", "--from-schema", str(source), "--name", "联系表", "--department", "宣传部",
                                      "--ui-schema", str(ui), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sdef = validate_text(out.read_text("utf-8"))
    assert [s.by for s in sdef.steps] == ["applicant", {"role": "dept_leader", "of": "applicant"}]
    with app.app_context():
        assert runner.invoke(defs_cli, ["import", str(out)]).exit_code == 0
        exported = runner.invoke(defs_cli, ["export", "contact", "--schema"])
        assert json.loads(exported.output) == schema
        assert list(json.loads(exported.output)) == list(schema)          # key order kept too
        ui_out = runner.invoke(defs_cli, ["export", "contact", "--ui-schema"])
        assert json.loads(ui_out.output) == {"firstName": {"ui:autofocus": True}}
        yaml_out = runner.invoke(defs_cli, ["export", "contact"]).output
        assert "fields:" not in yaml_out and validate_text(yaml_out) == sdef
    bad = tmp_path / "bad.json"
    bad.write_text("{\"type\": ", "utf-8")
    result = runner.invoke(defs_cli, ["new", "--from-schema", str(bad), "--name", "x", "--department", "宣传部"])
    assert result.exit_code == 1 and result.output.startswith(f"{bad}:1:") and "not JSON" in result.output
