"""The form editors' data ↔ the definition's YAML shape, both ways and losslessly.

A field or a step is edited through plain form data (strings, booleans, lists); these
functions turn a definition's field/step dict into that data and back. The round trip is
exact for every key of the format (tests/designer/test_editors.py runs every shipped
definition through it), so nothing written in YAML is lost by the designer.
"""
from __future__ import annotations

import dataclasses
import functools

from app.defs.metaschema import meta_schema
from app.defs.model import Field, Step

FIELD_KEYS = tuple(f.name for f in dataclasses.fields(Field))
LIST_KEYS = ("options", "accept")
NUMBER_KEYS = ("minimum", "maximum")
INT_KEYS = ("max_length", "min_rows", "max_rows", "max_files", "max_size")
BOOL_KEYS = ("required", "readonly")
TEXT_KEYS = ("label", "help", "autofill", "visible_when", "pattern", "unit", "text")
STEP_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Step)
                 if f.default is not dataclasses.MISSING}
ASSIGNEE_KINDS = {
    "applicant": "申请人",
    "user": "指定用户",
    "role_of_applicant": "申请人所在单位的角色",
    "role_in_department": "指定部门的角色",
    "role": "任意部门的角色",
    "field": "表单中“用户”字段选定的人",
}


@functools.lru_cache(maxsize=None)
def allowed_keys(field_type: str, column: bool = False) -> tuple[str, ...]:
    """The keys the format allows on a field (or a rows column) of this type."""
    definition = meta_schema()["$defs"]["column" if column else "field"]
    for rule in definition.get("allOf", []):
        if rule["if"]["properties"]["type"]["const"] == field_type:
            return tuple(rule["then"]["propertyNames"]["enum"])
    return ()


def column_types() -> tuple[str, ...]:
    return tuple(meta_schema()["$defs"]["column"]["properties"]["type"]["enum"])


# ---------------------------------------------------------------- values shown in inputs

def _number_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _parse_number(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} 不是数字") from None
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def default_text(field_type: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, (int, float)):
        return _number_text(value)
    return str(value)


def parse_default(field_type: str, text: str):
    """The default typed into the editor → the value of the right type (or None)."""
    if text is None or text == "":
        return None
    if field_type in ("number", "money"):
        return _parse_number(text)
    if field_type == "agree":
        return text.strip().lower() in ("true", "1", "yes", "是")
    if field_type == "checkboxes":
        return [line.strip() for line in text.splitlines() if line.strip()]
    return text


def _lines(text) -> list[str]:
    return [part.strip() for part in (text or "").replace(",", "\n").splitlines() if part.strip()]


# ---------------------------------------------------------------- fields

def field_to_data(field: dict) -> dict:
    """A field (or column) of the definition → the editor's form data."""
    data = {key: "" for key in FIELD_KEYS if key not in BOOL_KEYS}
    data.update({key: bool(field.get(key)) for key in BOOL_KEYS})
    for key, value in field.items():
        if key in LIST_KEYS:
            data[key] = "\n".join(value)
        elif key in NUMBER_KEYS:
            data[key] = _number_text(value)
        elif key == "default":
            data[key] = default_text(field["type"], value)
        elif key in INT_KEYS:
            data[key] = value
        elif key != "columns" and key not in BOOL_KEYS:
            data[key] = value
    return data


def data_to_field(data: dict, *, column: bool = False, columns=None) -> dict:
    """The editor's form data → a field dict with only the keys its type allows.

    ``columns`` are the rows field's columns as they are (they are edited one by one);
    raises ValueError for an unparseable number.
    """
    kind = data["type"]
    allowed = allowed_keys(kind, column)
    out = {"name": (data.get("name") or "").strip(), "type": kind}
    for key in FIELD_KEYS:
        if key in ("name", "type") or key not in allowed:
            continue
        value = _field_value(key, kind, data.get(key), columns)
        if not _unset(key, value):
            out[key] = value
    if kind == "rows" and not out.get("columns"):
        out["columns"] = [{"name": "item", "label": "内容", "type": "text"}]
    return out


def _unset(key, value) -> bool:
    if value is None or value is False and key in BOOL_KEYS:
        return True
    return isinstance(value, (str, list)) and len(value) == 0 and key != "default"


def _field_value(key, kind, raw, columns):
    if key in BOOL_KEYS:
        return bool(raw)
    if key in LIST_KEYS:
        return _lines(raw) if key == "accept" else [ln.strip() for ln in (raw or "").splitlines() if ln.strip()]
    if key in NUMBER_KEYS:
        return _parse_number(raw)
    if key in INT_KEYS:
        return None if raw in (None, "") else int(raw)
    if key == "default":
        return parse_default(kind, raw)
    if key == "columns":
        return list(columns or [])
    return raw.strip() if isinstance(raw, str) and key != "text" else raw


# ---------------------------------------------------------------- assignees and steps

