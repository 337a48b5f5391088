"""A form's JSON Schema (local ``$ref`` s inlined) → the field list the pages render.

Each property becomes the field that shows what it means (SPEC §8.1): a nested object a
group, an array of objects rows, an array of choices checkboxes, an array of strings or
numbers an add/remove list, ``prefixItems`` fixed positions, ``enum`` / ``oneOf`` of
``const`` labelled choices, a boolean a checkbox (an agreement only for ``const: true``).
Validation never reads these fields: the schema as written is the one source of truth
(``app.defs.schemadraft.validator_for_text``). What cannot be shown is reported as
(path, message) — never turned into another kind of field.

OneHall's own annotations (``x-widget``, ``x-order``, ``x-autofill``, ``x-visible-when``…)
still apply, so ``flask defs export --schema`` output imports back as it was.
"""
from __future__ import annotations

import json

from app.defs.exceptions import Finding
from app.defs.schema_conditions import conditional as _conditional

_ANNOTATIONS = (("help", "description"), ("default", "default"), ("autofill", "x-autofill"),
                ("visible_when", "x-visible-when"), ("required_when", "x-required-when"))
_SIMPLE = {"maxLength": "max_length", "minimum": "minimum", "maximum": "maximum", "x-unit": "unit",
           "x-max-size": "max_size", "x-accept": "accept"}
INPUT_TYPES = {"date": "date", "time": "time", "date-time": "datetime-local", "email": "email",
               "idn-email": "email", "uri": "url", "ipv4": "text", "ipv6": "text", "uuid": "text",
               "hostname": "text"}


