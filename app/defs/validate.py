"""Form data → clean data and errors: the one validator of submitted values.

The form's JSON Schema (``app.defs.jsonschema_form``, one format checker, RE2 patterns),
each field type's own ``validate`` checks, a size cap on the whole submission, and
reference checks against the database, with errors keyed ``name`` or
``name.index.column`` and worded in Chinese. The engine, the API and the web forms all
validate through ``validate_data``; nothing here imports Flask or WTForms.
"""
from __future__ import annotations

import json
from functools import lru_cache

from plugins import masking
from plugins.fields import FIELD_TYPES, field_type

MAX_SUBMISSION_BYTES = 1_000_000      # the whole form's data as JSON; files are not in it


def _refs_by_type(form_def, data, skip=()):
    """{type name: [(key, refs)]} for values that name users, departments or attachments."""
    by_type: dict = {}
    for key, f, value in _cells(form_def, data):
        refs = field_type(f).refs(value)
        if refs and key not in skip:
            by_type.setdefault(f.type, []).append((key, refs))
    return by_type


def is_visible(field, data: dict, applicant: dict | None) -> bool:
    """Whether ``visible_when`` holds (conditions were checked when the definition was imported)."""
    from app.defs.expr import ExprError, parse
    if not field.visible_when:
        return True
    try:
        condition = parse(field.visible_when)
    except ExprError:
        return False
    return condition.test({"form": data, "applicant": applicant or {}})


def is_required(field, data: dict, applicant: dict | None) -> bool:
    """``required``, or ``required_when`` holding for ``data`` (visibility is not judged here)."""
    if field.required:
        return True
    if not field.required_when:
        return False
    from app.defs.expr import ExprError, parse
    try:
        condition = parse(field.required_when)
    except ExprError:
        return False
    return bool(condition.test({"form": data, "applicant": applicant or {}}))


def hidden_fields(form_def, data: dict, applicant: dict | None) -> set[str]:
    """Names of the input fields whose ``visible_when`` is false for ``data``."""
    return {f.name for f in form_def.input_fields() if not is_visible(f, data, applicant)}


def visible_data(form_def, data: dict, applicant: dict | None) -> dict:
    """``data`` without hidden fields, sections and empty values.

    Keys that are not fields of the form stay, so the schema reports them as unknown.
    """
    hidden = hidden_fields(form_def, data, applicant)
    clean = dict(data)
    for f in form_def.fields:
        value = clean.get(f.name)
        if f.name in hidden or not f.is_input or field_type(f).is_empty(value):
            clean.pop(f.name, None)
        elif f.columns and isinstance(value, list):
            clean[f.name] = [_prune_row(f, row) for row in value]
    return clean


def _prune_row(field, row):
    if not isinstance(row, dict):
        return row
    known = {c.name: c for c in field.columns}
    return {k: v for k, v in row.items()
            if k not in known or not field_type(known[k]).is_empty(v)}


@lru_cache(maxsize=256)
def _validator(form_def):
    """One validator per compiled form (forms are immutable and hashable)."""
    from app.defs.jsonschema_form import form_validator
    return form_validator(form_def)


def validate_data(form_def, data: dict, *, applicant: dict, drafts: bool = False,
                  editor: str | None = None) -> tuple[dict, dict[str, list[str]]]:
    """(clean data, errors by field key). Hidden fields are dropped, neither required nor stored.

    With ``drafts`` an incomplete form passes, but wrong values are still errors. File tokens
    must belong to the applicant (or to ``editor``, the username of whoever is editing).
    """
    if not isinstance(data, dict):
        return {}, {"data": ["格式不正确"]}
    if _too_large(data):
        return {}, {"data": [f"提交的内容过大（不能超过{MAX_SUBMISSION_BYTES // 1000}KB）"]}
    if form_def.schema:
        return _validate_by_schema(form_def, data, applicant, drafts, editor)
    sent = visible_data(form_def, data, applicant)
    clean = normalised(form_def, sent)
    errors = SchemaErrors(form_def, drafts=drafts)
    validator = _validator(form_def)
    for error in validator.iter_errors(sent):       # the constraints hold for what was sent …
        errors.add(error)
    if clean != sent:                               # … and for what is stored
        again = SchemaErrors(form_def, drafts=drafts)
        for error in validator.iter_errors(clean):
            again.add(error)
        for key, messages in again.as_dict().items():
            if key not in errors:
                for message in messages:
                    errors.put(key, message)
    _type_checks(form_def, clean, errors)
    if not drafts:
        hidden = hidden_fields(form_def, data, applicant)
        for f in form_def.input_fields():
            runtime = f.visible_when or f.required_when
            if (runtime and f.name not in hidden and f.name not in errors
                    and field_type(f).is_empty(clean.get(f.name)) and is_required(f, data, applicant)):
                errors.put(f.name, REQUIRED)
    owners = {u for u in ((applicant or {}).get("username"), editor) if u}
    _check_references(form_def, clean, owners, errors)
    return clean, errors.as_dict()


