"""Cross-reference checks of a structurally valid definition (after the meta-schema).

Each check reports through ``Report.add(path, message)``; the path is mapped to the YAML
line/column of the offending value.
"""
from __future__ import annotations

import re

from jsonschema.exceptions import best_match

from app.defs import expr as expr_mod
from app.defs.exceptions import ExprError, Finding, Problem
from app.defs.metaschema import where

DEFAULT_AUTOFILL_SOURCES = ("user.name", "user.username", "user.department", "user.phone",
                            "user.email", "user.type", "today", "now", "week.range")
TITLE_NAMES = ("service", "serial", "applicant.name", "applicant.department")
MAX_PATTERN = 200
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class Report:
    def __init__(self, path: str, positions):
        self.path, self.positions, self.problems = path, positions, []

    def add(self, at, message: str, at_key: bool = False, code: str = "", **params) -> None:
        """One problem: ``message`` in English for IT; ``code`` and ``params`` for a translation."""
        at = tuple(at)
        line, col = self.positions.key(at) if at_key else self.positions.value(at)
        prefix = f"{where(at)}: " if at else ""
        self.problems.append(Problem(self.path, line, col, prefix + message, at, code, params))

    def put(self, at, said: Finding, at_key: bool = False) -> None:
        """``add`` for a problem found elsewhere (the meta-schema, a schema, a pattern)."""
        self.add(at, said.message, at_key, said.code, **(said.params or {}))


def autofill_sources() -> set[str]:
    sources = set(DEFAULT_AUTOFILL_SOURCES)
    try:
        from plugins.autofill import SOURCES
        sources.update(SOURCES.names())
    except Exception:   # the plugin module is optional at validation time
        pass
    return sources


# ---------------------------------------------------------------- regular expressions

def regex_problem(pattern: str) -> Finding | None:
    """Why ``pattern`` is refused (too long, or RE2 cannot compile it), or None.

    Patterns run under RE2 (linear time), so none is refused for how it might backtrack.
    """
    if len(pattern) > MAX_PATTERN:
        return Finding(f"the pattern is too long ({len(pattern)} characters; the limit is {MAX_PATTERN})",
                       "regex.too_long", {"length": len(pattern), "limit": MAX_PATTERN})
    from app.defs import regex
    return regex.problem(pattern)


# ---------------------------------------------------------------- form fields

def check_fields(fields, report: Report, field_names: set, schema: bool = False) -> None:
    """fields: [(path, field dict)] of the top level; field_names: the top-level input names.

    ``schema``: the fields were read from a JSON Schema, which judges its own patterns and
    defaults (``app.defs.schemadraft``); the paths then point into that schema.
    """
    _duplicates(fields, report)
    sources = autofill_sources()
    for path, field in fields:
        if schema:
            _check_schema_field(path, field, report, field_names, sources)
            continue
        _check_field(path, field, report, field_names, sources)
        for i, column in enumerate(field.get("columns") or []):
            _check_field(path + ("columns", i), column, report, field_names, sources)
        columns = [(path + ("columns", i), c) for i, c in enumerate(field.get("columns") or [])]
        _duplicates(columns, report)


def _duplicates(fields, report):
    seen = set()
    for path, field in fields:
        if field["name"] in seen:
            report.add(path + ("name",), f"duplicate field name {field['name']!r}",
                       code="field.duplicate_name", value=field["name"])
        seen.add(field["name"])


def _check_schema_field(path, field, report, field_names, sources):
    for key, keyword in (("autofill", "x-autofill"), ("visible_when", "x-visible-when"),
                         ("required_when", "x-required-when")):
        if field.get(key) is not None and not isinstance(field[key], str):
            report.add(path + (keyword,), f"{keyword} must be a string", code="value.not_text")
            return
    if field.get("autofill") and field["autofill"] not in sources:
        report.add(path + ("x-autofill",), f"unknown autofill source {field['autofill']!r} "
                   f"(one of: {', '.join(sorted(sources))})", code="field.unknown_autofill", value=field["autofill"])
    if field.get("visible_when"):
        check_condition(path, field["visible_when"], report, field_names)
    if field.get("required_when"):
        check_condition(path, field["required_when"], report, field_names)


