"""The safe YAML loader: positions, and hostile input refused fast."""
import json
from pathlib import Path

import pytest

from app.defs import DefinitionError, validate_file, validate_text
from app.defs.loader import MAX_BYTES, load

SAMPLE = Path(__file__).parent / "data" / "sample.yaml"


def test_positions_of_values_and_keys():
    data, positions = load("a: 1\nb:\n  - x\n  - {c: 2019-12-03}\n")
    assert data == {"a": 1, "b": ["x", {"c": "2019-12-03"}]}      # dates stay strings
    assert positions.value(("a",)) == (1, 4)
    assert positions.key(("a",)) == (1, 1)
    assert positions.value(("b", 1, "c")) == (4, 9)
    assert positions.key(("b", 1, "c")) == (4, 6)
    assert positions.value(("b", 1, "c", "missing")) == (4, 9)     # nearest ancestor


def test_json_text_is_accepted():
    service_def = validate_text(SAMPLE.read_text("utf-8"))
    from app.defs.compile import export_dict
    as_json = json.dumps(export_dict(service_def), ensure_ascii=False, indent=2)
    assert validate_text(as_json) == service_def


# How fast each guard refuses is measured by `python -m bench guards`, not asserted here (a busy
# machine made a wall-clock limit fail for nothing); HANG only fails a guard that stops working
# and lets the parser run away.
HANG = pytest.mark.timeout(60)


def _refused(text, fragment):
    with pytest.raises(DefinitionError) as caught:
        validate_text(text)
    assert fragment in str(caught.value)
    return caught.value


@HANG
def test_billion_laughs_is_refused():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    _refused("\n".join(lines), "YAML aliases (&/*) are not allowed")


def test_a_lone_anchor_is_refused_too():
    _refused("a: &x 1\n", "YAML aliases (&/*) are not allowed")


@HANG
def test_oversized_text_and_file_are_refused(tmp_path):
    big = "a: '" + "x" * MAX_BYTES + "'\n"
    _refused(big, "file is too large")
    path = tmp_path / "big.yaml"
    path.write_text(big)
    with pytest.raises(DefinitionError, match="file is too large"):
        validate_file(path)


@HANG
def test_deep_nesting_is_refused_without_recursion():
    _refused("a: " + "[" * 5000 + "]" * 5000, "nesting is too deep")
    _refused("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)), "nesting is too deep")


@HANG
def test_node_floods_are_refused():
    _refused("a: [" + ",".join(["1"] * 25_000) + "]", "too many values")


@pytest.mark.parametrize("text, tag", [
    ("a: !!python/object/apply:os.system ['echo pwned']", "!!python/object/apply:os.system"),
    ("a: !!python/name:os.system ''", "!!python/name:os.system"),
    ("a: !include other.yaml", "!include"),
    ("a: !!set {x: null}", "!!set"),
    ("a: !!timestamp 2019-01-01", "!!timestamp"),
])
def test_tags_other_than_plain_yaml_are_refused(text, tag):
    error = _refused(text, "is not allowed")
    assert tag in str(error)


def test_syntax_errors_point_at_the_line():
    error = _refused("a: 1\nb: [1, 2\nc: 3\n", "YAML syntax error")
    assert error.problems[0].line == 3


def test_unreadable_and_missing_files(tmp_path):
    with pytest.raises(DefinitionError, match="cannot read"):
        validate_file(tmp_path / "nope.yaml")
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(DefinitionError, match="not UTF-8"):
        validate_file(path)


def test_non_finite_and_huge_numbers():
    _refused("a: .nan", "infinite or NaN")
    _refused("a: " + "9" * 5000, "invalid value")
