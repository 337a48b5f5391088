"""if/then/else and dependentSchemas inside a group (a nested object): the fields only a
branch brings are shown while its condition holds — judged on the group's own data — and,
while hidden, neither required nor stored (like the top-level ones)."""
from app.defs import wrap
from app.defs.compile import validate_text
from app.defs.validate import validate_data

SCHEMA = {
    "title": "出差申请", "type": "object", "required": ["trip"],
    "properties": {
        "city": {"type": "string", "title": "出发城市"},
        "trip": {
            "type": "object", "title": "行程",
            "properties": {"abroad": {"type": "boolean", "title": "出境"},
                           "place": {"type": "string", "title": "目的地"}},
            "required": ["place"],
            "if": {"properties": {"abroad": {"const": True}}, "required": ["abroad"]},
            "then": {"properties": {"passportNo": {"type": "string", "title": "护照号", "pattern": "^[A-Z][0-9]{8}$"}},
                     "required": ["passportNo"]},
            "else": {"properties": {"train": {"type": "string", "title": "车次"}}},
            "dependentSchemas": {"place": {"properties": {"hotel": {"type": "string", "title": "住宿"}}}},
        },
    },
}


def form():
    return validate_text(wrap.wrap_text(SCHEMA, name="出差申请", department="宣传部", slug="trip", number=59010)).form


def columns():
    return {c.name: c for c in next(f for f in form().fields if f.name == "trip").columns}


def test_branch_only_fields_of_a_group_carry_their_condition_on_the_groups_data():
    cols = columns()
    assert cols["passportNo"].get("x_shown_when") == "form.abroad == True"
    assert cols["train"].get("x_shown_when") == "not (form.abroad == True)"
    assert cols["hotel"].get("x_shown_when") == "form.place != None"
    assert cols["place"].get("x_shown_when") is None and not cols["passportNo"].visible_when


def test_a_hidden_nested_branch_field_is_neither_required_nor_stored():
    data = {"trip": {"abroad": False, "place": "上海", "passportNo": "bad", "train": "G1"}}
    clean, errors = validate_data(form(), data, applicant={})
    assert errors == {}
    assert clean["trip"] == {"abroad": False, "place": "上海", "train": "G1"}
    assert "passportNo" in data["trip"]                   # the submitted data is not changed in place


def test_a_shown_nested_branch_field_is_required_and_checked():
    clean, errors = validate_data(form(), {"trip": {"abroad": True, "place": "东京"}}, applicant={})
    assert errors == {"trip.passportNo": ["护照号（/trip/passportNo）：此项为必填项"]}
    clean, errors = validate_data(form(), {"trip": {"abroad": True, "place": "东京", "passportNo": "x1",
                                                    "train": "G1"}}, applicant={})
    assert errors == {"trip.passportNo": ["护照号（/trip/passportNo）：格式不正确"]}
    clean, errors = validate_data(form(), {"trip": {"abroad": True, "place": "东京", "passportNo": "E12345678",
                                                    "train": "G1", "hotel": "新宿"}}, applicant={})
    assert errors == {} and clean["trip"] == {"abroad": True, "place": "东京", "passportNo": "E12345678",
                                              "hotel": "新宿"}


def test_a_dependent_schemas_field_of_a_group_is_dropped_without_its_trigger():
    clean, errors = validate_data(form(), {"trip": {"hotel": "x"}}, applicant={})
    assert "hotel" not in clean["trip"] and errors == {"trip.place": ["目的地（/trip/place）：此项为必填项"]}
