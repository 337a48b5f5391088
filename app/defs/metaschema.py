"""The format's meta-schema and human messages for its errors (each with a code).

The field, column and assignee parts are built from the plugin registries: a field type
or assignee kind a plugin registers is part of the format as soon as it is loaded.
``definitions/meta-schema.json`` is the same schema built from the built-ins alone, shipped
for editors and IT's tools (``flask defs meta-schema -o …`` writes it; a test keeps it true).
"""
from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator

from app.defs.exceptions import Finding

META_SCHEMA_PATH = Path(__file__).resolve().parents[2] / "definitions" / "meta-schema.json"
_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


@functools.lru_cache(maxsize=None)
def _shipped() -> dict:
    return json.loads(META_SCHEMA_PATH.read_text(encoding="utf-8"))


def _registries():
    import plugins
    from plugins.assignees import ASSIGNEE_KINDS
    from plugins.fields import FIELD_TYPES
    plugins.load()
    return FIELD_TYPES, ASSIGNEE_KINDS


def _print_rules():
    from plugins.print_rules import PRINT_RULES
    return PRINT_RULES


def meta_schema() -> dict:
    """The whole format, with every loaded plugin's field types, assignee kinds and print rules."""
    types, kinds = _registries()
    return _built(types.version, kinds.version, _print_rules().version, False)


def build_meta_schema(builtin_only: bool = False) -> dict:
    types, kinds = _registries()
    return _built(types.version, kinds.version, _print_rules().version, builtin_only)


@functools.lru_cache(maxsize=8)
def _built(_types_version, _kinds_version, _rules_version, builtin_only) -> dict:
    import copy
    types, kinds = _registries()
    keep = (lambda registry, name: registry.owner(name).startswith("plugins.")) if builtin_only \
        else (lambda registry, name: True)
    schema = copy.deepcopy(_shipped())
    field_types = sorted((t for name, t in types.items()
                          if keep(types, name) and not getattr(t, "schema_only", False)),
                         key=lambda t: not types.owner(t.name).startswith("plugins."))
    schema["$defs"]["field"] = field_def(field_types, column=False)
    schema["$defs"]["column"] = field_def([t for t in field_types if t.in_rows], column=True)
    if not builtin_only:                    # print: {who: …} names any registered print rule
        who = schema["properties"]["print"]["properties"]["who"]
        who["enum"] = list(dict.fromkeys(who["enum"] + _print_rules().names()))
    schema["$defs"]["assignee"] = assignee_def(sorted(
        (k for name, k in kinds.items() if keep(kinds, name)),
        key=lambda k: not kinds.owner(k.name).startswith("plugins.")))
    return schema


def field_def(field_types, column: bool) -> dict:
    """``$defs/field`` (or ``column``): the shared keys, one branch per type with its own keys.

    A type's own key (``keys = {"region": {...}}``) is checked only in that type's branch, so
    two types may give one name different meanings; shared keys (``None``) mean one thing."""
    from plugins.fields import KEYS
    names = [t.name for t in field_types]
    used = set(KEYS) if column else {k for t in field_types for k in t.accepted_keys()}
    properties = {"name": KEYS["name"],
                  "type": {"enum": names, "x-error": "{value} " + (
                      "cannot be a column type" if column else "is not a field type")
                      + f" (one of: {', '.join(names)})",
                      "x-code": "column.unknown_type" if column else "field.unknown_type"}}
    properties.update({k: schema for k, schema in KEYS.items() if k in used and k not in properties})
    for t in field_types:
        properties.update({k: True for k in t.own_keys() if k not in properties})
    branches = []
    for t in field_types:
        then = {"propertyNames": {"enum": list(t.accepted_keys())}}
        if t.own_keys():
            then["properties"] = t.own_keys()
        if t.required_keys:
            then["required"] = list(t.required_keys)
        branches.append({"if": {"required": ["type"], "properties": {"type": {"const": t.name}}},
                         "then": then})
    # No additionalProperties: each type's branch names the keys it allows, so an unknown
    # key is reported once, with that type's keys (not every type's).
    return {"type": "object", "required": ["name", "type"],
            "properties": properties, "allOf": branches}


def assignee_def(kinds) -> dict:
    forms = [k.syntax for k in kinds if k.syntax]
    syntax = ", ".join(forms[:-1]) + " or " + forms[-1] if len(forms) > 1 else "".join(forms)
    return {"x-error": f"an assignee is {syntax}", "x-code": "assignee.invalid", "anyOf": [k.schema for k in kinds]}


def validator(definition: str | None = None) -> Draft202012Validator:
    """The validator of the whole format, or of one of its ``$defs`` (e.g. "field")."""
    types, kinds = _registries()
    return _validator(types.version, kinds.version, _print_rules().version, definition)


@functools.lru_cache(maxsize=32)
def _validator(_types_version, _kinds_version, _rules_version, definition) -> Draft202012Validator:
    schema = meta_schema()
    if definition:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(schema)


