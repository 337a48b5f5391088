"""The built-in field types of the definition format (SPEC §2), one class each.

Loaded through the ``onehall.plugins`` entry point like any third-party type.
"""
from __future__ import annotations

import re
from datetime import datetime

from plugins.fields import FieldType, _first, common_kwargs, field_type, field_type_class

# A text field without max_length still has a limit: a 600,000-character value must not
# reach a print or an export. The counter shows only for an explicit max_length.
DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 5000}


@field_type_class("text")
class Text(FieldType):
    label, icon = "单行文本", "✎"
    keys = {"max_length": None, "pattern": None}

    def max_length(self, field) -> int:
        return field.max_length or DEFAULT_MAX_LENGTH.get(self.name, 500)

    def value_schema(self, field, strict):
        core = super().value_schema(field, strict)
        if field.max_length:
            core["maxLength"] = field.max_length
        if field.pattern:
            core["pattern"] = field.pattern
        return core

    def validate(self, field, value):
        """The default limit (an explicit ``max_length`` is in the schema, and exported)."""
        limit = self.max_length(field)
        if isinstance(value, str) and not field.max_length and len(value) > limit:
            return [f"最多可输入{limit}个字"]
        return []

    def attrs(self, field):
        return {"maxlength": self.max_length(field)}


@field_type_class("textarea")
class Textarea(Text):
    label, icon = "多行文本", "¶"
    keys = {"max_length": None}
    widget = "textarea"

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.TextAreaField(**common_kwargs(field, ctx, **self.attrs(field), rows=3))

    def parse(self, field, values):
        text = _first(values).replace("\r\n", "\n")
        return text or None


class _Number(FieldType):
    icon = "#"
    keys = {"minimum": None, "maximum": None}
    step = "any"

    def value_schema(self, field, strict):
        core = {"type": "number"}
        if field.minimum is not None:
            core["minimum"] = field.minimum
        if field.maximum is not None:
            core["maximum"] = field.maximum
        return core

    def attrs(self, field):
        return {"step": self.step, "min": field.minimum, "max": field.maximum,
                "inputmode": "decimal"}

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms import widgets
        return wtforms.StringField(widget=widgets.NumberInput(),
                                   **common_kwargs(field, ctx, **self.attrs(field)))

    def parse(self, field, values):
        """A number, or the raw text when it is not one (the schema then reports it)."""
        raw = _first(values).replace(",", "")
        if not raw:
            return None
        try:
            return self.coerce(raw)
        except ValueError:
            return raw

    def coerce(self, raw):
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(raw)
        return int(number) if re.fullmatch(r"[+-]?\d+", raw) else number


@field_type_class("number")
class Number(_Number):
    label = "数字"


@field_type_class("money")
class Money(_Number):
    label, icon = "金额", "¥"
    keys = {"minimum": None, "maximum": None, "unit": None}
    step = "0.01"

    def value_schema(self, field, strict):
        core = super().value_schema(field, strict)
        core["multipleOf"] = 0.01
        if field.unit:
            core["x-unit"] = field.unit
        return core

    def coerce(self, raw):
        return round(super().coerce(raw) * 1.0, 2)

    def display(self, field, value, reveal=True):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:.2f}{field.unit or ''}"
        return super().display(field, value, reveal)


@field_type_class("date")
class Date(FieldType):
    label, icon = "日期", "◷"
    input_format = "%Y-%m-%d"
    json_format = "date"
    html_widget = "DateInput"

    def value_schema(self, field, strict):
        return {"type": "string", "format": self.json_format}

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms import widgets
        return wtforms.StringField(widget=getattr(widgets, self.html_widget)(), **common_kwargs(field, ctx))

    def parse(self, field, values):
        """Normalised text when the browser sent a valid value, else the raw text."""
        return normalise_datetime(_first(values), self.input_format) or None

    def normalise(self, field, value):
        return normalise_datetime(value, self.input_format) if isinstance(value, str) else value


def normalise_datetime(raw: str, fmt: str) -> str:
    """``raw`` in ``fmt`` when it parses (with seconds, or a space for the T), else ``raw``."""
    if not raw:
        return raw
    candidates = (raw, raw.replace(" ", "T", 1)) if "T" in fmt else (raw,)
    for text in candidates:
        for pattern in (fmt, fmt + ":%S"):
            try:
                return datetime.strptime(text, pattern).strftime(fmt)
            except ValueError:
                continue
    return raw


