"""Field types: one small class per type of the definition format (SPEC §2).

Each type knows three things:
- ``wtf_field(field, ctx)``: the unbound WTForms field used to render it (``None`` for none);
- ``from_formdata(field, formdata, key, tokens, previous)``: the JSON value stored in
  instance data, from a form-encoded POST;
- ``display(field, value)``: the read-only text shown on pages and prints.

``widget`` names the macro of ``templates/forms/_macros.html`` that draws the field and
``unit`` is the counting noun used in 至少/最多 messages for list values.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from datetime import datetime

import wtforms
from wtforms import widgets
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value

from plugins.registry import Registry

FIELD_TYPES = Registry("field type")


def field_type(field):
    """The FieldType instance for a definition Field."""
    return FIELD_TYPES.get(field.type)


def field_type_class(name):
    """Class decorator: register one instance of the class as field type ``name``."""
    def register(cls):
        FIELD_TYPES.register(name, cls())
        return cls
    return register


@dataclass
class WidgetContext:
    """What building a WTForms field may need beyond the definition."""
    editable: bool = True
    departments: tuple = ()
    row_forms: dict = dc_field(default_factory=dict)


def _first(values):
    for v in values:
        if isinstance(v, str):
            return v.strip()
    return ""


def _common(field, ctx, default=None, **render):
    """Keyword arguments every WTForms field gets: label, help, default, HTML attributes."""
    render = {k: v for k, v in render.items() if v is not None}
    if not ctx.editable:
        render["disabled"] = True
    return {"label": field.label, "description": field.help, "render_kw": render,
            "default": field.default if default is None else default}


class FieldType:
    widget = "input"
    unit = "项"
    key_depth = 1           # error keys keep this many path parts: name, or name.index.column
    ref_message = ""

    def refs(self, value) -> list[str]:
        """Values naming things that must exist (users, departments, attachments)."""
        return []

    def missing_refs(self, refs: set[str], owners: set[str]) -> set[str]:
        return set()

    def value_labels(self, refs: set[str]) -> dict[str, str]:
        """Display names for stored references, e.g. attachment token → filename."""
        return {}

    def wtf_field(self, field, ctx):
        return wtforms.StringField(**_common(field, ctx, **self.attrs(field)))

    def attrs(self, field):
        return {}

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        return self.parse(field, formdata.getlist(key))

    def parse(self, field, values):
        return _first(values) or None

    def is_empty(self, value):
        return value is None or value == "" or value == []

    def display(self, field, value):
        return "" if value is None else str(value)


@field_type_class("text")
class Text(FieldType):
    def attrs(self, field):
        return {"maxlength": field.max_length}


@field_type_class("textarea")
class Textarea(Text):
    widget = "textarea"

    def wtf_field(self, field, ctx):
        return wtforms.TextAreaField(**_common(field, ctx, **self.attrs(field), rows=3))

    def parse(self, field, values):
        text = _first(values).replace("\r\n", "\n")
        return text or None


class _Number(FieldType):
    step = "any"

    def attrs(self, field):
        return {"step": self.step, "min": field.minimum, "max": field.maximum,
                "inputmode": "decimal"}

    def wtf_field(self, field, ctx):
        return wtforms.StringField(widget=widgets.NumberInput(),
                                   **_common(field, ctx, **self.attrs(field)))

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
    pass


@field_type_class("money")
class Money(_Number):
    step = "0.01"

    def coerce(self, raw):
        return round(super().coerce(raw) * 1.0, 2)

    def display(self, field, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:.2f}{field.unit or ''}"
        return super().display(field, value)


@field_type_class("date")
class Date(FieldType):
    input_format = "%Y-%m-%d"
    html_widget = widgets.DateInput

    def wtf_field(self, field, ctx):
        return wtforms.StringField(widget=self.html_widget(), **_common(field, ctx))

    def parse(self, field, values):
        """Normalised text when the browser sent a valid value, else the raw text."""
        raw = _first(values)
        if not raw:
            return None
        for fmt in (self.input_format, self.input_format + ":%S"):
            try:
                return datetime.strptime(raw, fmt).strftime(self.input_format)
            except ValueError:
                continue
        return raw


@field_type_class("datetime")
class DateTime(Date):
    input_format = "%Y-%m-%dT%H:%M"
    html_widget = widgets.DateTimeLocalInput

    def display(self, field, value):
        return super().display(field, value).replace("T", " ")


class _Choice(FieldType):
    def choices(self, field, ctx):
        return [SelectChoice(o, o) for o in field.options]


@field_type_class("select")
class Select(_Choice):
    def wtf_field(self, field, ctx):
        return wtforms.SelectField(choices=[SelectChoice("", "请选择")] + self.choices(field, ctx),
                                   validate_choice=False, **_common(field, ctx))


@field_type_class("radio")
class Radio(_Choice):
    widget = "choices"

    def wtf_field(self, field, ctx):
        return wtforms.RadioField(choices=self.choices(field, ctx), validate_choice=False,
                                  **_common(field, ctx))


@field_type_class("checkboxes")
class Checkboxes(_Choice):
    widget = "choices"

    def wtf_field(self, field, ctx):
        return wtforms.SelectMultipleField(
            choices=self.choices(field, ctx), validate_choice=False,
            widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
            **_common(field, ctx, default=field.default or []))

    def parse(self, field, values):
        picked = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        return list(dict.fromkeys(picked))

    def display(self, field, value):
        return "、".join(str(v) for v in value or [])


@field_type_class("agree")
class Agree(FieldType):
    widget = "agree"

    def wtf_field(self, field, ctx):
        return wtforms.BooleanField(**_common(field, ctx, default=bool(field.default)))

    def parse(self, field, values):
        return _first(values).lower() not in ("", "0", "false", "off", "n", "no")

    def is_empty(self, value):
        return value is None

    def display(self, field, value):
        return "☑ 已勾选同意" if value is True else "☐ 未勾选"


class AttachmentsField(wtforms.MultipleFileField):
    """Its data is the list of kept attachment tokens; a POST re-renders its ``-keep`` inputs.

    Uploaded files themselves are saved by ``app.attachments``, never by the form.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.data = [t for t in formdata.getlist(self.name + "-keep") if isinstance(t, str)]

    def process_formdata(self, valuelist):
        pass


