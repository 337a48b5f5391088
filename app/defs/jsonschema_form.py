"""The two spellings of a form: ``fields:`` (our field list) and ``schema:`` (JSON Schema).

``form_to_schema`` produces a strict draft 2020-12 schema that validates submitted form
data (the server runs it through ``form_validator``); ``schema_to_fields`` reads the
``schema:`` spelling back into field dicts, ordered by ``x-order``.

Empty optional values: an optional field also accepts null, and strings (text, select,
date…) also accept "". A required field with ``visible_when`` is not listed in
``required`` (its visibility is decided at run time) but carries ``x-required: true``.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import jsonschema
from jsonschema import Draft202012Validator

from app.defs.formats import FORMATS
from app.defs.model import Field, Form
from plugins.fields import field_type

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ANNOTATIONS = (  # (Field attribute, schema keyword)
    ("help", "description"), ("default", "default"), ("autofill", "x-autofill"),
    ("visible_when", "x-visible-when"),
)


def form_to_schema(form: Form) -> dict:
    schema = {"$schema": DIALECT, "type": "object", "title": form.title}
    schema.update(object_schema(form.fields))
    sections = [_section(f, i) for i, f in enumerate(form.fields) if not f.is_input]
    if sections:
        schema["x-sections"] = sections
    return schema


def object_schema(fields) -> dict:
    """properties/required/additionalProperties of an object holding ``fields`` (a form or a row)."""
    properties, required = {}, []
    for order, f in enumerate(fields):
        if not f.is_input:
            continue
        properties[f.name] = _property(f, order)
        if f.required and not f.visible_when:
            required.append(f.name)
    return {"properties": properties, "required": required, "additionalProperties": False}


def _section(f: Field, order: int) -> dict:
    section = {"name": f.name, "x-order": order}
    for key in ("label", "text", "help", "visible_when"):
        if getattr(f, key):
            section[key] = getattr(f, key)
    return section


def _property(f: Field, order: int) -> dict:
    prop = {"title": f.label or f.name, "x-widget": f.type, "x-order": order}
    for attr, keyword in _ANNOTATIONS:
        if getattr(f, attr) not in (None, ""):
            prop[keyword] = getattr(f, attr)
    if f.readonly:
        prop["readOnly"] = True
    if f.required and f.visible_when:
        prop["x-required"] = True
    if f.extra:
        prop["x-keys"] = f.extra_dict
    strict = f.required and not f.visible_when
    core = field_type(f).value_schema(f, strict)
    prop.update(core if strict else _allow_empty(core))
    return prop


def _allow_empty(core: dict) -> dict:
    core = dict(core)
    kind = core["type"]
    core["type"] = [kind, "null"]
    if "enum" in core:
        core["enum"] = core["enum"] + ["", None]
    checks = {k: core.pop(k) for k in ("pattern", "format") if k in core}
    if checks:
        core["anyOf"] = [{"const": ""}, checks]
    return core


# ---------------------------------------------------------------- schema → fields

def schema_to_fields(schema: dict) -> list[dict]:
    """The ``schema:`` spelling as field dicts (the ``fields:`` spelling), in x-order."""
    return [d for _, d in convert_schema(schema)]


def convert_schema(schema: dict) -> list[tuple[tuple, dict]]:
    """Like schema_to_fields, with each dict's path inside the schema (for error positions)."""
    items = []
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    required = _names(schema.get("required"))
    for index, (name, prop) in enumerate(properties.items()):
        if isinstance(prop, dict):
            field = _prop_to_field(name, prop, name in required)
            items.append((_order_key(prop, index), ("properties", name), field))
    sections = schema.get("x-sections") if isinstance(schema.get("x-sections"), list) else []
    for index, section in enumerate(sections):
        if isinstance(section, dict):
            field = {"type": "section", **{k: v for k, v in section.items() if k != "x-order"}}
            items.append((_order_key(section, len(properties) + index), ("x-sections", index), field))
    items.sort(key=lambda item: item[0])
    return [(path, field) for _, path, field in items]


def _names(value) -> set:
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def _order_key(node: dict, index: int):
    order = node.get("x-order")
    if isinstance(order, (int, float)) and not isinstance(order, bool):
        return (0, order, index)
    return (1, 0, index)


