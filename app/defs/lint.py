"""``flask defs lint``: warnings about a valid definition that will not behave as meant.

- ``unreachable-step``: a step whose ``when`` can never be true for the applicants the
  audience allows and the values the form accepts, or a step after one that always ends
  the flow (it applies unconditionally and cannot approve);
- ``never-shown-field`` / ``condition-over-hidden-field``: a field whose ``visible_when``
  can never be true, or that every step hides — and each condition that reads it;
- ``nobody-to-handle``: a step whose assignee resolves to nobody for some applicant the
  audience allows (each user type × each department of the directory holding such users).

"Can never be true" is decided by the real condition evaluator over a small set of
candidate values per name (options, the literals the condition compares with and their
neighbours, the allowed range, empty); when the set would be too large, nothing is said.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.defs.expr import Expr, ExprError, parse

MAX_COMBINATIONS = 20_000
_OTHER = "\u2063other"          # a text unlike any literal


@dataclass(frozen=True, order=True)
class LintWarning:
    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: warning: {self.message} [{self.code}]"


def lint(sdef, positions, path: str) -> list[LintWarning]:
    """Every warning for the compiled ``sdef`` (its YAML ``positions``); the directory
    (departments, users, roles) is read from the bound database."""
    out = []

    def warn(at, code, message):
        line, col = positions.value(at)
        out.append(LintWarning(path, line, col, code, message))

    never = _never_shown(sdef)
    _hidden_field_warnings(sdef, never, warn)
    _unreachable_steps(sdef, never, warn)
    _nobody_warnings(sdef, warn)
    return sorted(set(out))


# ---------------------------------------------------------------- candidate values

def _literals(node) -> list:
    found = []
    if isinstance(node, Expr):
        if type(node).__name__ == "Const":
            found.append(node.value)
        for value in vars(node).values():
            found += _literals(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            found += _literals(item)
    return found


def _departments() -> list:
    from app.models import Department
    return [d.name for d in Department.select(Department.name).order_by(Department.name)]


def _candidates(sdef, root, attr, literals, never) -> list:
    if root == "applicant":
        if attr == "type":
            return list(sdef.audience)
        if attr == "department":
            return _departments() + [None]
        return _texts(literals)
    field = sdef.form.field(attr)
    if field is None or attr in never or not field.is_input:
        return [None]
    optional = [] if field.required and not field.visible_when else [None]
    if field.type in ("select", "radio"):
        return list(field.options) + optional
    if field.type == "checkboxes":
        return [[], list(field.options)] + [[o] for o in field.options]
    if field.type == "agree":
        return [True] + optional
    if field.type in ("number", "money"):
        return _numbers(field, literals) + optional
    return _texts(literals) + optional


def _texts(literals) -> list:
    return list(dict.fromkeys([x for x in literals if isinstance(x, str)] + ["", _OTHER]))


def _numbers(field, literals) -> list:
    base = [x for x in literals if isinstance(x, (int, float)) and not isinstance(x, bool)]
    values = {0, field.minimum, field.maximum}
    for x in base:
        values.update((x - 1, x - 0.01, x, x + 0.01, x + 1))
    low = field.minimum if field.minimum is not None else float("-inf")
    high = field.maximum if field.maximum is not None else float("inf")
    return sorted(v for v in values if v is not None and low <= v <= high)


def can_be_true(sdef, condition: str, never=frozenset()) -> bool | None:
    """Whether ``condition`` holds for some candidate input; None when too many to try."""
    try:
        expr = parse(condition)
    except ExprError:
        return None
    names = sorted(expr.names)
    literals = _literals(expr)
    domains = [_candidates(sdef, root, attr, literals, never) for root, attr in names]
    total = 1
    for domain in domains:
        total *= max(1, len(domain))
    if total > MAX_COMBINATIONS:
        return None
    for values in itertools.product(*domains):
        ctx = {"form": {}, "applicant": {}}
        for (root, attr), value in zip(names, values):
            ctx[root][attr] = value
        if expr.test(ctx):
            return True
    return False


# ---------------------------------------------------------------- fields never shown

def _never_shown(sdef) -> dict:
    """{field name: why} for input fields no one ever sees."""
    never = {}
    for f in sdef.form.input_fields():
        if sdef.steps and all(f.name in s.hidden for s in sdef.steps):
            never[f.name] = "every step hides it"
    changed = True
    while changed:                       # a field shown only when a never-shown one is set
        changed = False
        for f in sdef.form.input_fields():
            if f.name not in never and f.visible_when and can_be_true(sdef, f.visible_when, never) is False:
                never[f.name] = "its visible_when can never be true"
                changed = True
    return never


def _field_at(sdef, name) -> tuple:
    index = next(i for i, f in enumerate(sdef.form.fields) if f.name == name)
    return ("form", "fields", index)


def _hidden_field_warnings(sdef, never, warn) -> None:
    for name, why in never.items():
        warn(_field_at(sdef, name), "never-shown-field", f"field {name!r} is never shown: {why}")
    for i, f in enumerate(sdef.form.fields):
        if f.visible_when and f.name not in never:
            for read in _reads(f.visible_when, never):
                warn(("form", "fields", i, "visible_when"), "condition-over-hidden-field",
                     f"the visible_when of {f.name!r} reads {read!r}, which is never shown")
    for i, step in enumerate(sdef.steps):
        if step.when:
            for read in _reads(step.when, never):
                warn(("steps", i, "when"), "condition-over-hidden-field",
                     f"the condition of step {step.id!r} reads {read!r}, which is never shown")


def _reads(condition, never) -> list:
    try:
        names = parse(condition).names
    except ExprError:
        return []
    return sorted(attr for root, attr in names if root == "form" and attr in never)


# ---------------------------------------------------------------- steps

def _unreachable_steps(sdef, never, warn) -> None:
    ender = None
    for i, step in enumerate(sdef.steps):
        if ender is not None:
            warn(("steps", i), "unreachable-step",
                 f"step {step.id!r} is never reached: step {ender!r} before it always ends the flow "
                 f"(it applies to everyone and cannot approve)")
            continue
        if i and step.when and can_be_true(sdef, step.when, never) is False:
            warn(("steps", i, "when"), "unreachable-step",
                 f"step {step.id!r} is never reached: its condition {step.when!r} can never be true "
                 f"for the allowed applicants and values")
        if i and not step.when and "approve" not in step.actions:
            ender = step.id


def _applicants(sdef) -> list:
    """(words, an unsaved User) for each user type of the audience × each department of the
    directory holding users of that type (None: users without a department)."""
    from app.models import Department, User
    out = []
    for kind in sdef.audience:
        rows = (User.select(User.department).where(User.type == kind, User.is_active == True)  # noqa: E712
                .distinct().tuples())
        for (department_id,) in sorted(rows, key=lambda r: r[0] or 0):
            department = Department.get_by_id(department_id) if department_id else None
            words = f"{kind} of {department.name}" if department else f"{kind} without a department"
            out.append((words, User(username="lint-applicant", name="lint", type=kind,
                                    department=department)))
    return out


def _nobody_warnings(sdef, warn) -> None:
    from app.engine.context import applicant_view
    from plugins.assignees import Context, resolve
    applicants = _applicants(sdef)
    for i, step in enumerate(sdef.steps[1:], start=1):
        if step.by == "applicant" or (isinstance(step.by, dict) and "field" in step.by):
            continue
        nobody = []
        for words, user in applicants:
            if step.when and _only_applicant(step.when) and \
                    not parse(step.when).test({"form": {}, "applicant": applicant_view(user)}):
                continue
            if not resolve(step.by, Context(applicant=user, data={})):
                nobody.append(words)
        if nobody:
            warn(("steps", i, "by"), "nobody-to-handle",
                 f"step {step.id!r} has nobody to handle it for applicants: {', '.join(nobody)}")


def _only_applicant(condition) -> bool:
    try:
        return all(root == "applicant" for root, _ in parse(condition).names)
    except ExprError:
        return False
