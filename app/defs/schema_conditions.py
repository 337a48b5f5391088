"""The conditions of a form schema as OneHall conditions: which properties ``if``/``then``/
``else``, ``dependentSchemas``, draft-7 ``dependencies`` and ``allOf`` bring, and when they
are shown (``form.x == "v"``; ``form["名"]`` for names that are not identifiers)."""
from __future__ import annotations

import json


def _props(schema):
    props = schema.get("properties")
    return props.items() if isinstance(props, dict) else ()


def _names(value):
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def conditional(schema, path):
    """(name, prop, path, condition text or None, required) for fields that if/then/else,
    dependentRequired, dependentSchemas, draft-7 ``dependencies`` or ``allOf`` bring."""
    out = []
    for i, part in enumerate(schema.get("allOf") or []):
        if isinstance(part, dict):
            out.extend(_branch(part, path + ("allOf", i), None))
            out.extend(conditional(part, path + ("allOf", i)))
    if isinstance(schema.get("if"), dict):
        cond = condition_of(schema["if"])
        out.extend(_branch(schema.get("then"), path + ("then",), cond))
        out.extend(_branch(schema.get("else"), path + ("else",), f"not ({cond})" if cond else None))
    deps = dict(schema.get("dependentSchemas") or {})
    for name, value in (schema.get("dependencies") or {}).items():
        if isinstance(value, dict):
            deps[name] = value
    for name, sub in deps.items():
        key = "dependentSchemas" if name in (schema.get("dependentSchemas") or {}) else "dependencies"
        out.extend(_branch(sub, path + (key, name), f"{_ref(name)} != None"))
    return out


def _branch(sub, path, cond):
    if not isinstance(sub, dict):
        return []
    required = set(_names(sub.get("required")))
    out = [(n, p, path + ("properties", n), cond, n in required) for n, p in _props(sub)]
    listed = {n for n, _ in _props(sub)}
    out.extend((n, {}, path, cond, True) for n in required - listed)
    return out


def _ref(name: str) -> str:
    return f"form.{name}" if name.isidentifier() and not name.startswith("_") else f"form[{json.dumps(name, ensure_ascii=False)}]"


def condition_of(schema) -> str | None:
    """The ``if`` schema as a OneHall condition, when it is one we can state (const / enum)."""
    if not isinstance(schema, dict):
        return None
    parts = []
    for name, prop in _props(schema):
        if not isinstance(prop, dict):
            return None
        if "const" in prop and _literal(prop["const"]):
            parts.append(f"{_ref(name)} == {_expr_value(prop['const'])}")
        elif isinstance(prop.get("enum"), list) and all(_literal(v) for v in prop["enum"]):
            parts.append(f"{_ref(name)} in [{', '.join(_expr_value(v) for v in prop['enum'])}]")
        else:
            return None
    for name in _names(schema.get("required")):
        if name not in dict(_props(schema)):
            parts.append(f"{_ref(name)} != None")
    return " and ".join(parts) or None


def _literal(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _expr_value(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    return json.dumps(value, ensure_ascii=False)