def _check_field(path, field, report, field_names, sources):
    for key in ("visible_when", "required_when"):
        if "columns" in path and field.get(key):
            report.add(path + (key,), f"{key} is not supported on a rows column "
                       "(a column is shown in every row); put the condition on the rows field",
                       code="column.no_condition")
            return
    if field.get("required") and field.get("required_when"):
        report.add(path + ("required_when",), "required_when is not needed on a field with "
                   "required: true (it is always required); drop one of them",
                   code="field.required_and_required_when")
    if field.get("autofill") and field["autofill"] not in sources:
        report.add(path + ("autofill",), f"unknown autofill source {field['autofill']!r} "
                   f"(one of: {', '.join(sorted(sources))})", code="field.unknown_autofill", value=field["autofill"])
    if field.get("pattern"):
        problem = regex_problem(field["pattern"])
        if problem:
            report.put(path + ("pattern",), problem)
    for low, high in (("min_rows", "max_rows"), ("minimum", "maximum")):
        if field.get(low) is not None and field.get(high) is not None and field[low] > field[high]:
            report.add(path + (low,), f"{low} ({field[low]}) is greater than {high} ({field[high]})",
                       code="field.low_above_high", low=low, high=high, a=field[low], b=field[high])
    for key in ("visible_when", "required_when"):
        if field.get(key):
            check_condition(path + (key,), field[key], report, field_names)
    _check_default(path, field, report)


def _check_default(path, field, report):
    """A default must itself be valid data for the field (an option, a number in range…)."""
    if field.get("default") is None or field["type"] in ("section", "file"):
        return
    from app.defs.jsonschema_form import form_validator
    from app.defs.model import Field, Form
    plain = dict(field, required=False, visible_when=None, required_when=None)
    validator = form_validator(Form("", (Field.from_dict(plain),)))
    error = best_match(validator.iter_errors({field["name"]: field["default"]}))
    if error is not None:
        # the anyOf of optional fields: name the real constraint, not the "" alternative
        error = next((e for e in error.context or () if e.validator != "const"), error)
        report.add(path + ("default",), f"the default {field['default']!r} is not a valid value: {error.message}",
                   code="field.bad_default", value=repr(field["default"]))


def check_condition(path, text, report: Report, field_names: set) -> None:
    try:
        parsed = expr_mod.parse(text)
    except ExprError as exc:
        report.add(path, f"invalid condition (col {exc.col}): {exc.message}", code=exc.code, **exc.params)
        return
    for root, name in sorted(parsed.names):
        if root == "form" and name not in field_names:
            report.add(path, f"condition names unknown field 'form.{name}'",
                       code="condition.unknown_field", name=name)


# ---------------------------------------------------------------- steps

def check_steps(steps, report: Report, fields_by_name: dict) -> None:
    input_names = {n for n, f in fields_by_name.items() if f["type"] != "section"}
    if steps and steps[0]["by"] != "applicant":
        report.add(("steps", 0, "by"), "the first step must be 'by: applicant' (the applicant fills the form)",
                   code="step.first_not_applicant")
    if steps and steps[0].get("when"):
        report.add(("steps", 0, "when"), "the first step cannot have a condition", code="step.first_has_condition")
    seen: list[str] = []
    for i, step in enumerate(steps):
        path = ("steps", i)
        if step["id"] in seen:
            report.add(path + ("id",), f"duplicate step id {step['id']!r}", code="step.duplicate_id",
                       value=step["id"])
        _check_step(path, step, report, fields_by_name, input_names, seen)
        seen.append(step["id"])


