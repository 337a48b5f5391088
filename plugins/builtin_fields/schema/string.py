"""文本（JSON Schema）: a string property, its ``format`` choosing the browser's input."""
from __future__ import annotations

from plugins.builtin_fields.schema.base import SchemaType, hint, to_input, to_rfc3339
from plugins.fields import _first, common_kwargs, field_type_class

_INPUT = {"date": "date", "time": "time", "date-time": "datetime-local", "email": "email",
          "idn-email": "email", "uri": "url"}


@field_type_class("string")
class String(SchemaType):
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