@field_type_class("file")
class File(FieldType):
    """Its value is a list of attachment tokens."""
    widget = "file"
    unit = "个附件"

    ref_message = "附件无效或不属于申请人"

    def wtf_field(self, field, ctx):
        return AttachmentsField(**_common(field, ctx, default=[], accept=",".join(field.accept) or None))

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

    def display(self, field, value):
        if not value:
            return ""
        names = self.value_labels(set(self.refs(value)))
        return "、".join(names.get(t, "(已删除的附件)") for t in value)


@field_type_class("user")
class UserField(FieldType):
    ref_message = "用户不存在"

    def refs(self, value):
        return [value] if isinstance(value, str) and value else []

    def missing_refs(self, refs, owners):
        from app.models import User
        return set(refs) - {u.username for u in User.select(User.username)
                            .where(User.username.in_(list(refs)))}

    def attrs(self, field):
        return {"autocomplete": "off", "placeholder": "工号/学号"}

    def display(self, field, value):
        from app.models import User
        if not value:
            return ""
        user = User.get_or_none(User.username == value)
        return f"{user.name}（{value}）" if user else str(value)


@field_type_class("department")
class DepartmentField(Select):
    ref_message = "部门不存在"
    refs = UserField.refs

    def missing_refs(self, refs, owners):
        from app.models import Department
        return set(refs) - {d.name for d in Department.select(Department.name)
                            .where(Department.name.in_(list(refs)))}

    def choices(self, field, ctx):
        return [SelectChoice(d, d) for d in ctx.departments]


@field_type_class("rows")
class Rows(FieldType):
    """A repeating table; inputs are named ``name-INDEX-column`` (WTForms' FieldList)."""
    widget = "rows"
    unit = "行"
    key_depth = 3

    def wtf_field(self, field, ctx):
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

    def display(self, field, value):
        """A list of rows, each a list of display texts in column order."""
        return [[field_type(c).display(c, (row or {}).get(c.name)) for c in field.columns]
                for row in value or [] if isinstance(row, dict)]


@field_type_class("section")
class Section(FieldType):
    widget = "section"

    def wtf_field(self, field, ctx):
        return None

    def display(self, field, value):
        return field.text