class Converter:
    """Collects fields and the problems met on the way (``problems``: [(path, Finding)])."""

    def __init__(self, ui_schema=None):
        self.problems: list[tuple[tuple, Finding]] = []
        self.legacy: list[tuple[tuple, dict]] = []     # fields of the older x-widget spelling
        self.ui = ui_schema if isinstance(ui_schema, dict) else {}

    def object_fields(self, schema: dict, path: tuple, ui: dict, conditions=()) -> list[tuple[tuple, dict]]:
        """(path, field dict) for the properties of an object schema, conditional ones included."""
        schema = _with_alternatives(schema)
        props = dict(_props(schema))
        required = set(_names(schema.get("required")))
        found = [(path + ("properties", n), n, p, n in required, None) for n, p in props.items()]
        for extra in _conditional(schema, path):
            name, prop, where, cond, must = extra
            if name not in props:
                props[name] = prop
                found.append((where, name, prop, must, cond))
        items = []
        for index, (where, name, prop, must, cond) in enumerate(found):
            nested = cond if path and path[-1] != "items" else None      # a group's, not a row's
            if not isinstance(prop, dict):
                if prop is False:
                    continue
                prop = {}
            sub_ui = ui.get(name) if isinstance(ui.get(name), dict) else {}
            field = self.field(name, prop, must, where, sub_ui)
            if field is None:
                continue
            if cond and path == () and not field.get("visible_when"):
                field["visible_when"] = cond
            elif nested and not field.get("visible_when"):
                field["x_shown_when"] = nested     # inside a group: ``form`` is the group's object
            items.append((_order_key(prop, index, ui, name), where, field))
        sections = schema.get("x-sections") if isinstance(schema.get("x-sections"), list) else []
        for index, section in enumerate(sections):
            if isinstance(section, dict) and path == ():
                field = {**{k: v for k, v in section.items() if k != "x-order"}, "type": "section"}
                self.legacy.append((("x-sections", index), field))
                items.append((_order_key(section, len(found) + index, {}, None), ("x-sections", index), field))
        items.sort(key=lambda item: item[0])
        return [(where, field) for _, where, field in items]

    def field(self, name, prop, required, path, ui) -> dict | None:
        if "x-widget" in prop and not isinstance(prop["x-widget"], str):
            self.problems.append((path + ("x-widget",), Finding("x-widget must be the name of a field type",
                                                                "schema.widget_not_text")))
            return None
        field = {"name": name, "type": prop.get("x-widget") or self.widget(prop, path, ui)}
        if field["type"] is None:
            return None
        if "x-widget" in prop:
            self.legacy.append((path, field))
        title = ui.get("ui:title") or prop.get("title")
        if title not in (None, "", name) or not name.isidentifier():
            field["label"] = title or name
        if required or prop.get("x-required") is True:
            field["required"] = True
        if prop.get("readOnly") is True or ui.get("ui:readonly") or ui.get("ui:disabled"):
            field["readonly"] = True
        for attr, keyword in _ANNOTATIONS:
            if keyword in prop:
                field[attr] = prop[keyword]
        if ui.get("ui:description") or ui.get("ui:help"):
            field["help"] = " ".join(str(ui[k]) for k in ("ui:description", "ui:help") if ui.get(k))
        if isinstance(prop.get("x-keys"), dict) and "x-widget" in prop:
            field.update({k: v for k, v in prop["x-keys"].items() if k not in ("name", "type")})
        field.update(self.details(field["type"], prop, path, ui))
        if field["type"] == "rows" and field.get("required") and field.get("min_rows") == 1:
            del field["min_rows"]              # a required table has a row anyway
        return field

    # ------------------------------------------------------------ which widget

    def widget(self, prop, path, ui) -> str | None:
        kind, widget = _kind(prop), ui.get("ui:widget")
        if prop.get("const") is True and kind in ("boolean", None):
            return "agree"
        if _choices(prop) is not None and kind != "array":
            return "choice"
        if kind == "object" or (kind is None and ("properties" in prop or _alternatives(prop))):
            return "group"
        if kind == "array":
            return self._array_widget(prop, path)
        if kind in ("number", "integer"):
            return "money" if "x-unit" in prop else ("integer" if kind == "integer" else "number")
        if kind == "boolean":
            return "boolean"
        if widget == "textarea" or prop.get("format") == "textarea":
            return "textarea"
        if prop.get("format") == "date" and widget is None:
            return "date"
        return "string"

    def _array_widget(self, prop, path):
        items = prop.get("items")
        if "prefixItems" in prop or isinstance(items, list):
            return "tuple"
        items = items if isinstance(items, dict) else {}
        if _choices(items) is not None:
            return "multichoice"
        kind = _kind(items)
        if kind == "object" or "properties" in items:
            return "rows"
        if kind in ("string", "number", "integer", None) and "x-widget" not in prop:
            return "list"
        self.problems.append((path + ("items",), Finding(f"an array of {kind} items cannot be shown as a form; "
                                                         "use items of type string, number or object",
                                                         "schema.unshowable_items", {"kind": str(kind)})))
        return None

    # ------------------------------------------------------------ details per widget

    def details(self, widget, prop, path, ui) -> dict:
        out = {attr: prop[key] for key, attr in _SIMPLE.items() if key in prop}
        if isinstance(prop.get("pattern"), str):
            out["pattern"] = prop["pattern"]
        for branch in prop.get("anyOf") or []:     # the older spelling's optional: [{const: ""}, {pattern}]
            if isinstance(branch, dict) and isinstance(branch.get("pattern"), str) and "x-widget" in prop:
                out["pattern"] = branch["pattern"]
        out.update(_legacy_options(widget, prop))
        if widget == "file" and "maxItems" in prop:
            out["max_files"] = prop["maxItems"]
        hints = {}
        if ui.get("ui:widget") in ("radio", "select", "password", "hidden", "updown", "range", "textarea",
                                   "checkboxes"):
            hints["widget"] = ui["ui:widget"]
        for key in ("ui:placeholder", "ui:autofocus"):
            if ui.get(key):
                hints[key[3:]] = ui[key]
        fmt = prop.get("format")
        if widget in ("string", "list") and isinstance(fmt, str) and fmt in INPUT_TYPES:
            hints["format"] = fmt
        if widget == "choice":
            hints["choices"] = _labelled(prop, ui)
        elif widget == "multichoice":
            hints["choices"] = _labelled(prop.get("items") or {}, ui)
        elif widget == "list":
            hints["item"] = _kind(prop.get("items") or {}) or "string"
            fmt = (prop.get("items") or {}).get("format")
            if isinstance(fmt, str) and fmt in INPUT_TYPES:
                hints["format"] = fmt
        elif widget in ("group", "rows"):
            target = prop if widget == "group" else (prop.get("items") or {})
            if widget == "group" and _alternatives(target):
                hints["alternatives"] = _alternative_titles(target)
            sub_ui = ui.get("items", {}) if widget == "rows" else ui
            where = path if widget == "group" else path + ("items",)
            out["columns"] = [f for _, f in self.object_fields(target, where, sub_ui)]
            if widget == "group" and _alternatives(target):
                for column in out["columns"]:
                    owners = _owners(target, column["name"])
                    if owners is not None:
                        column["x_alt"] = owners
            if widget == "rows":
                if "minItems" in prop:
                    out["min_rows"] = prop["minItems"]
                if "maxItems" in prop:
                    out["max_rows"] = prop["maxItems"]
        elif widget == "tuple":
            out["columns"] = self._positions(prop, path)
        if widget in ("string", "list", "textarea") and "examples" in prop and "placeholder" not in hints:
            examples = prop["examples"] if isinstance(prop["examples"], list) else []
            if examples and isinstance(examples[0], (str, int, float)):
                hints["placeholder"] = str(examples[0])
        elif widget in ("string", "textarea") and isinstance(prop.get("example"), (str, int, float)):
            hints.setdefault("placeholder", str(prop["example"]))
        if prop.get("deprecated") is True:
            hints["deprecated"] = True
        if prop.get("writeOnly") is True:
            hints["write_only"] = True
        if widget in ("number", "integer", "money") and "multipleOf" in prop:
            hints["step"] = prop["multipleOf"]
        if widget in ("choice", "string", "number", "integer") and _nullable(prop):
            hints["nullable"] = True
        if widget not in ("string", "textarea", "text"):
            out.pop("max_length", None)
            out.pop("pattern", None)
        if widget not in ("number", "integer", "money"):
            out.pop("minimum", None)
            out.pop("maximum", None)
        if "x-widget" not in prop:           # the older spelling's built-in types take no hints
            out.update({"x_" + k: v for k, v in hints.items()})
        return out

    def _positions(self, prop, path) -> list[dict]:
        items = prop.get("prefixItems") if "prefixItems" in prop else prop.get("items")
        key = "prefixItems" if "prefixItems" in prop else "items"
        columns = []
        for i, item in enumerate(items if isinstance(items, list) else []):
            item = item if isinstance(item, dict) else {}
            field = self.field(str(i), item, i < (prop.get("minItems") or 0), path + (key, i), {})
            if field is not None:
                field.setdefault("label", item.get("title") or f"第{i + 1}项")
                columns.append(field)
        return columns


