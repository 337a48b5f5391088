"""What the JSON Schema types share: their ``x_*`` hints, RFC 3339 text, nested groups."""
from __future__ import annotations

import json
import re
from datetime import datetime

from plugins.fields import FieldType, field_type

GROUP = "JSON Schema"


def hint(field, key, default=None):
    return field.get("x_" + key, default)


def _local_offset() -> str:
    text = datetime.now().astimezone().strftime("%z")
    return f"{text[:3]}:{text[3:]}" if text else "Z"


def to_rfc3339(fmt, raw: str) -> str:
    """A browser's ``HH:MM`` / ``YYYY-MM-DDTHH:MM`` as the RFC 3339 text the format demands."""
    if fmt == "time" and re.fullmatch(r"\d{2}:\d{2}", raw):
        return f"{raw}:00{_local_offset()}"
    if fmt == "date-time" and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", raw):
        raw = raw.replace(" ", "T")
        return (raw if raw.count(":") == 2 else raw + ":00") + _local_offset()
    return raw


def to_input(fmt, value):
    """Stored RFC 3339 text back as the browser's input value."""
    if not isinstance(value, str):
        return value
    if fmt == "time":
        return value[:5]
    if fmt == "date-time":
        return value[:16]
    return value


def coerce_number(raw: str, integer: bool):
    raw = raw.replace(",", "").strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    if number != number or number in (float("inf"), float("-inf")):
        return raw
    return int(number) if re.fullmatch(r"[+-]?\d+", raw) else number


def choice_label(field, value) -> str:
    for option, label in hint(field, "choices", []):
        if option == value and type(option) is type(value):
            return str(label)
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class SchemaType(FieldType):
    group = GROUP
    keys = {}
    schema_only = True      # read from a schema; not a type of the ``fields:`` spelling or the palette

    def input_attrs(self, field) -> dict:
        attrs = {"placeholder": hint(field, "placeholder"),
                 "autofocus": True if hint(field, "autofocus") else None}
        if hint(field, "widget") == "hidden":
            attrs["type"] = "hidden"
        return attrs


class NestedBase(SchemaType):
    """A group of sub-fields (``columns``) drawn as a fieldset; inputs ``name-SUB``."""
    widget = "group"
    in_rows = False
    keys = {"columns": None}
    required_keys = ("columns",)

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.FormField(ctx.row_forms[field.name], label=field.label,
                                 description=field.help)

    def values(self, field, formdata, key, tokens, previous):
        previous = previous if isinstance(previous, dict) else {}
        out = {}
        for col in field.columns:
            if col.readonly:
                value = previous.get(col.name)
            else:
                value = field_type(col).from_formdata(col, formdata, f"{key}-{col.name}", tokens,
                                                      previous.get(col.name))
            if not field_type(col).is_empty(value):
                out[col.name] = value
        return out

    def cells(self, field, value, reveal):
        texts = []
        for col in field.columns:
            shown = field_type(col).display(col, value.get(col.name), reveal) if col.name in value else ""
            texts.append(flatten(col, shown))
        return texts

    def is_empty(self, value):
        return value is None or value == {} or value == []

    def export_value(self, field, value, reveal=True):
        rows = self.display(field, value, reveal)
        if not rows:
            return ""
        return "；".join(f"{c.label or c.name}：{t}" for c, t in zip(field.columns, rows[0]) if t != "")


def flatten(col, shown) -> str:
    """A nested group's display (a one-row table) as text inside an outer cell."""
    if isinstance(shown, list):
        cells = shown[0] if shown and isinstance(shown[0], list) else shown
        return "；".join(f"{c.label or c.name}：{t}" for c, t in zip(col.columns, cells) if t != "")
    return "" if shown is None else str(shown)
