"""form_to_schema validates form data strictly; the schema: spelling reads back to fields."""
from pathlib import Path

import dataclasses

import pytest
import yaml

from app.defs import DefinitionError, form_to_schema, form_validator, schema_to_fields, validate_text
from app.defs.model import Field, Form

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"

FORM = Form("测试表", tuple(Field.from_dict(d) for d in [
    {"name": "unit", "type": "text", "label": "单位", "required": True, "max_length": 10},
    {"name": "phone", "type": "text", "pattern": r"^1\d{10}$"},
    {"name": "amount", "type": "money", "unit": "万元", "minimum": 0, "required": True},
    {"name": "days", "type": "number", "maximum": 30},
    {"name": "kind", "type": "select", "options": ["a", "b"]},
    {"name": "nature", "type": "radio", "options": ["x", "y"], "required": True},
    {"name": "tags", "type": "checkboxes", "options": ["p", "q"]},
    {"name": "start", "type": "date"},
    {"name": "at", "type": "datetime"},
    {"name": "agree", "type": "agree", "required": True},
    {"name": "files", "type": "file", "max_files": 2, "required": True, "accept": [".pdf"]},
    {"name": "boss", "type": "user"},
    {"name": "intro", "type": "section", "label": "说明", "text": "请如实填写"},
    {"name": "other", "type": "textarea", "required": True, "visible_when": "form.kind == 'b'"},
    {"name": "rows", "type": "rows", "min_rows": 1, "max_rows": 2, "columns": [
        {"name": "what", "type": "text", "required": True}, {"name": "cost", "type": "money"}]},
]))
GOOD = {"unit": "CS", "phone": "13800000000", "amount": 12.07, "days": 3, "kind": "a",
        "nature": "x", "tags": ["p"], "start": "2019-12-03", "at": "2019-12-03T10:00",
        "agree": True, "files": ["tok1"], "boss": "alice", "rows": [{"what": "x", "cost": 0.07}]}


def errors(data):
    return sorted(".".join(map(str, e.absolute_path)) or e.validator for e in form_validator(FORM).iter_errors(data))


def test_valid_data_passes():
    assert errors(GOOD) == []


def test_optional_fields_may_be_empty_or_absent():
    required = {k: GOOD[k] for k in ("unit", "amount", "nature", "agree", "files")}
    assert errors(required) == []
    empties = dict(required, phone="", days=None, kind="", tags=None, start="", at=None, boss="", other="")
    assert errors(empties) == []


@pytest.mark.parametrize("change, where", [
    ({"unit": ""}, "unit"), ({"unit": "x" * 11}, "unit"), ({"phone": "123"}, "phone"),
    ({"amount": -1}, "amount"), ({"amount": 1.234}, "amount"), ({"amount": "12"}, "amount"),
    ({"days": 31}, "days"), ({"kind": "c"}, "kind"), ({"nature": ""}, "nature"),
    ({"tags": ["p", "p"]}, "tags"), ({"tags": ["z"]}, "tags.0"), ({"start": "2019-13-01"}, "start"),
    ({"agree": False}, "agree"), ({"files": []}, "files"), ({"files": ["a", "b", "c"]}, "files"),
    ({"rows": []}, "rows"), ({"rows": [{"what": "x"}] * 3}, "rows"), ({"rows": [{"cost": 1}]}, "rows.0"),
    ({"rows": [{"what": "x", "evil": 1}]}, "rows.0"), ({"evil": 1}, "additionalProperties"),
])
def test_invalid_data_is_refused_at_the_field(change, where):
    assert where in errors(dict(GOOD, **change))


def test_missing_required_fields():
    assert errors({}) == ["required"] * 5


def test_schema_shape():
    schema = form_to_schema(FORM)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["unit", "amount", "nature", "agree", "files"]
    assert schema["properties"]["other"]["x-required"] is True        # required only when visible
    assert schema["properties"]["amount"]["multipleOf"] == 0.01
    assert schema["properties"]["tags"]["items"]["enum"] == ["p", "q"]
    assert schema["x-sections"] == [{"name": "intro", "x-order": 12, "label": "说明", "text": "请如实填写"}]
    assert "intro" not in schema["properties"]


def test_round_trip_of_the_fields():
    fields = tuple(Field.from_dict(d) for d in schema_to_fields(form_to_schema(FORM)))
    assert Form(FORM.title, fields) == FORM


def test_schema_spelling_compiles_like_the_fields_spelling():
    fields_text = (DEFINITIONS / "tech-contract.yaml").read_text("utf-8")
    original = validate_text(fields_text)
    data = yaml.safe_load(fields_text)
    data["form"] = {"title": original.form.title, "schema": form_to_schema(original.form)}
    compiled = validate_text(yaml.safe_dump(data, allow_unicode=True))
    assert compiled.form.json_schema == data["form"]["schema"]           # kept as written
    assert dataclasses.replace(compiled, form=dataclasses.replace(compiled.form, schema=None)) == original


def test_handwritten_schema_spelling():
    text = """
format: 1
id: s
number: 3
name: 样例
category: c
department: 办公室
form:
  schema:
    title: 样例表
    properties:
      who: {type: string, title: 姓名, x-autofill: user.name, x-order: 0}
      when: {type: string, format: date, title: 日期}
      kind: {type: string, enum: [a, b]}
      ok: {type: boolean, const: true, title: 同意}
      boss: {type: string, x-widget: user}
    required: [who]
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: boss, name: 审批, by: {field: boss}, when: "form.kind == 'a'"}
"""
    d = validate_text(text)
    assert d.form.title == "样例表"
    assert [(f.name, f.type, f.required) for f in d.form.fields] == [
        ("who", "string", True), ("when", "date", False), ("kind", "choice", False),
        ("ok", "agree", False), ("boss", "user", False)]
    assert d.form.field("who").autofill == "user.name"


def test_schema_spelling_checks_cross_references():
    text = """
format: 1
id: s
number: 3
name: 样例
category: c
department: 办公室
form:
  title: T
  schema:
    properties:
      a: {type: string, pattern: "(a+)+$"}
      b: {type: string, x-autofill: user.salary}
steps:
  - {id: fill, name: 填写, by: applicant, edit: [c]}
"""
    with pytest.raises(DefinitionError) as caught:
        validate_text(text)
    messages = " | ".join(f"{p.line}:{p.message}" for p in caught.value.problems)
    assert "pattern" not in messages          # patterns run under RE2: none is refused for backtracking
    assert "13:form.schema.properties.b.x-autofill: unknown autofill source" in messages
    assert "edit names unknown field 'c'" in messages
