"""Field types that show the JSON Schema constructs of a ``schema:`` form (SPEC §8.1).

A form defined by a schema is validated by that schema alone (``app.defs.schemadraft``):
these types render, read the browser's POST into the JSON shape the schema describes
(nested objects stay nested, numbers are numbers, an enum's value keeps its JSON type)
and display stored values. Their ``x_*`` keys are written by ``app.defs.schema_fields``.
"""
from __future__ import annotations

import json
import re
from datetime import datetime

from plugins.fields import FieldType, _first, common_kwargs, field_type, field_type_class

GROUP = "JSON Schema"
_INPUT = {"date": "date", "time": "time", "date-time": "datetime-local", "email": "email",
          "idn-email": "email", "uri": "url"}


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


def _coerce_number(raw: str, integer: bool):
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


class _Schema(FieldType):
    group = GROUP
    keys = {}
    schema_only = True      # read from a schema; not a type of the ``fields:`` spelling or the palette

    def input_attrs(self, field) -> dict:
        attrs = {"placeholder": hint(field, "placeholder"),
                 "autofocus": True if hint(field, "autofocus") else None}
        if hint(field, "widget") == "hidden":
            attrs["type"] = "hidden"
        return attrs


@field_type_class("string")
class String(_Schema):
    label, icon = "文本（JSON Schema）", "✎"

    def wtf_field(self, field, ctx):
        import wtforms
        fmt = hint(field, "format")
        attrs = self.input_attrs(field)
        attrs.setdefault("type", "password" if hint(field, "widget") == "password" else _INPUT.get(fmt))
        attrs.update({"maxlength": field.max_length, "pattern": None})

        class _Field(wtforms.StringField):
            def _value(self):
                return to_input(fmt, self.data) if self.data is not None else ""
        return _Field(**common_kwargs(field, ctx, **attrs))

    def parse(self, field, values):
        raw = _first(values)
        return to_rfc3339(hint(field, "format"), raw) if raw else None

    def display(self, field, value, reveal=True):
        if hint(field, "format") in ("date-time", "time") and isinstance(value, str):
            return to_input(hint(field, "format"), value).replace("T", " ")
        return super().display(field, value, reveal)


@field_type_class("integer")
class Integer(_Schema):
    label, icon = "整数（JSON Schema）", "#"

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms import widgets
        step = hint(field, "step") or (1 if self.name == "integer" else "any")
        attrs = dict(self.input_attrs(field), step=step, inputmode="decimal")
        if hint(field, "widget") == "range" and field.minimum is not None and field.maximum is not None:
            attrs["type"] = "range"
        attrs.update({"min": field.minimum, "max": field.maximum})
        return wtforms.StringField(widget=widgets.NumberInput(), **common_kwargs(field, ctx, **attrs))

    def parse(self, field, values):
        return _coerce_number(_first(values), integer=True)


@field_type_class("boolean")
class Boolean(_Schema):
    """A yes/no checkbox: unticked is ``false`` (an agreement is ``agree``, for const: true)."""
    label, icon = "是/否", "☐"
    widget = "agree"

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.BooleanField(**common_kwargs(field, ctx, default=bool(field.default)))

    def parse(self, field, values):
        return _first(values).lower() not in ("", "0", "false", "off", "n", "no")

    def is_empty(self, value):
        return value is None

    def display(self, field, value, reveal=True):
        return {True: "是", False: "否"}.get(value, "") if isinstance(value, bool) else ""


@field_type_class("choice")
class Choice(_Schema):
    """``enum`` / ``oneOf`` of ``const``: option values are JSON, so 3, true and null keep their type."""
    label, icon = "选项（JSON Schema）", "▾"
    widget = "input"

    def widget_for(self, field):
        return "choices" if hint(field, "widget") == "radio" else "input"

    def choices(self, field):
        from wtforms.fields.choices import SelectChoice
        return [SelectChoice(json.dumps(v, ensure_ascii=False), str(label))
                for v, label in hint(field, "choices", [])]

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms.fields.choices import SelectChoice
        kwargs = common_kwargs(field, ctx)
        if hint(field, "widget") == "radio":
            return _JsonRadio(choices=self.choices(field), validate_choice=False, **kwargs)
        return _JsonSelect(choices=[SelectChoice("", "请选择")] + self.choices(field),
                           validate_choice=False, **kwargs)

    def parse(self, field, values):
        raw = next((v for v in values if isinstance(v, str)), "")
        if raw == "":
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw

    def is_empty(self, value):
        return value is None or value == ""

    def display(self, field, value, reveal=True):
        return choice_label(field, value)