def where(path) -> str:
    """('steps', 1, 'by') → steps[1].by"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def _describe(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "a string", int: "an integer",
            float: "a number"}.get(type(value), type(value).__name__)


def _json_type(value) -> str:
    """The JSON type name of a loaded value (the translation's word for what was written)."""
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string", int: "integer", float: "number"}.get(type(value), "string")


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shown(value) -> str:
    """The value as a person wrote it (a string without quotes), cut at 60 characters."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def messages(error, data):
    """Yield ``(path, Finding, at_key)`` for one jsonschema error of the meta-schema over data.

    Said from the error's structure (``validator``, ``validator_value``, ``absolute_path``,
    the schema's ``x-error`` / ``x-code``), never from jsonschema's English message."""
    path = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind, value = error.validator, error.validator_value
    instance = error.instance
    custom = schema.get("x-error")
    if kind == "additionalProperties":
        allowed = ", ".join(schema.get("properties", {}))
        for key in instance:
            if key not in schema.get("properties", {}) and key not in ("$ref", "$dynamicRef"):
                yield path + (key,), _unknown_key(key, list(schema.get("properties", {})), f" (allowed: {allowed})"), True
    elif "propertyNames" in error.schema_path:
        yield from _property_name(path, error, instance, schema, _at(data, path))
    elif kind == "required":
        yield from _required(path, error, instance, value)
    elif custom:
        yield path, _custom(schema, instance), False
    else:
        yield path, _generic(kind, value, instance, error), False


def _custom(schema, value) -> Finding:
    """A schema's own ``x-error`` (English, ``{value}`` filled) and its ``x-code``."""
    return Finding(schema["x-error"].replace("{value}", _short(value)), schema.get("x-code", "value.invalid"),
                   {"value": _shown(value)})


def _unknown_key(key, known, allowed) -> Finding:
    close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.75)
    if close:
        return Finding(f"unknown key {key!r}; did you mean {close[0]!r}?{allowed}", "key.misspelt",
                       {"value": str(key), "suggestion": close[0]})
    return Finding(f"unknown key {key!r}{allowed}", "key.unknown", {"value": str(key)})


def _property_name(path, error, key, schema, owner):
    if key in ("$ref", "$dynamicRef"):
        return
    if schema.get("x-error"):
        yield path + (key,), _custom(schema, key), True
        return
    allowed = ", ".join(error.validator_value) if error.validator == "enum" else ""
    kind = owner.get("type") if isinstance(owner, dict) and "then" in error.schema_path else None
    if kind and _some_type_accepts(key):
        yield path + (key,), Finding(f"key {key!r} does not apply to a {kind} field (allowed: {allowed})",
                                     "key.not_for_type", {"value": str(key), "kind": str(kind)}), True
    elif kind:
        yield path + (key,), _unknown_key(key, list(error.validator_value),
                                          f" (allowed for a {kind} field: {allowed})"), True
    else:
        yield path + (key,), Finding(f"unknown key {key!r} (allowed: {allowed})", "key.unknown",
                                     {"value": str(key)}), True


def _some_type_accepts(key) -> bool:
    from plugins.fields import FIELD_TYPES
    return any(key in t.accepted_keys() for t in FIELD_TYPES.values())


def _at(data, path):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _required(path, error, instance, value):
    missing = [k for k in value if isinstance(instance, dict) and k not in instance]
    kind = instance.get("type") if isinstance(instance, dict) and "then" in error.schema_path else None
    for key in missing:
        if kind:
            yield path, Finding(f"a {kind} field needs {key!r}", "key.missing_for_type",
                                {"value": key, "kind": str(kind)}), False
        else:
            yield path, Finding(f"missing required key {key!r}", "key.missing", {"value": key}), False


def _generic(kind, value, instance, error) -> Finding:
    """A standard keyword's error, by ``error.validator`` and ``error.validator_value``."""
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        return Finding(f"expected {' or '.join(_TYPE_NAMES.get(t, t) for t in wanted)}, got {_describe(instance)}",
                       "value.wrong_type", {"expected": list(wanted), "got": _json_type(instance)})
    if kind == "enum":
        return Finding(f"{_short(instance)} is not one of: {', '.join(map(str, value))}", "value.not_a_choice",
                       {"value": _shown(instance)})
    if kind == "const":
        return Finding(f"must be {value!r}", "value.must_be", {"expected": _shown(value)})
    if kind in ("minItems", "minLength", "minProperties") and (value == 1 or kind != "minItems"):
        return Finding("must not be empty", "value.empty")
    if kind == "minItems":
        return Finding(f"needs at least {value} items", "value.too_few", {"n": value})
    if kind == "uniqueItems":
        return Finding("has duplicate items", "value.duplicates")
    if kind == "maxLength":
        return Finding(f"is too long (at most {value} characters)", "value.too_long", {"n": value})
    if kind in ("minimum", "maximum"):
        return Finding(f"must be {'at least' if kind == 'minimum' else 'at most'} {value}",
                       "value.too_small" if kind == "minimum" else "value.too_large", {"n": value})
    if kind == "pattern":
        return Finding(f"{_short(instance)} does not match {value}", "value.bad_format", {"value": _shown(instance)})
    return Finding(error.message, "value.invalid", {"value": _shown(instance), "keyword": str(kind)})
