"""The safe condition language of definitions (``when``, ``visible_when``).

``parse`` reads the text with ``ast.parse(mode="eval")``, accepts only a whitelist of node
types and compiles them into a small tree of operator objects; ``Expr.evaluate`` walks
that tree. Nothing is ever handed to eval/exec, and evaluation never raises: missing
values are None, mismatched comparisons are False, division by zero is None.
"""
from __future__ import annotations

import ast
import functools
import math
import operator
import warnings

from app.defs.exceptions import ExprError

MAX_LENGTH = 500
MAX_DEPTH = 50
MAX_STR = 10_000
APPLICANT_ATTRS = ("name", "username", "type", "department", "phone", "email")
LITERAL_NAMES = {"True": True, "False": False, "None": None, "true": True, "false": False,
                 "null": None}
_ORDER = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}


def _number(value):
    """A real number for value, numeric strings included, else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and len(value) < 100:
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _equal(a, b) -> bool:
    if isinstance(a, (int, float)) != isinstance(b, (int, float)) or isinstance(a, bool) != isinstance(b, bool):
        x, y = _number(a), _number(b)
        if x is not None and y is not None and not isinstance(a, bool) and not isinstance(b, bool):
            return x == y
    try:
        return bool(a == b)
    except Exception:   # exotic values from form data: never raise
        return False


def _order(op, a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        x, y = _number(a), _number(b)
        return op(x, y) if x is not None and y is not None else op(a, b)
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return False
    return op(x, y)


def _contains(item, container) -> bool:
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if isinstance(container, (list, tuple)):
        return any(_equal(item, element) for element in container)
    return False


class Expr:
    """A compiled node; ``names`` holds the ("form", field) / ("applicant", attr) pairs used."""

    names: frozenset = frozenset()
    text: str = ""

    def evaluate(self, ctx):
        try:
            return self._eval(ctx or {})
        except Exception:   # defensive: evaluation must never break a request
            return None

    def test(self, ctx) -> bool:
        return bool(self.evaluate(ctx))

    def _eval(self, ctx):
        raise NotImplementedError


class Const(Expr):
    def __init__(self, value):
        self.value = value

    def _eval(self, ctx):
        return self.value


class Name(Expr):
    def __init__(self, root, attr):
        self.root, self.attr = root, attr
        self.names = frozenset({(root, attr)})

    def _eval(self, ctx):
        scope = ctx.get(self.root)
        return scope.get(self.attr) if isinstance(scope, dict) else None


class Seq(Expr):
    def __init__(self, items):
        self.items = items

    def _eval(self, ctx):
        return [item._eval(ctx) for item in self.items]


class BoolOp(Expr):
    def __init__(self, is_and, operands):
        self.is_and, self.operands = is_and, operands
        self.names = frozenset().union(*(o.names for o in operands))

    def _eval(self, ctx):
        check = all if self.is_and else any
        return check(bool(o._eval(ctx)) for o in self.operands)


class Not(Expr):
    def __init__(self, operand):
        self.operand, self.names = operand, operand.names

    def _eval(self, ctx):
        return not self.operand._eval(ctx)


class Neg(Expr):
    def __init__(self, operand, sign):
        self.operand, self.sign, self.names = operand, sign, operand.names

    def _eval(self, ctx):
        value = _number(self.operand._eval(ctx))
        return None if value is None else self.sign * value


class Arith(Expr):
    def __init__(self, op, left, right):
        self.op, self.left, self.right = op, left, right
        self.names = left.names | right.names

    def _eval(self, ctx):
        a, b = self.left._eval(ctx), self.right._eval(ctx)
        if self.op is ast.Add and isinstance(a, str) and isinstance(b, str) and _number(a) is None:
            return a + b if len(a) + len(b) <= MAX_STR else None
        x, y = _number(a), _number(b)
        if x is None or y is None:
            return None
        if self.op is ast.Div:
            return None if y == 0 else x / y
        result = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}[self.op](x, y)
        return result if not isinstance(result, float) or math.isfinite(result) else None


class Compare(Expr):
    def __init__(self, first, pairs):
        self.first, self.pairs = first, pairs      # pairs: [(op class, Expr)]
        self.names = first.names.union(*(e.names for _, e in pairs))

    def _eval(self, ctx):
        left = self.first._eval(ctx)
        for op, expr in self.pairs:
            right = expr._eval(ctx)
            if not _compare(op, left, right):
                return False
            left = right
        return True


def _compare(op, a, b) -> bool:
    if op is ast.Eq:
        return _equal(a, b)
    if op is ast.NotEq:
        return not _equal(a, b)
    if op is ast.In:
        return _contains(a, b)
    if op is ast.NotIn:
        return not _contains(a, b)
    return _order(_ORDER[op], a, b)


class _Compiler:
    """Turns a whitelisted Python AST into Expr objects; anything else is an ExprError."""

    def __init__(self, text):
        self.text = text

    def error(self, node, message, code="condition.not_allowed", **params):
        raise ExprError(message, getattr(node, "col_offset", 0) + 1, code, params)

    def build(self, node, depth=0):
        if depth > MAX_DEPTH:
            self.error(node, f"the condition is nested too deeply (more than {MAX_DEPTH} levels)", "condition.too_long")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            self.error(node, _refusal(node), "condition.function_call" if isinstance(node, ast.Call)
                       else "condition.not_allowed")
        return method(node, depth + 1)

    def _Constant(self, node, depth):
        value = node.value
        if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
            if isinstance(value, float) and not math.isfinite(value):
                self.error(node, "numbers must be finite", "condition.literal")
            return Const(value)
        self.error(node, f"literal {value!r} is not allowed (numbers, strings, True/False/None)", "condition.literal")

    def _Name(self, node, depth):
        if node.id in LITERAL_NAMES:
            return Const(LITERAL_NAMES[node.id])
        if node.id.startswith("__"):
            self.error(node, f"name {node.id!r} is not allowed", "condition.name_not_allowed", name=node.id)
        self.error(node, f"unknown name {node.id!r} (use form.<field> or applicant.<attribute>)",
                   "condition.unknown_name", name=node.id)

    def _Attribute(self, node, depth):
        base = node.value
        if not isinstance(base, ast.Name) or base.id not in ("form", "applicant"):
            self.error(node, "only form.<field> and applicant.<attribute> may be used", "condition.only_form_applicant")
        if node.attr.startswith("_"):
            self.error(node, f"name {node.attr!r} is not allowed", "condition.name_not_allowed", name=node.attr)
        if base.id == "applicant" and node.attr not in APPLICANT_ATTRS:
            self.error(node, f"unknown applicant attribute {node.attr!r} (one of: {', '.join(APPLICANT_ATTRS)})",
                       "condition.unknown_applicant_attribute", name=node.attr, allowed=", ".join(APPLICANT_ATTRS))
        return Name(base.id, node.attr)

    def _Subscript(self, node, depth):
        """``form["联系人"]``: a field whose name is not an identifier (JSON Schema property names)."""
        base, key = node.value, node.slice
        if not (isinstance(base, ast.Name) and base.id == "form"
                and isinstance(key, ast.Constant) and isinstance(key.value, str)):
            self.error(node, 'indexing is only allowed as form["field name"]', "condition.indexing")
        return Name("form", key.value)

    def _BoolOp(self, node, depth):
        return BoolOp(isinstance(node.op, ast.And), [self.build(v, depth) for v in node.values])

    def _UnaryOp(self, node, depth):
        operand = self.build(node.operand, depth)
        if isinstance(node.op, ast.Not):
            return Not(operand)
        if isinstance(node.op, (ast.USub, ast.UAdd)):
            return Neg(operand, -1 if isinstance(node.op, ast.USub) else 1)
        self.error(node, "operator '~' is not allowed")

    def _BinOp(self, node, depth):
        op = type(node.op)
        if op not in (ast.Add, ast.Sub, ast.Mult, ast.Div):
            self.error(node, "only the arithmetic operators + - * / are allowed", "condition.arithmetic")
        return Arith(op, self.build(node.left, depth), self.build(node.right, depth))

    def _Compare(self, node, depth):
        pairs = []
        for op, right in zip(node.ops, node.comparators):
            if type(op) in (ast.Is, ast.IsNot):
                self.error(node, "'is' is not allowed; use == or !=", "condition.is")
            pairs.append((type(op), self.build(right, depth)))
        return Compare(self.build(node.left, depth), pairs)

    def _List(self, node, depth):
        items = [self.build(e, depth) for e in node.elts]
        if any(not isinstance(i, (Const, Neg)) or i.names for i in items):
            self.error(node, "a list may only hold literals", "condition.literal")
        return Seq(items)

    _Tuple = _List


def _refusal(node) -> str:
    kind = type(node).__name__
    known = {
        "Call": "function calls are not allowed",
        "Lambda": "lambda is not allowed", "NamedExpr": "':=' is not allowed",
        "JoinedStr": "f-strings are not allowed", "IfExp": "'x if c else y' is not allowed",
        "ListComp": "comprehensions are not allowed", "SetComp": "comprehensions are not allowed",
        "DictComp": "comprehensions are not allowed", "GeneratorExp": "comprehensions are not allowed",
        "Await": "await is not allowed", "Yield": "yield is not allowed", "Starred": "'*' is not allowed",
    }
    return known.get(kind, f"{kind} expressions are not allowed")


@functools.lru_cache(maxsize=2048)
def parse(text: str) -> Expr:
    """Compile a condition; raise ExprError (with a 1-based column) when it is not allowed."""
    if not isinstance(text, str):
        raise ExprError("a condition must be a string", code="condition.not_text")
    if len(text) > MAX_LENGTH:
        raise ExprError(f"the condition is too long ({len(text)} characters; the limit is {MAX_LENGTH})",
                        code="condition.too_long")
    if not text.strip():
        raise ExprError("the condition is empty", code="condition.empty")
    body = text.strip()
    shift = len(text) - len(text.lstrip())
    try:
        with warnings.catch_warnings():      # "invalid decimal literal" and friends
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(body, mode="eval")
        expr = _Compiler(body).build(tree.body)
    except SyntaxError as exc:
        raise ExprError(f"syntax error: {exc.msg}", (exc.offset or 1) + shift, "condition.syntax") from None
    except ExprError as exc:
        raise ExprError(exc.message, exc.col + shift, exc.code, exc.params) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExprError("the condition cannot be parsed", code="condition.invalid") from None
    expr.text = text
    return expr