def _check_step(path, step, report, fields_by_name, input_names, earlier):
    for key in ("edit", "hidden"):
        for j, name in enumerate(step.get(key) or []):
            if name not in input_names:
                report.add(path + (key, j), f"{key} names unknown field {name!r}", code="step.unknown_field",
                           value=name)
    for j, target in enumerate(step.get("return_to") or []):
        if target not in earlier:
            report.add(path + ("return_to", j), f"return_to must name an earlier step, not {target!r} "
                       f"(earlier: {', '.join(earlier) or 'none'})", code="step.return_to_later", value=target)
    if step.get("return_to") and "return" not in step.get("actions", ["return"]):
        report.add(path + ("return_to",), "return_to needs 'return' among the actions",
                   code="step.return_to_without_return")
    _check_assignee(path + ("by",), step["by"], report, fields_by_name)
    for j, cc in enumerate(step.get("cc") or []):
        _check_assignee(path + ("cc", j), cc, report, fields_by_name)
    if step.get("escalate_to") is not None:
        _check_assignee(path + ("escalate_to",), step["escalate_to"], report, fields_by_name)
        if step.get("self_approval", "escalate") != "escalate":
            report.add(path + ("escalate_to",), "escalate_to needs 'self_approval: escalate'",
                       code="step.escalate_without_self_approval")
    if step.get("when"):
        check_condition(path + ("when",), step["when"], report, input_names)


def _check_assignee(path, assignee, report, fields_by_name):
    if not isinstance(assignee, dict) or "field" not in assignee:
        return
    name = assignee["field"]
    field = fields_by_name.get(name)
    if field is None:
        report.add(path + ("field",), f"assignee field {name!r} is not a field of the form",
                   code="assignee.unknown_field", value=name)
    elif field["type"] != "user":
        report.add(path + ("field",), f"assignee field {name!r} must be a 'user' field, not {field['type']!r}",
                   code="assignee.not_a_user_field", value=name, kind=field["type"])


# ---------------------------------------------------------------- title template

def check_title_not_hidden(template: str, steps, report: Report) -> None:
    """The title shows in every list, to everyone: it must not carry a field a step hides."""
    names = {n[5:] for n in _PLACEHOLDER.findall(template) if n.startswith("form.")}
    for step in steps:
        for name in sorted(names & set(step.get("hidden") or [])):
            report.add(("title",), f"the title shows {{form.{name}}}, which step {step['id']!r} hides: "
                       "the title is shown to that step's assignees in every list",
                       code="title.shows_hidden_field", value=name, step=step.get("name") or step["id"])


def check_title(template: str, report: Report, field_names: set) -> None:
    stripped = _PLACEHOLDER.sub("", template)
    if "{" in stripped or "}" in stripped:
        report.add(("title",), "unbalanced '{' or '}' in the title template", code="title.unbalanced")
    for name in _PLACEHOLDER.findall(template):
        if name in TITLE_NAMES:
            continue
        if name.startswith("form.") and name[5:] in field_names:
            continue
        report.add(("title",), f"unknown placeholder {{{name}}} in the title (use "
                   f"{', '.join('{' + n + '}' for n in TITLE_NAMES)} or {{form.<field>}})",
                   code="title.unknown_placeholder", value=name)


# ---------------------------------------------------------------- retention

def check_retention(data: dict, report: Report) -> None:
    """``retention.keep`` must be a period, and not shorter than the service's time limit."""
    rule = data.get("retention")
    if not isinstance(rule, dict) or "keep" not in rule:
        return
    from app.defs.model import keep_delta, parse_duration
    try:
        keep = keep_delta(rule["keep"])
    except ValueError as exc:
        report.add(("retention", "keep"), str(exc), code="value.retention", value=str(rule["keep"]))
        return
    try:
        limit = parse_duration(data.get("time_limit"))
    except ValueError:
        return
    if limit is not None and keep < limit:
        report.add(("retention", "keep"), f"retention.keep ({rule['keep']}) is shorter than the "
                   f"time limit ({data['time_limit']}): data would be removed before the work is due",
                   code="retention.shorter_than_time_limit", keep=rule["keep"], limit=data["time_limit"])
