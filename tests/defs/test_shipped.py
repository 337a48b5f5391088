"""Every shipped definition validates and survives each round trip unchanged."""
import json
from pathlib import Path

import jsonschema
import pytest

from app.defs import (ServiceDef, digest, form_to_schema, schema_to_fields, to_yaml,
                      validate_file, validate_text)
from app.defs.metaschema import META_SCHEMA_PATH
from app.defs.model import Field, Form

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SHIPPED = sorted(DEFINITIONS.glob("*.yaml"))
DEPARTMENTS = {"宣传部", "办公室", "网络信息中心", "组织部", "学生工作部", "后勤管理处", "科研处", "人事处",
               "财务处", "计算机科学与技术学院"}
ROLES = {"admin", "dept_admin", "dept_leader", "office_director", "seal_keeper", "org_officer",
         "contract_admin", "dorm_manager", "network_engineer", "hall_operator", "school_leader", "counselor"}


def test_meta_schema_is_a_valid_draft_2020_12_schema():
    schema = json.loads(META_SCHEMA_PATH.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_expected_services_are_shipped():
    assert {p.stem for p in SHIPPED} >= {
        "weekly-report", "tech-contract", "party-certificate", "dorm-repair", "network-repair",
        "seal-request", "cadre-leave", "feedback"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_definition_round_trips(path):
    service_def = validate_file(path)
    assert service_def.id == path.stem
    assert validate_text(to_yaml(service_def)) == service_def
    stored = json.loads(json.dumps(service_def.to_dict(), ensure_ascii=False))
    assert ServiceDef.from_dict(stored) == service_def
    fields = tuple(Field.from_dict(f) for f in schema_to_fields(form_to_schema(service_def.form)))
    assert Form(service_def.form.title, fields) == service_def.form
    assert digest(validate_text(to_yaml(service_def))) == digest(service_def)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_definition_uses_known_departments_and_roles(path):
    service_def = validate_file(path)
    assert service_def.department in DEPARTMENTS
    assert set(service_def.co_departments) <= DEPARTMENTS
    for step in service_def.steps:
        for assignee in (step.by,) + step.cc:
            if isinstance(assignee, dict):
                assert assignee.get("role", "admin") in ROLES
                assert assignee.get("department", "办公室") in DEPARTMENTS


def test_numbers_are_unique():
    numbers = [validate_file(p).number for p in SHIPPED]
    assert len(numbers) == len(set(numbers))


def test_weekly_report_matches_the_guide():
    d = validate_file(DEFINITIONS / "weekly-report.yaml")
    assert (d.number, d.name, d.category, d.department) == (59, "工作周报", "综合服务", "宣传部")
    assert d.co_departments == ("办公室", "网络信息中心") and d.audience == ("staff",)
    assert d.recommended and d.form.title == "齐鲁工业大学工作周报"
    assert [s.name for s in d.steps] == ["填写周报", "所在单位领导审批"]
    items = d.form.field("items")
    assert items.type == "rows" and items.columns[0].max_length == 100


def test_tech_contract_has_the_statement_and_agreement():
    d = validate_file(DEFINITIONS / "tech-contract.yaml")
    assert d.form.title == "齐鲁工业大学技术合同审批表"
    assert d.form.field("nature").options == ("技术开发", "技术服务")
    assert d.form.field("amount").unit == "万元" and d.form.field("attachments").required
    statement = d.form.field("statement")
    assert statement.type == "section" and statement.text.count("\n") == 5
    assert "保护学校的知识产权" in statement.text
    assert d.form.field("agree").label == "本人已认真阅读，并同意以上全部内容。"
    assert [s.by for s in d.steps][1:] == [{"role": "dept_leader", "of": "applicant"},
                                          {"role": "contract_admin", "department": "科研处"}]


def test_conditional_steps():
    seal = validate_file(DEFINITIONS / "seal-request.yaml")
    assert seal.step("director").when == "form.contract_amount > 50"
    leave = validate_file(DEFINITIONS / "cadre-leave.yaml")
    assert leave.step("school").when == "form.days > 3"
    assert leave.steps[-1].by == {"role": "school_leader"}


def test_dorm_repair_title_template_gives_the_guide_title():
    d = validate_file(DEFINITIONS / "dorm-repair.yaml")
    values = {"service": d.name, "applicant.name": "梁震鲁", "form.building": "5号楼", "form.room": "301"}
    title = d.title
    for key, value in values.items():
        title = title.replace("{" + key + "}", value)
    assert title == "宿舍设施故障报修_梁震鲁_5号楼301"
    assert d.audience == ("student",)
