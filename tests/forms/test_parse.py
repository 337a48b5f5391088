"""parse_submission turns a form-encoded POST into instance data."""
from werkzeug.datastructures import MultiDict

from renderers.form import editable_names, parse_submission
from tests.forms import sample_form


ALWAYS = {"agree": False, "items": []}   # an unticked box and an empty table are values


def parse(pairs, files=None, editable=None, previous=None, form=None):
    return parse_submission(form or sample_form(), MultiDict(pairs), files or {},
                            editable=editable, previous=previous or {})


def test_scalar_coercion():
    data = parse([("project", "  新项目 "), ("summary", "a\r\nb"), ("count", "3"), ("amount", "12.345"),
                  ("start", "2024-03-05"), ("meet", "2024-03-05T08:30"), ("campus", "长清"),
                  ("nature", "技术服务"), ("agree", "y"), ("leader", " bob "), ("dept", "CS")])
    assert data == {"project": "新项目", "summary": "a\nb", "count": 3, "amount": 12.35,
                    "start": "2024-03-05", "meet": "2024-03-05T08:30", "campus": "长清",
                    "nature": "技术服务", "agree": True, "leader": "bob", "dept": "CS",
                    "items": []}


def test_numbers():
    assert parse([("count", "2.5"), ("amount", "1,000")]) == dict(ALWAYS, count=2.5, amount=1000.0)
    assert parse([("count", "abc"), ("amount", "x1")])["count"] == "abc"
    assert parse([("count", "nan")])["count"] == "nan"
    assert isinstance(parse([("amount", "7")])["amount"], float)


def test_empty_values_are_left_out():
    assert parse([("project", "   "), ("count", ""), ("start", ""), ("tags", "")]) == ALWAYS


def test_invalid_dates_stay_raw_for_the_schema():
    data = parse([("start", "2024-02-30"), ("meet", "2024-03-05T08:30:15")])
    assert data["start"] == "2024-02-30"
    assert data["meet"] == "2024-03-05T08:30"


def test_checkboxes_list_and_agree_bool():
    data = parse([("tags", "横向"), ("tags", "纵向"), ("tags", "横向")])
    assert data["tags"] == ["横向", "纵向"] and data["agree"] is False
    assert parse([("agree", "y")])["agree"] is True


def test_rows_in_index_order():
    data = parse([("items-2-text", "third"), ("items-0-text", "first"), ("items-0-hours", "4"),
                  ("items-1-text", ""), ("items-10-text", "tenth")])
    assert data["items"] == [{"text": "first", "hours": 4}, {}, {"text": "third"}, {"text": "tenth"}]


def test_no_rows_posted_is_an_empty_list():
    assert parse([])["items"] == []


def test_files_kept_only_when_already_stored_plus_new_tokens():
    data = parse([("docs-keep", "old1"), ("docs-keep", "forged")], files={"docs": ["new1"]},
                 previous={"docs": ["old1", "old2"]})
    assert data["docs"] == ["old1", "new1"]


def test_crafted_post_cannot_change_readonly_field():
    data = parse([("unit", "HACKED"), ("project", "p")], previous={"unit": "CS"})
    assert data["unit"] == "CS"


def test_fields_outside_editable_come_from_previous():
    previous = {"project": "old", "count": 2, "items": [{"text": "kept"}]}
    data = parse([("project", "new"), ("count", "9"), ("items-0-text", "changed")],
                 editable={"count"}, previous=previous)
    assert data == {"project": "old", "count": 9, "items": [{"text": "kept"}]}


def test_editable_never_includes_readonly_or_sections():
    names = editable_names(sample_form(), None)
    assert "unit" not in names and "terms" not in names and "project" in names
    assert editable_names(sample_form(), {"unit", "count"}) == {"count"}


def test_readonly_row_column_keeps_previous_cell():
    form = sample_form(fields=[{"name": "items", "type": "rows", "columns": [
        {"name": "text", "type": "text"}, {"name": "score", "type": "number", "readonly": True}]}])
    data = parse([("items-0-text", "a"), ("items-0-score", "100"), ("items-1-text", "b")],
                 form=form, previous={"items": [{"text": "x", "score": 5}]})
    assert data["items"] == [{"text": "a", "score": 5}, {"text": "b"}]
