"""Fuzzing the condition language: it stays closed, and it never raises at run time."""
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.defs import DefinitionError, ExprError, validate_text
from app.defs.expr import APPLICANT_ATTRS, MAX_LENGTH, parse
from tests.depth import examples
from tests.fuzzfloor import Floor

FIELDS = ("amount", "kind", "days", "note")
FAST = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- allowed expressions

names = st.one_of(st.sampled_from([f"form.{f}" for f in FIELDS]),
                  st.sampled_from([f"applicant.{a}" for a in APPLICANT_ATTRS]))
literals = st.one_of(st.integers(-10 ** 6, 10 ** 6).map(str),
                     st.floats(-1e6, 1e6, allow_nan=False).map(repr),
                     st.text(max_size=8).map(json.dumps),
                     st.sampled_from(["True", "False", "None"]))
lists = st.lists(literals, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")


def _extend(inner):
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "==", "!=", "<", "<=", ">",
                                              ">=", "and", "or"]), inner)
    return st.one_of(binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
                     inner.map(lambda e: f"(not {e})"), inner.map(lambda e: f"(-{e})"),
                     st.tuples(inner, st.sampled_from(["in", "not in"]), lists)
                     .map(lambda t: f"({t[0]} {t[1]} {t[2]})"))


allowed = st.recursive(st.one_of(names, literals), _extend, max_leaves=12)

values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
contexts = st.fixed_dictionaries({
    "form": st.dictionaries(st.sampled_from(FIELDS), values),
    "applicant": st.dictionaries(st.sampled_from(APPLICANT_ATTRS), values)})


EVALUATED = Floor(0.6, "evaluated")             # the rest were refused (too long / too deep), checked


@EVALUATED
@FAST
@given(allowed, contexts)
def test_allowed_expressions_parse_and_never_raise(text, ctx):
    expr = None
    if len(text) > MAX_LENGTH:
        with pytest.raises(ExprError, match="too long"):
            parse(text)
    else:
        try:
            expr = parse(text)
        except ExprError as e:                     # only nesting depth may refuse a valid shape
            assert "nested too deeply" in e.message or "cannot be parsed" in e.message
    if EVALUATED.seen(expr is not None, "refused: too long or too deep"):
        expr.evaluate(ctx)
        assert isinstance(expr.test(ctx), bool)


# ---------------------------------------------------------------- forbidden constructs

FORBIDDEN = {
    "call": ("{e}.count(1)", "len({e})", "form.amount()"),
    "attribute": ("form.amount.real", "applicant.name.upper", "{e}.__class__", "(1).real",
                  "applicant.password_hash", "applicant.id_card", "request.args", "config.SECRET"),
    "import": ("__import__('os')", "import os", "from os import path"),
    "dunder": ("form.__dict__", "__builtins__", "form.__class__.__mro__", "applicant._sa"),
    "other": ("[x for x in form.amount]", "lambda: 1", "form.amount[0]", "{e} if 1 else 2",
              "(y := 1)", "f'{{form.kind}}'", "{{1: 2}}", "{e} ** 2", "~{e}", "{e} is None",
              "form", "applicant", "open", "eval", "globals()"),
}


@FAST
@given(st.sampled_from([t for group in FORBIDDEN.values() for t in group]), allowed)
def test_forbidden_constructs_are_refused_with_a_message(template, inner):
    text = template.format(e=inner)
    with pytest.raises(ExprError) as e:
        parse(text)
    assert e.value.message and "Traceback" not in e.value.message


@FAST
@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        parse(text)
    except ExprError as e:
        assert e.message


@FAST
@given(st.text(alphabet="form.amount+-*/()<>=! andornotin[]'\"0123456789_", max_size=60))
def test_near_miss_syntax_parses_or_is_refused_cleanly(text):
    try:
        parse(text).evaluate({"form": {"amount": 3}, "applicant": {}})
    except ExprError as e:
        assert e.message


def test_oversized_expression_is_refused():
    text = " or ".join(["form.amount > 1"] * 60)
    with pytest.raises(ExprError, match="too long"):
        parse(text)
    assert parse("(" * 200 + "1" + ")" * 200).evaluate({}) == 1      # brackets add no depth
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("not " * 120 + "1")


DEFINITION = """
format: 1
id: fuzz
number: 9300
name: 条件
category: 测试
department: 办公室
form:
  title: 条件
  fields:
    - {{name: amount, label: 金额, type: number}}
    - {{name: note, label: 备注, type: text, visible_when: {cond}}}
steps:
  - {{id: fill, name: 填写, by: applicant}}
  - {{id: ok, name: 审核, by: {{user: t3001}}, when: {cond}}}
"""


@pytest.mark.parametrize("cond,reason", [
    ("form.amount.__class__", "only form.<field> and applicant.<attribute>"),
    ("form.__class__ == 1", "name '__class__' is not allowed"),
    ("len(form.note) > 3", "function calls are not allowed"),
    ("__import__('os')", "function calls are not allowed"),
    ("applicant.password_hash == 1", "unknown applicant attribute"),
    ("form.amount.real > 1", "only form.<field> and applicant.<attribute>"),
    ("form.amount > 1 or " * 40 + "True", "too long"),
])
def test_definition_validation_reports_the_reason(cond, reason):
    with pytest.raises(DefinitionError) as e:
        validate_text(DEFINITION.format(cond=json.dumps(cond)), "fuzz.yaml")
    messages = [p.message for p in e.value.problems]
    assert any(reason in m for m in messages), messages
    assert {p.path for p in e.value.problems} == {"fuzz.yaml"}


VALIDATED = Floor(0.6, "validated in a definition")


@VALIDATED
@FAST
@given(allowed.filter(lambda t: len(t) <= MAX_LENGTH))
def test_allowed_conditions_validate_in_a_definition(cond):
    cond = cond.replace("form.kind", "form.amount").replace("form.days", "form.note")
    try:
        parse(cond)
        parsed = True
    except ExprError:
        parsed = False
    assume(VALIDATED.seen(parsed, "refused by the parser (too deep)"))
    validate_text(DEFINITION.format(cond=json.dumps(cond)), "fuzz.yaml")