def _validate_by_schema(form_def, data, applicant, drafts, editor):
    """A schema-defined form: its schema as written decides (``app.defs.schema_validate``)."""
    from app.defs import schema_validate
    hidden = hidden_fields(form_def, data, applicant)
    clean, errors = schema_validate.validate(form_def, data, hidden, drafts)
    if not drafts:      # x-required-when: required while its condition holds
        for f in form_def.input_fields():
            if (f.required_when and f.name not in hidden and f.name not in errors
                    and field_type(f).is_empty(clean.get(f.name)) and is_required(f, data, applicant)):
                errors.at([f.name], REQUIRED)
    owners = {u for u in ((applicant or {}).get("username"), editor) if u}
    _check_references(form_def, clean, owners, errors)
    return clean, errors.as_dict()


# ---------------------------------------------------------------- schema errors in Chinese

REQUIRED = "此项为必填项"


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _type_message(error, ftype):
    expected = error.validator_value
    expected = expected if isinstance(expected, list) else [expected]
    return "请输入数字" if {"number", "integer"} & set(expected) else "格式不正确"


def _format_message(error, ftype):
    return {"date": "请输入有效的日期 (YYYY-MM-DD)",
            "date-time": "请输入有效的日期和时间 (YYYY-MM-DD HH:MM)"}.get(error.validator_value, "格式不正确")


MESSAGES = {
    "required": lambda e, t: REQUIRED,
    "minLength": lambda e, t: REQUIRED if e.validator_value <= 1 else f"至少输入{e.validator_value}个字",
    "maxLength": lambda e, t: f"最多可输入{e.validator_value}个字",
    "enum": lambda e, t: "请选择有效的选项",
    "type": _type_message,
    "multipleOf": lambda e, t: "最多两位小数" if e.validator_value == 0.01 else f"必须是{_num(e.validator_value)}的倍数",
    "format": _format_message,
    "const": lambda e, t: "请勾选同意" if e.validator_value is True else "请输入有效的值",
    "minItems": lambda e, t: f"至少需要{e.validator_value}{t.unit}",
    "maxItems": lambda e, t: f"最多{e.validator_value}{t.unit}",
    "uniqueItems": lambda e, t: "不能重复选择",
    "pattern": lambda e, t: "格式不正确",
    "minimum": lambda e, t: f"不能小于{_num(e.validator_value)}",
    "maximum": lambda e, t: f"不能大于{_num(e.validator_value)}",
    "exclusiveMinimum": lambda e, t: f"必须大于{_num(e.validator_value)}",
    "exclusiveMaximum": lambda e, t: f"必须小于{_num(e.validator_value)}",
}


