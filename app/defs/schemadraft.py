"""A form's JSON Schema as written: its draft, its local ``$ref`` s, what can be rendered.

``inspect`` lists the problems of a ``schema:`` form (unknown draft, a malformed schema,
remote or cyclic ``$ref``, constructs a form cannot show) as (path, message) pairs;
``resolved`` gives the schema with local references inlined (for rendering);
``validator`` is the one validator of submitted data: ``jsonschema``'s validator for the
schema's draft, format checking on, patterns run under RE2. Unknown keywords and formats
are annotations (the standard's rule): kept, never refused.
"""
from __future__ import annotations

import functools
import json

import jsonschema
import referencing
import referencing.exceptions
from jsonschema import validators

from app.defs import regex
from app.defs.exceptions import Finding

_DRAFTS = {
    "http://json-schema.org/draft-04/schema": validators.Draft4Validator,
    "http://json-schema.org/draft-06/schema": validators.Draft6Validator,
    "http://json-schema.org/draft-07/schema": validators.Draft7Validator,
    "https://json-schema.org/draft/2019-09/schema": validators.Draft201909Validator,
    "https://json-schema.org/draft/2020-12/schema": validators.Draft202012Validator,
}
DEFAULT_DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Keywords a form cannot show, and what to write instead.
UNRENDERABLE = {
    "patternProperties": "list the properties by name under 'properties'",
    "not": "state what is allowed (enum, pattern, minimum…) instead of what is not",
    "$dynamicRef": "use a local '$ref' into '$defs'",
    "$recursiveRef": "use a local '$ref' into '$defs'",
    "unevaluatedProperties": "use 'additionalProperties: false'",
    "unevaluatedItems": "use 'items' with a schema for each item",
    "contains": "use 'items' with 'enum' (a checkbox list) instead",
    "propertyNames": "list the properties by name under 'properties'",
}


def draft_class(schema):
    """The validator class for the schema's ``$schema`` (none: 2020-12); None when unknown."""
    uri = schema.get("$schema", DEFAULT_DRAFT) if isinstance(schema, dict) else DEFAULT_DRAFT
    if not isinstance(uri, str):
        return None
    key = uri.rstrip("#").replace("https://json-schema.org/draft-0", "http://json-schema.org/draft-0")
    if key.startswith("http://json-schema.org/draft/"):
        key = "https" + key[4:]
    return _DRAFTS.get(key)


def _registry(schema, cls):
    import referencing.jsonschema
    dialect = cls.META_SCHEMA.get("$schema", DEFAULT_DRAFT)
    resource = referencing.Resource.from_contents(
        schema, default_specification=referencing.jsonschema.specification_with(dialect))
    return resource, referencing.Registry(retrieve=_no_remote).with_resource("", resource)


def _no_remote(uri):
    raise referencing.exceptions.NoSuchResource(ref=uri)


def inspect(schema) -> list[tuple[tuple, Finding]]:
    """Problems of a form schema as (path inside the schema, Finding); [] when usable."""
    if not isinstance(schema, dict):
        return [((), Finding("the form schema must be a mapping (a JSON object)", "schema.not_mapping"))]
    cls = draft_class(schema)
    if cls is None:
        known = ", ".join(sorted(_DRAFTS))
        return [(("$schema",), Finding(f"unknown JSON Schema draft {schema.get('$schema')!r} (one of: {known})",
                                       "schema.unknown_draft", {"value": str(schema.get("$schema"))}))]
    problems = []
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        return [_not_a_schema(exc, cls)]
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind != "object":
        problems.append((("type",), Finding("the root of a form schema must be 'type: object' (with 'properties')",
                                            "schema.root_not_object")))
    _walk(schema, (), schema, problems, ())
    seen, once = set(), []
    for where, said in problems:            # a cycle met from two places is one problem
        if said.message not in seen:
            seen.add(said.message)
            once.append((where, said))
    return once


def _not_a_schema(exc, cls) -> tuple[tuple, Finding]:
    """The draft's own meta-schema refused the schema: said from the error's keyword and path."""
    where = tuple(exc.absolute_path)
    message = f"not a valid JSON Schema ({_draft_name(cls)}): {exc.message}"
    if where and where[-1] == "required" and isinstance(exc.instance, bool):
        message += "; list required properties by name in the enclosing object's 'required: [...]'"
        return where, Finding(message, "schema.required_not_a_list")
    keyword = next((p for p in reversed(where) if isinstance(p, str)), exc.validator)
    return where, Finding(message, "schema.invalid", {"keyword": str(keyword)})


