"""The safe condition evaluator: semantics, refusals, and fuzzing."""
import ast

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.defs.exceptions import ExprError
from app.defs.expr import parse
from tests.depth import examples
from tests.fuzzfloor import Floor

CTX = {"form": {"amount": 60, "days": "4", "kind": "事假", "tags": ["a", "b"], "zero": 0},
       "applicant": {"type": "staff", "department": "宣传部", "name": "梁震鲁"}}


@pytest.mark.parametrize("text, expected", [
    ("form.amount > 50", True),
    ("form.amount > 50 and applicant.type == 'staff'", True),
    ("form.amount > 50 and applicant.type == 'student'", False),
    ("form.amount < 10 or not form.missing", True),
    ("form.days > 3", True),                     # numeric strings compare as numbers
    ("form.days == 4", True),
    ("1 < form.days < 5", True),
    ("1 < form.days < 3", False),
    ("form.kind in ['事假', '病假']", True),
    ("form.kind not in ('事假',)", False),
    ("'a' in form.tags", True),
    ("applicant.department in '宣传部办公室'", True),
    ("form.missing > 5", False),                 # None never compares
    ("form.missing < 5", False),
    ("form.missing == None", True),
    ("form.missing == null", True),
    ("form.kind > 5", False),                    # text vs number: False, no exception
    ("form.amount + 10 == 70", True),
    ("form.amount * 2 - 20 == 100", True),
    ("form.amount / 4 == 15", True),
    ("form.amount / form.zero > 1", False),      # division by zero: None
    ("-form.amount < 0", True),
    ("true and True and not false", True),
    ("[1, 2] == [1, 2]", True),
    ("'ab' + 'c' == 'abc'", True),
    ("form.tags > 1", False),
])
def test_semantics(text, expected):
    assert parse(text).evaluate(CTX) is expected


def test_missing_context_and_values():
    assert parse("form.amount > 5").evaluate({}) is False
    assert parse("form.amount > 5").evaluate(None) is False
    assert parse("form.amount / 0").evaluate(CTX) is None
    assert parse("'x' * 100000000").evaluate(CTX) is None      # no string repetition


def test_names():
    expr = parse("form.amount > 5 and applicant.type == 'staff' or form.days in [1, 2]")
    assert expr.names == {("form", "amount"), ("applicant", "type"), ("form", "days")}


def test_parse_is_cached():
    assert parse("form.amount > 1") is parse("form.amount > 1")


@pytest.mark.parametrize("text, fragment", [
    ("len(form.kind) > 1", "function calls"),
    ("__import__('os').system('id')", "function calls"),
    ("form.__class__", "not allowed"),
    ("form.kind.__class__.__mro__", "only form.<field>"),
    ("applicant.password == 'x'", "unknown applicant attribute"),
    ("user.name == 'x'", "only form.<field>"),
    ("x == 1", "unknown name"),
    ("__builtins__", "not allowed"),
    ("lambda: 1", "lambda"),
    ("[x for x in form.tags]", "comprehensions"),
    ("form.tags[0]", "indexing"),
    ("(y := 1)", ":="),
    ("f'{form.kind}'", "f-strings"),
    ("2 ** 1000000", "+ - * /"),
    ("form.a if form.b else form.c", "not allowed"),
    ("form.a is None", "'is' is not allowed"),
    ("import os", "syntax error"),
    ("{1: 2}", "not allowed"),
    ("[form.amount]", "only hold literals"),
    ("b'x' == 1", "not allowed"),
    ("1j == 1", "not allowed"),
    ("form.amount > 1 " + "and form.amount > 1 " * 40, "too long"),
    ("not " * 60 + "1", "nested too deeply"),
    ("", "empty"),
    ("   ", "empty"),
])
def test_refusals(text, fragment):
    with pytest.raises(ExprError) as caught:
        parse(text)
    assert fragment in caught.value.message
    assert caught.value.col >= 1


def test_columns_point_into_the_text():
    with pytest.raises(ExprError) as caught:
        parse("form.a > 1 and open('x')")
    assert caught.value.col == 16


RANDOM_TEXT_PARSED = Floor(0.005, "parsed and evaluated")  # ~3%: random text is refused (checked too)
NEAR_SYNTAX = st.lists(st.sampled_from(["form.amount", "applicant.type", "1", "2.5", "'a'", "None", "True", "+",
                                        "-", "*", "/", "==", "<", ">=", "and", "or", "not", "in", "(",
                                        ")", "[", "]", ","]), max_size=8).map(" ".join)


@RANDOM_TEXT_PARSED
@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(max_size=120), NEAR_SYNTAX))
def test_fuzz_random_text_only_raises_expr_error(text):
    try:
        expr = parse(text)
    except ExprError as e:
        expr = None
        assert e.message
    if RANDOM_TEXT_PARSED.seen(expr is not None, "refused"):
        expr.evaluate(CTX)


TOKENS = st.sampled_from(["form.amount", "form.kind", "form.tags", "form.none", "applicant.type",
                          "1", "0", "-2.5", "'a'", "''", "None", "True", "[1, 'a']", "(1,)", "'4'"])
OPS = st.sampled_from(["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "in", "not in",
                       "and", "or"])


def _expressions():
    leaf = TOKENS
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(inner, OPS, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"(not {e})"),
        inner.map(lambda e: f"(-{e})"),
    ), max_leaves=12)


VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                   st.text(max_size=20), st.lists(st.integers(), max_size=3),
                   st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


EXPRESSIONS_EVALUATED = Floor(0.8, "evaluated")


@EXPRESSIONS_EVALUATED
@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_expressions(), st.dictionaries(st.sampled_from(["amount", "kind", "tags", "none"]), VALUES),
       st.dictionaries(st.sampled_from(["type", "name"]), VALUES))
def test_fuzz_random_expressions_never_raise_when_evaluated(text, form, applicant):
    try:
        expr = parse(text)
    except ExprError as e:
        expr = None
        assert "too long" in e.message or "nested too deeply" in e.message, e.message
    assume(EXPRESSIONS_EVALUATED.seen(expr is not None, "refused: too long or too deep"))
    expr.evaluate({"form": form, "applicant": applicant})
    assert isinstance(expr.names, frozenset)


ASTS_EVALUATED = Floor(0.1, "parsed and evaluated")


@ASTS_EVALUATED
@settings(max_examples=examples(200), deadline=None)
@given(st.recursive(
    st.builds(ast.Constant, st.one_of(st.integers(), st.text(max_size=5), st.none(), st.booleans())),
    lambda inner: st.one_of(
        st.builds(ast.BinOp, inner, st.sampled_from([ast.Add(), ast.Sub(), ast.Mult(), ast.Div(), ast.Pow(), ast.Mod()]), inner),
        st.builds(lambda l, r: ast.Compare(l, [ast.Lt()], [r]), inner, inner),
        st.builds(lambda f: ast.Call(ast.Name("f", ast.Load()), [f], []), inner),
        st.builds(lambda v: ast.Attribute(v, "x", ast.Load()), inner),
    ), max_leaves=10))
def test_fuzz_random_asts_unparsed(node):
    text = ast.unparse(ast.fix_missing_locations(ast.Expression(node)))
    try:
        expr = parse(text)
    except ExprError as e:
        expr = None                       # calls, attributes, ** and % are refused: that is the point
        assert e.message
    if ASTS_EVALUATED.seen(expr is not None, "refused"):
        expr.evaluate(CTX)