class SchemaErrors:
    """Collects jsonschema errors as {"name" | "name.index.column": [Chinese messages]}."""

    def __init__(self, form_def, drafts=False):
        self.form_def, self.drafts = form_def, drafts
        self.fields: dict[str, list[str]] = {}

    def __contains__(self, key):
        return key in self.fields

    def put(self, key: str, message: str) -> None:
        messages = self.fields.setdefault(key, [])
        if message not in messages:
            messages.append(message)

    def as_dict(self) -> dict[str, list[str]]:
        return dict(self.fields)

    def add(self, error) -> None:
        if error.validator == "anyOf" and error.context:
            error = _best_branch(error)
        if self.drafts and _about_completeness(error):
            return
        path = list(error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    self.put(self._key(path + [name]), REQUIRED)
        elif error.validator == "additionalProperties":
            known = error.schema.get("properties", {})
            for name in (k for k in error.instance if k not in known):
                self.put(self._key(path + [name]), f"未知字段 {name}")
        else:
            key = self._key(path)
            message = MESSAGES.get(error.validator, lambda e, t: "格式不正确")
            self.put(key, message(error, self._type_at(path)))

    def _field_at(self, path):
        f = self.form_def.field(path[0]) if path and isinstance(path[0], str) else None
        if f and f.columns and len(path) >= 3:
            return next((c for c in f.columns if c.name == path[2]), f)
        return f

    def _type_at(self, path):
        f = self._field_at(path)
        return field_type(f) if f else FIELD_TYPES.get("text")

    def _key(self, path) -> str:
        f = self.form_def.field(path[0]) if path and isinstance(path[0], str) else None
        depth = field_type(f).key_depth if f else 1
        return ".".join(str(p) for p in path[:depth]) or "data"


def _about_completeness(error) -> bool:
    """Errors that only say the form is not finished yet (a draft may be unfinished)."""
    return (error.validator in ("required", "minItems")
            or (error.validator == "minLength" and error.validator_value <= 1)
            or (error.validator == "const" and error.validator_value is True))


def _best_branch(error):
    """For ``anyOf: [{const: ""}, {format/pattern}]``, the branch that says what is wrong."""
    branches = [e for e in error.context if e.validator != "const"]
    return branches[0] if branches else error


def _cells(form_def, data):
    """(key, field, value) for every top-level value and every row cell."""
    for f in form_def.input_fields():
        if f.name not in data:
            continue
        yield f.name, f, data[f.name]
        for i, row in enumerate(data[f.name] if f.columns and isinstance(data[f.name], list) else []):
            for c in f.columns:
                if isinstance(row, dict) and c.name in row:
                    yield f"{f.name}.{i}.{c.name}", c, row[c.name]


def _check_references(form_def, data, owners, errors) -> None:
    """Usernames, department names and attachment tokens must exist (one query per type)."""
    for type_name, entries in _refs_by_type(form_def, data, skip=errors).items():
        ftype = FIELD_TYPES.get(type_name)
        missing = ftype.missing_refs({r for _, refs in entries for r in refs}, owners)
        for key, refs in entries:
            if missing & set(refs):
                errors.put(key, ftype.ref_message)




def _too_large(data) -> bool:
    try:
        return len(json.dumps(data, ensure_ascii=False, default=str)) > MAX_SUBMISSION_BYTES
    except (TypeError, ValueError, RecursionError):
        return True


def normalised(form_def, data: dict) -> dict:
    """Values in the form each type stores (a date-time's space becomes ``T``…), rows cell
    by cell. ``validate_data`` checks the schema on the values before and after."""
    out = dict(data)
    for f in form_def.input_fields():
        if f.name not in out:
            continue
        value = field_type(f).normalise(f, out[f.name])
        if f.columns and isinstance(value, list):
            value = [_normalised_row(f, row) for row in value]
        out[f.name] = value
    return out


def _normalised_row(field, row):
    if not isinstance(row, dict):
        return row
    known = {c.name: c for c in field.columns}
    return {k: (field_type(known[k]).normalise(known[k], v) if k in known else v)
            for k, v in row.items()}


def _type_checks(form_def, data, errors) -> None:
    """Each field type's own ``validate`` on values the schema did not already refuse."""
    for key, f, value in _cells(form_def, data):
        if key in errors or field_type(f).is_empty(value):
            continue
        for message in field_type(f).validate(f, value):
            errors.put(key, message)


def display_rows(form_def, data: dict, hidden=frozenset(), applicant: dict | None = None,
                 reveal: bool = True, how: str = "display"):
    """(field, display value) for a read-only view; rows give a list of lists of texts.

    Fields in ``hidden`` are left out, and so are fields whose ``visible_when`` is false —
    evaluated when ``applicant`` is given, else judged by the value having been dropped.
    """
    data = data or {}
    shown = []
    for f in form_def.fields:
        if f.name in hidden or not _shown(f, data, applicant):
            continue
        shown.append((f, masking.shown(f, data.get(f.name), reveal, how)))
    return shown


def _shown(field, data, applicant) -> bool:
    if not field.visible_when:
        return True
    if applicant is not None:
        return is_visible(field, data, applicant)
    return field.name in data


