"""Nothing written in YAML is lost by the designer: every shipped definition survives the
editors' data round trip and the draft → YAML → draft round trip unchanged."""
import glob
import os

import pytest

from app.defs.compile import digest, export_dict, validate_file, validate_text
from designer import drafts, editors
from tests.conftest import DEFINITIONS

SHIPPED = sorted(glob.glob(os.path.join(DEFINITIONS, "*.yaml")))


@pytest.fixture(params=SHIPPED, ids=os.path.basename)
def shipped(request):
    return export_dict(validate_file(request.param))


def test_draft_to_yaml_and_back_is_equal(shipped):
    text = drafts.dump(shipped)
    again = validate_text(text)
    assert export_dict(again) == shipped
    assert drafts.dump(export_dict(again)) == text
    assert digest(again) == digest(validate_text(drafts.dump(shipped)))


def test_every_field_and_column_survives_the_field_editor(shipped):
    for field in shipped["form"]["fields"]:
        data = editors.field_to_data(field)
        assert editors.data_to_field(data, columns=field.get("columns")) == field
        for column in field.get("columns", []):
            assert editors.data_to_field(editors.field_to_data(column), column=True) == column


def test_every_step_survives_the_step_editor(shipped):
    for step in shipped["steps"]:
        assert editors.data_to_step(editors.step_to_data(step), step) == step


def test_defaults_are_typed_by_field_type():
    assert editors.parse_default("number", "0") == 0
    assert editors.parse_default("money", "1.5") == 1.5
    assert editors.parse_default("checkboxes", "甲\n乙\n") == ["甲", "乙"]
    assert editors.parse_default("agree", "true") is True
    assert editors.parse_default("text", "") is None
    with pytest.raises(ValueError):
        editors.parse_default("number", "十")


def test_only_the_keys_of_the_type_are_kept():
    data = editors.field_to_data({"name": "n", "type": "text", "max_length": 10})
    data.update(type="number", minimum="0", options="甲\n乙")
    assert editors.data_to_field(data) == {"name": "n", "type": "number", "minimum": 0}


def test_assignee_kinds_round_trip():
    for spec in ("applicant", {"user": "t2001"}, {"role": "dept_leader", "of": "applicant"},
                 {"role": "seal_keeper", "department": "办公室"}, {"role": "admin"}, {"field": "approver"}):
        assert editors.data_to_assignee(editors.assignee_to_data(spec)) == spec


def test_metadata_survives_the_metadata_form(shipped):
    again = editors.apply_meta(shipped, editors.meta_to_data(shipped))
    assert export_dict(validate_text(drafts.dump(again))) == shipped


def test_the_step_editor_keeps_self_approval_and_escalate_to():
    step = {"id": "leader", "name": "单位领导审批", "by": {"role": "dept_leader", "of": "applicant"},
            "self_approval": "escalate", "escalate_to": {"user": "t3001"}}
    assert editors.data_to_step(editors.step_to_data(step), step) == step
