"""validate_text raises nothing but DefinitionError, and never an internal error, on any input."""
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.defs import DefinitionError, validate_text
from tests.depth import examples
from tests.fuzzfloor import Floor

SAMPLE_TEXT = (Path(__file__).parent / "data" / "sample.yaml").read_text("utf-8")
SAMPLE = yaml.safe_load(SAMPLE_TEXT)
FUZZ = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=12), st.sampled_from(["applicant", "text", "rows", "user", "form.amount > 1",
                                                          "unit", "fill", "leader", "{form.x}", "(a+)+"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["name", "type", "by", "role", "of", "field", "options", "columns",
                                     "when", "edit", "id", "label", "x"]), inner, max_size=4)), max_leaves=15)


def _check(text):
    try:
        validate_text(text)
    except DefinitionError as exc:
        assert "internal error" not in str(exc), str(exc)


def _set(data, path, value):
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


PATHS = [("name",), ("number",), ("title",), ("audience",), ("form",), ("form", "title"), ("form", "fields"),
         ("form", "fields", 0), ("form", "fields", 0, "type"), ("form", "fields", 3, "columns"),
         ("form", "fields", 3, "columns", 0), ("steps",), ("steps", 1), ("steps", 1, "by"),
         ("steps", 1, "when"), ("steps", 0, "return_to"), ("steps", 1, "cc"), ("form", "schema")]


@FUZZ
@given(st.sampled_from(PATHS), VALUES)
def test_structural_mutations(path, value):
    import copy
    data = copy.deepcopy(SAMPLE)
    _set(data, path, value)
    _check(yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(st.integers(0, len(SAMPLE_TEXT)), st.integers(0, 20), st.text(max_size=10))
def test_text_mutations(at, cut, insert):
    _check(SAMPLE_TEXT[:at] + insert + SAMPLE_TEXT[at + cut:])


@FUZZ
@given(st.text(max_size=200))
def test_random_text(text):
    _check(text)


PROP_KEYS = ["title", "type", "x-widget", "x-order", "x-autofill", "x-visible-when", "x-unit", "enum",
             "items", "minItems", "maxItems", "pattern", "format", "anyOf", "properties", "required",
             "default", "const", "maxLength", "minimum"]
PROPS = st.dictionaries(st.sampled_from(PROP_KEYS), VALUES, max_size=5)


@FUZZ
@given(st.dictionaries(st.sampled_from(["unit", "a", "b", "amount"]), PROPS, min_size=1, max_size=3),
       st.one_of(st.none(), st.lists(st.text(max_size=5), max_size=3)), st.one_of(st.none(), VALUES))
def test_schema_spelling_mutations(properties, required, sections):
    import copy
    data = copy.deepcopy(SAMPLE)
    schema = {"properties": properties}
    if required is not None:
        schema["required"] = required
    if sections is not None:
        schema["x-sections"] = sections
    data["form"] = {"title": "T", "schema": schema}
    _check(yaml.safe_dump(data, allow_unicode=True))


ROUND_TRIPPED = Floor(0.5, "round-tripped")


@ROUND_TRIPPED
@FUZZ
@given(st.text(max_size=40), st.text(max_size=40), st.text(min_size=1, max_size=20))
def test_export_round_trips_any_text(label, text, name):
    import copy

    from app.defs import to_yaml
    data = copy.deepcopy(SAMPLE)
    data["name"] = name
    data["form"]["fields"][0]["label"] = label
    data["form"]["fields"].append({"name": "note", "type": "section", "text": text})
    try:
        service_def = validate_text(yaml.safe_dump(data, allow_unicode=True))
    except DefinitionError:
        service_def = None                  # e.g. a blank name or label: refused, nothing to export
    assume(ROUND_TRIPPED.seen(service_def is not None, "refused before export"))
    assert validate_text(to_yaml(service_def)) == service_def