@field_type_class("datetime")
class DateTime(Date):
    label, icon = "日期时间", "◴"
    input_format = "%Y-%m-%dT%H:%M"
    json_format = "date-time"
    html_widget = "DateTimeLocalInput"

    def display(self, field, value, reveal=True):
        return super().display(field, value, reveal).replace("T", " ")


class _Choice(FieldType):
    group = "选择"
    keys = {"options": None}
    required_keys = ("options",)

    def value_schema(self, field, strict):
        return {"type": "string", "enum": list(field.options)}

    def choices(self, field, ctx):
        from wtforms.fields.choices import SelectChoice
        return [SelectChoice(o, o) for o in field.options]


@field_type_class("select")
class Select(_Choice):
    label, icon = "下拉选择", "▾"

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms.fields.choices import SelectChoice
        return wtforms.SelectField(choices=[SelectChoice("", "请选择")] + self.choices(field, ctx),
                                   validate_choice=False, **common_kwargs(field, ctx))


@field_type_class("radio")
class Radio(_Choice):
    label, icon = "单选", "◉"
    widget = "choices"

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.RadioField(choices=self.choices(field, ctx), validate_choice=False,
                                  **common_kwargs(field, ctx))


@field_type_class("checkboxes")
class Checkboxes(_Choice):
    label, icon = "多选", "☑"
    widget = "choices"

    def value_schema(self, field, strict):
        core = {"type": "array", "items": {"enum": list(field.options)}, "uniqueItems": True}
        return dict(core, minItems=1) if strict else core

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms import widgets
        return wtforms.SelectMultipleField(
            choices=self.choices(field, ctx), validate_choice=False,
            widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
            **common_kwargs(field, ctx, default=field.default or []))

    def parse(self, field, values):
        picked = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        return list(dict.fromkeys(picked))

    def display(self, field, value, reveal=True):
        return "、".join(str(v) for v in value or [])


@field_type_class("agree")
class Agree(FieldType):
    label, icon, group = "同意声明", "✔", "选择"
    widget = "agree"
    in_rows = False

    def value_schema(self, field, strict):
        return {"type": "boolean", "const": True} if strict else {"type": "boolean"}

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.BooleanField(**common_kwargs(field, ctx, default=bool(field.default)))

    def parse(self, field, values):
        return _first(values).lower() not in ("", "0", "false", "off", "n", "no")

    def is_empty(self, value):
        return value is None

    def display(self, field, value, reveal=True):
        return "☑ 已勾选同意" if value is True else "☐ 未勾选"


@field_type_class("file")
class File(FieldType):
    """Its value is a list of attachment tokens."""
    label, icon, group = "附件", "⇪", "人员与附件"
    keys = {"max_files": None, "max_size": None, "accept": None}
    in_rows = False
    widget = "file"
    unit = "个附件"
    ref_message = "附件无效或不属于申请人"

    def value_schema(self, field, strict):
        core = {"type": "array", "items": {"type": "string"}}
        if strict:
            core["minItems"] = 1
        if field.max_files:
            core["maxItems"] = field.max_files
        if field.max_size:
            core["x-max-size"] = field.max_size
        if field.accept:
            core["x-accept"] = list(field.accept)
        return core

    def wtf_field(self, field, ctx):
        from plugins.widgets import AttachmentsField
        return AttachmentsField(**common_kwargs(field, ctx, default=[], accept=",".join(field.accept) or None))

    def refs(self, value):
        return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []

    def missing_refs(self, refs, owners):
        from app.models import Attachment, User
        found = (Attachment.select(Attachment.token).join(User)
                 .where(Attachment.token.in_(list(refs)), User.username.in_(list(owners))))
        return set(refs) - {a.token for a in found}

    def value_labels(self, refs):
        from app.models import Attachment
        return dict(Attachment.select(Attachment.token, Attachment.filename)
                    .where(Attachment.token.in_(list(refs))).tuples())

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        """Kept tokens (``KEY-keep`` inputs, only those already stored) + new ``tokens[KEY]``."""
        stored = set(previous) if isinstance(previous, list) else set()
        kept = [t for t in formdata.getlist(key + "-keep") if t in stored]
        return list(dict.fromkeys(kept + list((tokens or {}).get(key, []))))

    def display(self, field, value, reveal=True):
        if not value:
            return ""
        names = self.value_labels(set(self.refs(value)))
        return "、".join(names.get(t, "(已删除的附件)") for t in value)


