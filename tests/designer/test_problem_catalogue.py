"""Every problem ``app.defs`` can report carries a code, and the designer's catalogue says
each code in Chinese — no English left for a department admin, no translation by pattern."""
import ast
import json
import re
import string
from pathlib import Path

import pytest

from app.defs import DefinitionError, validate_file
from designer.catalogue import AT_PATH, CATALOGUE
from designer.problems import explain

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "defs" / "data" / "bad"
CODE = re.compile(r"^[a-z]+\.[a-z0-9_]+$")
# the calls that report a problem, and where their code is
_REPORTERS = {"Finding", "Problem", "ExprError", "fail", "error", "add"}
# names of standards, said as they are; anything else Latin must sit in a param or in “…”
_PROPER = {"JSON", "Schema", "UTF", "KB"}


def _strings(node):
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and CODE.match(n.value)}


def emitted_codes() -> set[str]:
    """Every code in the defs package's source (the arguments of the calls that report a
    problem, ``code = …`` assignments, ``x-code`` keys) and in the shipped meta-schema."""
    codes = set()
    sources = sorted((ROOT / "app" / "defs").glob("*.py")) + [ROOT / "plugins" / "fields.py"]
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in _REPORTERS:
                    for arg in node.args[1:] + [k.value for k in node.keywords]:
                        codes |= _strings(arg)
                codes |= {c for k in node.keywords if k.arg == "code" for c in _strings(k.value)}
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "code" for t in node.targets):
                codes |= _strings(node.value)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "x-code":
                        codes |= _strings(value)
    text = (ROOT / "definitions" / "meta-schema.json").read_text("utf-8")
    codes |= set(re.findall(r'"x-code": "([^"]+)"', text))
    return codes


def test_the_walk_finds_the_codes_of_every_family():
    codes = emitted_codes()
    families = {c.split(".")[0] for c in codes}
    assert families >= {"yaml", "file", "key", "value", "form", "field", "column", "step", "assignee",
                        "schema", "regex", "condition", "title", "retention", "number"}, families
    assert {"value.time_limit", "key.misspelt", "key.missing_for_type", "regex.invalid",
            "yaml.duplicate_key", "condition.function_call"} <= codes


def test_every_code_the_defs_package_can_report_is_in_the_catalogue_and_none_is_dead():
    codes = emitted_codes()
    assert codes - set(CATALOGUE) == set(), "codes without Chinese"
    assert set(CATALOGUE) - codes == set(), "catalogue entries no problem reports"
    assert {code for code, _ in AT_PATH} <= set(CATALOGUE)


class _Anything(dict):
    def __missing__(self, name):
        return "甲"


def _latin_words(text: str) -> set[str]:
    text = re.sub(r"“[^”]*”", "", text)            # words of the definition language, quoted
    return set(re.findall(r"[A-Za-z]+", text)) - _PROPER


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_the_catalogue_says_each_code_in_chinese(code):
    said = string.Formatter().vformat(CATALOGUE[code], (), _Anything())
    assert re.search(r"[\u4e00-\u9fff]", said), said
    assert _latin_words(said) == set(), said


@pytest.mark.parametrize("path", sorted(BAD.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_refused_definition_of_the_corpus_is_said_in_chinese(path):
    with pytest.raises(DefinitionError) as caught:
        validate_file(path)
    for problem in caught.value.problems:
        assert problem.code in CATALOGUE, str(problem)
        said = explain(problem, None)
        message = said.message
        for value in (problem.params or {}).values():      # ids and values as written stay
            for part in (value if isinstance(value, list) else [value]):
                message = message.replace(str(part), "")
        assert _latin_words(message) == set(), (str(problem), said.message)
        assert said.detail == problem.message                # the English stays, for IT


def test_no_english_is_translated_by_pattern_any_more():
    source = (ROOT / "designer" / "problems.py").read_text("utf-8")
    assert "_MESSAGES" not in source and "re.compile(p" not in source
    assert json.loads((ROOT / "definitions" / "meta-schema.json").read_text("utf-8"))["properties"][
        "time_limit"]["x-code"] == "value.time_limit"