def _draft_name(cls) -> str:
    return cls.__name__.replace("Validator", "")


def _walk(node, path, root, problems, refs):
    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk(item, path + (i,), root, problems, refs)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        here = path + (key,)
        if key in ("properties", "$defs", "definitions", "dependentSchemas") and isinstance(value, dict):
            for name, sub in value.items():
                _walk(sub, here + (name,), root, problems, refs)
            continue
        if key in ("enum", "const", "default", "examples", "example") or key.startswith("x-"):
            continue
        if key in UNRENDERABLE:
            problems.append((here, Finding(f"'{key}' cannot be shown as a form; {UNRENDERABLE[key]}",
                                           "schema.unrenderable", {"keyword": key})))
        elif key == "additionalProperties" and isinstance(value, dict):
            problems.append((here, Finding("'additionalProperties' as a schema (free-form keys) cannot be "
                                           "shown as a form; list the properties by name and write "
                                           "'additionalProperties: false'", "schema.free_form_properties")))
        elif key == "$ref" and isinstance(value, str):
            _check_ref(value, here, root, problems, refs)
        elif key == "pattern" and isinstance(value, str):
            reason = regex.problem(value)
            if reason:
                problems.append((here, reason))
        elif key == "dependencies" and isinstance(value, dict):
            for name, sub in value.items():
                _walk(sub, here + (name,), root, problems, refs)
        elif isinstance(value, (dict, list)):
            _walk(value, here, root, problems, refs)


def _check_ref(ref, here, root, problems, refs):
    if not ref.startswith("#"):
        problems.append((here, Finding(f"remote $ref {ref!r} is not allowed; copy the schema into '$defs' "
                                       "and write '$ref: \"#/$defs/NAME\"'", "schema.remote_ref", {"value": ref})))
        return
    if ref in refs:
        problems.append((here, Finding(f"recursive $ref {ref!r} (a schema containing itself) cannot be shown "
                                       "as a form; write the nesting out to a fixed depth", "schema.recursive_ref",
                                       {"value": ref})))
        return
    target = _pointer(root, ref)
    if target is None:
        problems.append((here, Finding(f"$ref {ref!r} points at nothing in this schema", "schema.dangling_ref",
                                       {"value": ref})))
        return
    _walk(target, here, root, problems, refs + (ref,))


def _pointer(root, ref):
    node = root
    for part in ref[1:].split("/")[1:] if ref != "#" else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def resolved(schema):
    """The schema with every local ``$ref`` inlined (siblings of ``$ref`` kept, as 2019-09 does).

    Call only on a schema ``inspect`` accepted (no remote refs, no cycles).
    """
    return _inline(schema, schema, ())


def _inline(node, root, seen):
    if isinstance(node, list):
        return [_inline(v, root, seen) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#") and ref not in seen:
        target = _pointer(root, ref)
        if isinstance(target, dict):
            out.update(_inline(target, root, seen + (ref,)))
    for key, value in node.items():
        if key == "$ref":
            continue
        if key in ("enum", "const", "default", "examples"):
            out[key] = value
        else:
            out[key] = _inline(value, root, seen)
    return out


# ---------------------------------------------------------------- validating data

_pattern = regex.pattern_keyword


@functools.lru_cache(maxsize=64)
def _extended(cls):
    return validators.extend(cls, {"pattern": _pattern})


@functools.lru_cache(maxsize=256)
def validator_for_text(schema_text: str):
    """The compiled validator of one schema (cached per schema text: per service version)."""
    from app.defs.formats import SCHEMA_FORMATS
    schema = json.loads(schema_text)
    cls = _extended(draft_class(schema) or validators.Draft202012Validator)
    resource, registry = _registry(schema, cls)
    return cls(schema, registry=registry, format_checker=SCHEMA_FORMATS)


@functools.lru_cache(maxsize=256)
def resolved_text(schema_text: str) -> dict:
    """``resolved`` of a stored schema (cached per schema text; callers must not modify it)."""
    return resolved(json.loads(schema_text))