def assignee_to_data(spec) -> dict:
    data = {"kind": "applicant", "user": "", "role": "", "department": "", "field": ""}
    if spec == "applicant":
        return data
    if "user" in spec:
        return dict(data, kind="user", user=spec["user"])
    if "field" in spec:
        return dict(data, kind="field", field=spec["field"])
    if spec.get("of") == "applicant":
        return dict(data, kind="role_of_applicant", role=spec["role"])
    if spec.get("department"):
        return dict(data, kind="role_in_department", role=spec["role"], department=spec["department"])
    return dict(data, kind="role", role=spec["role"])


def data_to_assignee(data: dict):
    kind = data.get("kind") or ""
    value = {key: (data.get(key) or "").strip() for key in ("user", "role", "department", "field")}
    if kind == "applicant":
        return "applicant"
    if kind == "user":
        return {"user": value["user"]}
    if kind == "field":
        return {"field": value["field"]}
    if kind == "role_of_applicant":
        return {"role": value["role"], "of": "applicant"}
    if kind == "role_in_department":
        return {"role": value["role"], "department": value["department"]}
    if kind == "role":
        return {"role": value["role"]}
    return None


def step_to_data(step: dict) -> dict:
    data = {
        "id": step["id"], "name": step["name"], "by": assignee_to_data(step["by"]),
        "mode": step.get("mode", STEP_DEFAULTS["mode"]), "when": step.get("when") or "",
        "opinion": step.get("opinion", STEP_DEFAULTS["opinion"]),
        "actions": list(step.get("actions", STEP_DEFAULTS["actions"])),
        "return_to": list(step.get("return_to", [])),
        "custom_edit": step.get("edit") is not None, "edit": list(step.get("edit") or []),
        "hidden": list(step.get("hidden", [])),
        "cc": [assignee_to_data(c) for c in step.get("cc", [])],
    }
    return data


def data_to_step(data: dict, original: dict | None = None) -> dict:
    """The step editor's data → a step dict, defaults left out; list order follows
    ``original`` where it already named the same items (so nothing changes unasked)."""
    original = original or {}
    out = {"id": (data.get("id") or "").strip(), "name": (data.get("name") or "").strip(),
           "by": data_to_assignee(data.get("by") or {})}
    for key in ("mode", "opinion"):
        if data.get(key) and data[key] != STEP_DEFAULTS[key]:
            out[key] = data[key]
    if (data.get("when") or "").strip():
        out["when"] = data["when"].strip()
    actions = _keep_order(data.get("actions") or [], original.get("actions"))
    if tuple(actions) != STEP_DEFAULTS["actions"]:
        out["actions"] = actions
    for key in ("return_to", "hidden"):
        if data.get(key):
            out[key] = _keep_order(data[key], original.get(key))
    if data.get("custom_edit"):
        out["edit"] = _keep_order(data.get("edit") or [], original.get("edit"))
    cc = [a for a in (data_to_assignee(c) for c in data.get("cc") or []) if a is not None]
    if cc:
        out["cc"] = cc
    for key in ("self_approval", "escalate_to"):       # not on the editor: kept as written
        if key in original:
            out[key] = original[key]
    return out


def _keep_order(chosen, original) -> list:
    original = list(original or [])
    chosen = list(chosen)
    if sorted(chosen) == sorted(original):
        return original
    return chosen


# ---------------------------------------------------------------- list operations

def move(items: list, index: int, offset: int) -> bool:
    """Swap item ``index`` with its neighbour ``offset`` (-1 up, +1 down); False at an end."""
    target = index + offset
    if not (0 <= index < len(items) and 0 <= target < len(items)):
        return False
    items[index], items[target] = items[target], items[index]
    return True


# ---------------------------------------------------------------- the service's metadata

META_TEXT = ("name", "category", "department", "fee", "time_limit", "hours", "place", "method",
             "phone", "conditions", "title")
META_LISTS = ("co_departments", "audience")


def meta_to_data(definition: dict) -> dict:
    data = {key: definition.get(key, "") for key in META_TEXT}
    data.update({key: list(definition.get(key, [])) for key in META_LISTS})
    data.update(number=definition["number"], recommended=bool(definition.get("recommended")),
                keywords=", ".join(definition.get("keywords", [])),
                form_title=definition["form"]["title"])
    if "audience" not in definition:
        data["audience"] = ["staff", "student"]
    return data


def apply_meta(definition: dict, data: dict) -> dict:
    """The metadata form's data written into a copy of the definition."""
    out = dict(definition)
    out["number"] = data["number"]
    for key in META_TEXT:
        value = (data.get(key) or "").strip() if key != "conditions" else (data.get(key) or "").strip("\n")
        if key == "time_limit":
            value = "".join(value.split())          # "3 天" → "3天"
        if value or key in ("name", "category", "department"):
            out[key] = value
        else:
            out.pop(key, None)
    for key in META_LISTS:
        out[key] = _keep_order(data.get(key) or [], definition.get(key))
        if not out[key] and key == "co_departments":
            out.pop(key)
    out["recommended"] = bool(data.get("recommended"))
    out["keywords"] = _lines(data.get("keywords"))
    if not out["keywords"]:
        out.pop("keywords")
    out["form"] = dict(definition["form"], title=(data.get("form_title") or "").strip())
    return out