def _alternative_titles(schema: dict) -> list[str]:
    key = "oneOf" if "oneOf" in schema else "anyOf"
    return [alt.get("title") or f"方式{i + 1}" for i, alt in enumerate(schema.get(key) or [])]


def _owners(schema: dict, name: str) -> list[int] | None:
    """Which alternatives a property belongs to (None: the object's own, always shown)."""
    if name in (schema.get("properties") or {}):
        return None
    key = "oneOf" if "oneOf" in schema else "anyOf"
    return [i for i, alt in enumerate(schema.get(key) or []) if name in dict(_props(alt))]


def _with_alternatives(schema: dict) -> dict:
    """An object whose ``oneOf``/``anyOf`` alternatives are objects: one group holding every
    alternative's properties (the schema's ``oneOf`` still decides which may be filled)."""
    if not _alternatives(schema):
        return schema
    merged = dict(schema, properties=dict(schema.get("properties") or {}))
    for key in ("oneOf", "anyOf"):
        for alt in schema.get(key) or []:
            for name, sub in _props(alt):
                merged["properties"].setdefault(name, sub)
    return merged


def _props(schema):
    props = schema.get("properties")
    return props.items() if isinstance(props, dict) else ()


def _names(value):
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _kind(prop: dict) -> str | None:
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def _nullable(prop) -> bool:
    kind = prop.get("type")
    return prop.get("nullable") is True or (isinstance(kind, list) and "null" in kind)


def _choices(prop) -> list | None:
    """The allowed values of an ``enum`` or of ``oneOf``/``anyOf`` branches that are all ``const``."""
    if isinstance(prop.get("enum"), list):
        return list(prop["enum"])
    for key in ("oneOf", "anyOf"):
        branches = prop.get(key)
        if isinstance(branches, list) and branches and all(
                isinstance(b, dict) and "const" in b for b in branches):
            return [b["const"] for b in branches]
    return None


def _labelled(prop, ui) -> list[list]:
    """[[value, label]]: oneOf titles, else ``enumNames`` / ``ui:enumNames``, else the value."""
    values = _choices(prop) or []
    names = ui.get("ui:enumNames") or prop.get("enumNames") or prop.get("x-enumNames")
    labels = {}
    for key in ("oneOf", "anyOf"):
        for b in prop.get(key) or []:
            if isinstance(b, dict) and "const" in b and isinstance(b.get("title"), str):
                labels[json.dumps(b["const"], sort_keys=True)] = b["title"]
    out = []
    for i, value in enumerate(values):
        label = labels.get(json.dumps(value, sort_keys=True))
        if label is None and isinstance(names, list) and i < len(names):
            label = str(names[i])
        out.append([value, label if label is not None else _plain(value)])
    return out


def _plain(value) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _alternatives(prop) -> bool:
    for key in ("oneOf", "anyOf"):
        branches = prop.get(key)
        if isinstance(branches, list) and branches and all(
                isinstance(b, dict) and "properties" in b for b in branches):
            return True
    return False


def _legacy_options(widget, prop) -> dict:
    """``options`` of the older spelling's select/radio/checkboxes (strings only)."""
    if widget in ("select", "radio"):
        enum = prop.get("enum")
    elif widget == "checkboxes":
        enum = (prop.get("items") or {}).get("enum")
    else:
        return {}
    return {"options": [e for e in enum if e not in ("", None)]} if isinstance(enum, list) else {}


def _order_key(node: dict, index: int, ui: dict, name):
    order = ui.get("ui:order") if isinstance(ui.get("ui:order"), list) else None
    if order and name is not None:
        position = order.index(name) if name in order else (order.index("*") if "*" in order else len(order))
        return (0, position, index)
    value = node.get("x-order")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, index)
    return (1, 0, index)
