"""The two spellings of a form: ``fields:`` (our field list) and ``schema:`` (JSON Schema).

``form_to_schema`` produces a strict draft 2020-12 schema that validates submitted data of
a form written as ``fields:`` (the server runs it through ``form_validator``); a form
written as ``schema:`` is validated by its own schema (``app.defs.schemadraft``).
``schema_to_fields`` reads a schema into field dicts (``app.defs.schema_fields``).

Empty optional values: an optional field also accepts null, and strings (text, select,
date…) also accept "". A required field with ``visible_when`` is not listed in
``required`` (its visibility is decided at run time) but carries ``x-required: true``.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import jsonschema

from app.defs import regex
from jsonschema import Draft202012Validator

from app.defs.formats import FORMATS
from app.defs.model import Field, Form
from plugins.fields import field_type

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ANNOTATIONS = (  # (Field attribute, schema keyword)
    ("help", "description"), ("default", "default"), ("autofill", "x-autofill"),
    ("visible_when", "x-visible-when"), ("required_when", "x-required-when"),
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
    """The ``schema:`` spelling as field dicts (the ``fields:`` spelling), in order."""
    from app.defs.schema_fields import Converter
    return [f for _, f in Converter().object_fields(schema, (), {})]


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


_pattern = regex.pattern_keyword


FormDataValidator = jsonschema.validators.extend(
    Draft202012Validator, {"multipleOf": _multiple_of, "pattern": _pattern})


def form_validator(form: Form):
    """A jsonschema validator for the form's data (dates checked, decimal multipleOf)."""
    return FormDataValidator(form_to_schema(form), format_checker=FORMATS)
