"""libyaml parses definitions when it can answer as the pure-Python parser would; the Python
parser reads everything else. Whatever the text, the answer (data and positions, or the
problem with its line, column, code and message) must be the Python parser's own."""
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.defs import DefinitionError
from app.defs import loader
from tests.depth import examples
from tests.fuzzfloor import Floor

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"
FILES = sorted([*ROOT.glob("definitions/*.yaml"), *ROOT.glob("definitions/templates/*.yaml"),
                *ROOT.glob("definitions/templates/tests/*.yaml"), DATA / "sample.yaml",
                *(DATA / "bad").glob("*.yaml")])
SAMPLE_TEXT = (DATA / "sample.yaml").read_text("utf-8")


def test_this_pyyaml_has_libyaml():
    """requirements.txt's PyYAML wheel carries libyaml; without it every text takes the slow path."""
    assert loader.FAST_PARSER is yaml.CSafeLoader


def outcome(text, parser):
    """("read", data, values' positions, keys' positions) or ("refused", problems)."""
    try:
        data, positions = loader.load(text, "x.yaml", parser)
    except DefinitionError as exc:
        return ("refused", [(p.line, p.col, p.code, p.message) for p in exc.problems])
    return ("read", data, positions.values, positions.keys)


def fast_read(text) -> bool:
    """Assert the default path answers as the Python parser does; True if libyaml's answer was used."""
    assert outcome(text, None) == outcome(text, yaml.SafeLoader)
    if loader._READ_BY_PYTHON.search(text):
        return False
    try:
        loader.load(text, "x.yaml", loader.FAST_PARSER)
    except Exception:       # noqa: BLE001  refused, or read again by the Python parser
        return False
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shipped_and_sample_files_get_the_python_parsers_answer(path):
    text = path.read_text("utf-8")
    used = fast_read(text)
    if path.parent.name != "bad":
        assert used, "a shipped definition took the slow path"


@pytest.mark.parametrize("text, where", [
    ("name: x\nsteps:\n  - by: applicant\n   of: 1\n", (4, 4, "yaml.indentation")),   # refused by both
    ("name: x\ntitle:\nnumber: 1\n", None),            # an empty value: Python places it after the ':'
    ("name: |#\n  x\n", (1, 8, "yaml.syntax")),        # libyaml accepts this header, Python does not
    ("name: x\t\n", (1, 8, "yaml.syntax")),            # libyaml accepts this tab, Python does not
    ("a: '\ud800'\n", (1, 5, "yaml.bad_character")),   # libyaml cannot even encode it
    ("a: !foo:bar 1\n", None),                         # tags spelled differently by the two
    ("a: {b: c?d}\n", (1, 9, "yaml.syntax")),         # libyaml reads c?d as a value, Python refuses
    ("a: \ufeffb\n", None),                            # libyaml drops the BOM, Python keeps it
])
def test_where_the_parsers_differ_the_python_answer_is_given(text, where):
    answer = outcome(text, None)
    assert answer == outcome(text, yaml.SafeLoader)
    if where:
        assert answer[0] == "refused" and answer[1][0][:3] == where
    assert not fast_read(text)


def test_an_empty_value_is_placed_where_the_user_left_it():
    kind, data, values, _keys = outcome("name: x\ntitle:\nnumber: 1\n", None)
    assert data["title"] is None and values[("title",)] == (2, 7)


FUZZ = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
EDITED = Floor(0.15, "read by libyaml")


@EDITED
@FUZZ
@given(st.integers(0, len(SAMPLE_TEXT)), st.integers(0, 20), st.text(max_size=10))
def test_edited_files_get_the_python_parsers_answer(at, cut, insert):
    EDITED.seen(fast_read(SAMPLE_TEXT[:at] + insert + SAMPLE_TEXT[at + cut:]), "read by Python")


SOUP = Floor(0.05, "read by libyaml")


@SOUP
@FUZZ
@given(st.text(alphabet=st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \n\r\\ab1中\x85\u2028.+0")), max_size=60))
def test_yaml_punctuation_soup_gets_the_python_parsers_answer(text):
    SOUP.seen(fast_read(text), "read by Python")