@field_type_class("user")
class UserField(FieldType):
    label, icon, group = "人员", "☺", "人员与附件"
    ref_message = "用户不存在"

    def refs(self, value):
        return [value] if isinstance(value, str) and value else []

    def missing_refs(self, refs, owners):
        from app.models import User
        return set(refs) - {u.username for u in User.select(User.username)
                            .where(User.username.in_(list(refs)))}

    def attrs(self, field):
        return {"autocomplete": "off", "placeholder": "工号/学号"}

    def display(self, field, value, reveal=True):
        from app.models import User
        if not value:
            return ""
        user = User.get_or_none(User.username == value)
        return f"{user.name}（{value}）" if user else str(value)


@field_type_class("department")
class DepartmentField(Select):
    label, icon, group = "部门", "▥", "人员与附件"
    keys = {}
    required_keys = ()
    ref_message = "部门不存在"
    refs = UserField.refs

    def value_schema(self, field, strict):
        return FieldType.value_schema(self, field, strict)

    def missing_refs(self, refs, owners):
        from app.models import Department
        return set(refs) - {d.name for d in Department.select(Department.name)
                            .where(Department.name.in_(list(refs)))}

    def choices(self, field, ctx):
        from wtforms.fields.choices import SelectChoice
        return [SelectChoice(d, d) for d in ctx.departments]


@field_type_class("rows")
class Rows(FieldType):
    """A repeating table; inputs are named ``name-INDEX-column`` (WTForms' FieldList)."""
    label, icon, group = "明细表", "▦", "布局"
    keys = {"min_rows": None, "max_rows": None, "columns": None}
    required_keys = ("columns",)
    in_rows = False
    widget = "rows"
    unit = "行"
    key_depth = 3

    def value_schema(self, field, strict):
        from app.defs.jsonschema_form import object_schema
        core = {"type": "array", "items": dict({"type": "object"}, **object_schema(field.columns))}
        low = max(field.min_rows or 0, 1 if strict else 0)
        if low:
            core["minItems"] = low
        if field.max_rows is not None:
            core["maxItems"] = field.max_rows
        return core

    def wtf_field(self, field, ctx):
        import wtforms
        row_form = ctx.row_forms[field.name]
        return wtforms.FieldList(wtforms.FormField(row_form), label=field.label,
                                 description=field.help, min_entries=max(field.min_rows or 1, 1),
                                 max_entries=field.max_rows)

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        old_rows = previous if isinstance(previous, list) else []
        return [self._row(field, formdata, f"{key}-{i}", tokens, old_rows, i)
                for i in self._indices(formdata, key)]

    @staticmethod
    def _indices(formdata, key):
        pattern = re.compile(re.escape(key) + r"-(\d+)-")
        found = {int(m.group(1)) for k in formdata.keys() if (m := pattern.match(k))}
        return sorted(found)

    @staticmethod
    def _row(field, formdata, prefix, tokens, old_rows, index):
        old = old_rows[index] if index < len(old_rows) and isinstance(old_rows[index], dict) else {}
        row = {}
        for col in field.columns:
            if col.readonly:
                value = old.get(col.name)
            else:
                value = field_type(col).from_formdata(col, formdata, f"{prefix}-{col.name}", tokens)
            if not field_type(col).is_empty(value):
                row[col.name] = value
        return row

    def is_empty(self, value):
        return value is None

    def display(self, field, value, reveal=True):
        """A list of rows, each a list of display texts in column order."""
        return [[field_type(c).display(c, (row or {}).get(c.name), reveal) for c in field.columns]
                for row in value or [] if isinstance(row, dict)]

    def export_value(self, field, value, reveal=True):
        return "\n".join(" / ".join(str(v) for v in row) for row in self.display(field, value, reveal))


@field_type_class("section")
class Section(FieldType):
    label, icon, group = "说明文字", "§", "布局"
    keys = {"text": None}
    in_rows = False
    is_input = False
    widget = "section"

    def wtf_field(self, field, ctx):
        return None

    def display(self, field, value, reveal=True):
        return field.text


import plugins.schema_fields  # noqa: E402,F401  (the JSON Schema constructs' types register too)