def _kind(prop: dict) -> str | None:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def _infer_widget(prop: dict) -> str:
    kind, fmt = _kind(prop), _checks(prop).get("format")
    items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
    if kind == "string":
        return {"date": "date", "date-time": "datetime"}.get(fmt) or ("select" if "enum" in prop else "text")
    if kind in ("number", "integer"):
        return "money" if "x-unit" in prop else "number"
    if kind == "boolean":
        return "agree"
    if kind == "array":
        if items.get("type") == "object":
            return "rows"
        return "checkboxes" if "enum" in items else "file"
    return "text"


def _checks(prop: dict) -> dict:
    """pattern/format, directly or inside the ``anyOf: [{const: ""}, {...}]`` of optional fields."""
    found = {k: prop[k] for k in ("pattern", "format") if k in prop}
    for branch in prop.get("anyOf") or []:
        if isinstance(branch, dict):
            found.update({k: branch[k] for k in ("pattern", "format") if k in branch})
    return found


def _prop_to_field(name: str, prop: dict, required: bool) -> dict:
    widget = prop.get("x-widget") or _infer_widget(prop)
    field = {"name": name, "type": widget}
    if prop.get("title") not in (None, "", name):
        field["label"] = prop["title"]
    if required or prop.get("x-required") is True or prop.get("const") is True:
        field["required"] = True
    if prop.get("readOnly") is True:
        field["readonly"] = True
    for attr, keyword in _ANNOTATIONS:
        if keyword in prop:
            field[attr] = prop[keyword]
    if isinstance(prop.get("x-keys"), dict):
        field.update(prop["x-keys"])
    field.update(_prop_details(widget, prop, field.get("required", False)))
    return field


def _prop_details(widget: str, prop: dict, required: bool) -> dict:
    out = {}
    items = prop.get("items") if isinstance(prop.get("items"), dict) else {}
    simple = {"maxLength": "max_length", "minimum": "minimum", "maximum": "maximum",
              "x-unit": "unit", "x-max-size": "max_size", "x-accept": "accept"}
    out.update({attr: prop[key] for key, attr in simple.items() if key in prop})
    if "pattern" in _checks(prop):
        out["pattern"] = _checks(prop)["pattern"]
    enum = items.get("enum") if widget == "checkboxes" else prop.get("enum")
    if isinstance(enum, list):
        out["options"] = [e for e in enum if e not in ("", None)]
    if widget == "file" and "maxItems" in prop:
        out["max_files"] = prop["maxItems"]
    if widget == "rows":
        out.update(_rows_details(prop, items, required))
    return out


def _rows_details(prop: dict, items: dict, required: bool) -> dict:
    out = {"columns": schema_to_fields(items)}
    low = prop.get("minItems")
    if low is not None and not (required and low == 1):
        out["min_rows"] = low
    if "maxItems" in prop:
        out["max_rows"] = prop["maxItems"]
    return out


# ---------------------------------------------------------------- validating form data

def _multiple_of(validator, divisor, instance, schema):
    """multipleOf on decimals, so that 0.07 is a multiple of 0.01 (floats say it is not)."""
    if not validator.is_type(instance, "number"):
        return
    try:
        ok = Decimal(str(instance)) % Decimal(str(divisor)) == 0
    except (InvalidOperation, ValueError):
        ok = False
    if not ok:
        yield jsonschema.ValidationError(f"{instance!r} is not a multiple of {divisor}")


def _pattern(validator, pattern, instance, schema):
    """pattern under RE2 (linear time): a definition's regex can never hold a worker."""
    from app.defs import regex
    if not validator.is_type(instance, "string"):
        return
    try:
        matched = regex.search(pattern, instance)
    except ValueError:
        matched = False
    if not matched:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


FormDataValidator = jsonschema.validators.extend(
    Draft202012Validator, {"multipleOf": _multiple_of, "pattern": _pattern})


def form_validator(form: Form):
    """A jsonschema validator for the form's data (dates checked, decimal multipleOf)."""
    return FormDataValidator(form_to_schema(form), format_checker=FORMATS)