@field_type_class("multichoice")
class MultiChoice(Choice):
    label, icon = "多选（JSON Schema）", "☑"
    widget = "choices"
    unit = "项"

    def widget_for(self, field):
        return "choices"

    def wtf_field(self, field, ctx):
        from wtforms import widgets
        return _JsonMulti(choices=self.choices(field), validate_choice=False,
                          widget=widgets.ListWidget(prefix_label=False),
                          option_widget=widgets.CheckboxInput(),
                          **common_kwargs(field, ctx, default=field.default or []))

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        return [self.parse(field, [v]) for v in dict.fromkeys(formdata.getlist(key)) if v != ""]

    def is_empty(self, value):
        return value is None or value == []

    def display(self, field, value, reveal=True):
        return "、".join(choice_label(field, v) for v in value or []) if isinstance(value, list) else ""


@field_type_class("list")
class ItemList(_Schema):
    """An array of strings or numbers: one input per item, 新增 / 删除 (inputs ``name-INDEX``)."""
    label, icon = "列表", "≡"
    widget = "list"
    unit = "项"
    in_rows = False

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.Field(**common_kwargs(field, ctx, default=field.default or []))

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        pattern = re.compile(re.escape(key) + r"-(\d+)$")
        found = sorted((int(m.group(1)), k) for k in formdata.keys() if (m := pattern.match(k)))
        values = []
        for _, k in found:
            raw = _first(formdata.getlist(k))
            if raw == "":
                continue
            if hint(field, "item") in ("number", "integer"):
                values.append(_coerce_number(raw, hint(field, "item") == "integer"))
            else:
                values.append(to_rfc3339(hint(field, "format"), raw))
        return values

    def is_empty(self, value):
        return value is None or value == []

    def display(self, field, value, reveal=True):
        return "、".join(str(v) for v in value) if isinstance(value, list) else ""


class _Nested(_Schema):
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


@field_type_class("group")
class Group(_Nested):
    label, icon = "分组", "▣"

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        return self.values(field, formdata, key, tokens, previous)

    def display(self, field, value, reveal=True):
        return [self.cells(field, value, reveal)] if isinstance(value, dict) and value else []


@field_type_class("tuple")
class Tuple(_Nested):
    """``prefixItems`` / array-form ``items``: fixed positions (sub-fields named 0, 1, …)."""
    label, icon = "固定项", "⋯"

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        previous = previous if isinstance(previous, list) else []
        got = self.values(field, formdata, key, tokens, {str(i): v for i, v in enumerate(previous)})
        out = []
        for col in field.columns:
            if col.name not in got:
                break
            out.append(got[col.name])
        return out

    def display(self, field, value, reveal=True):
        if not isinstance(value, list) or not value:
            return []
        return [self.cells(field, {str(i): v for i, v in enumerate(value)}, reveal)]


# ---------------------------------------------------------------- WTForms fields with JSON values

def _json_fields():
    import wtforms

    class JsonSelect(wtforms.SelectField):
        def process_data(self, value):
            self.data = None if value is None else json.dumps(value, ensure_ascii=False)

    class JsonRadio(wtforms.RadioField):
        process_data = JsonSelect.process_data

    class JsonMulti(wtforms.SelectMultipleField):
        def process_data(self, value):
            self.data = [json.dumps(v, ensure_ascii=False) for v in value or []] \
                if isinstance(value, list) else []

    return JsonSelect, JsonRadio, JsonMulti


class _Lazy:
    def __init__(self, index):
        self.index = index

    def __call__(self, *args, **kwargs):
        return _json_fields()[self.index](*args, **kwargs)


_JsonSelect, _JsonRadio, _JsonMulti = _Lazy(0), _Lazy(1), _Lazy(2)
