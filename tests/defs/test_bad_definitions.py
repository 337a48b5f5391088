"""Data-driven: every file in data/bad/ is refused with exactly the problems its trailing
``# expect: LINE:COL: fragment`` comments name (like the JSON-Schema test suite)."""
import re
from pathlib import Path

import pytest

from app.defs import DefinitionError, validate_file, validate_text

BAD = Path(__file__).parent / "data" / "bad"
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*)$", re.M)


def expectations(path):
    return [(int(line), int(col), fragment) for line, col, fragment in EXPECT.findall(path.read_text("utf-8"))]


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_bad_definition_is_refused_at_the_right_place(path):
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    with pytest.raises(DefinitionError) as caught:
        validate_file(path)
    problems = caught.value.problems
    assert len(problems) == len(expected), "\n".join(map(str, problems))
    for line, col, fragment in expected:
        assert any(p.line == line and p.col == col and fragment in p.message for p in problems), (
            f"expected {line}:{col}: {fragment}\ngot:\n" + "\n".join(map(str, problems)))


def test_problems_read_as_path_line_col_message():
    with pytest.raises(DefinitionError) as caught:
        validate_file(BAD / "unknown-field-type.yaml")
    text = str(caught.value.problems[0])
    assert text.startswith(str(BAD / "unknown-field-type.yaml") + ":13:42: ")
    assert "'person' is not a field type" in text


def test_all_cross_reference_problems_are_reported_together():
    text = (Path(__file__).parent / "data" / "sample.yaml").read_text("utf-8")
    text = text.replace("when: form.amount > 10", "when: form.nope > 1\n    edit: [ghost]\n    return_to: [leader]")
    text = text.replace("{form.unit}", "{form.missing}")
    with pytest.raises(DefinitionError) as caught:
        validate_text(text, "x.yaml")
    messages = " | ".join(p.message for p in caught.value.problems)
    assert len(caught.value.problems) == 4, messages
    for fragment in ("form.nope", "ghost", "earlier step", "{form.missing}"):
        assert fragment in messages


@pytest.mark.parametrize("garbage", [
    "", " ", "null", "42", "[]", "{}", "- - -", "a: [", "\x00", "format: 1\nid: [x]\n", "{a: {b: {c: ]}}}",
    "format: 1\nsteps: 5\nform: []\n", "id: 9999999999999999999999999999999999999999999", "%YAML 1.1\n---\na: 1",
    "? [a, b]\n: c\n", "a: 0x_", "number: 1e999", "a: !!int x",
])
def test_garbage_only_ever_raises_definition_error(garbage):
    with pytest.raises(DefinitionError):
        validate_text(garbage)
