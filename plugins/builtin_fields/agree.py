"""同意声明: a checkbox that must be ticked when the field is required."""
from __future__ import annotations

from plugins.fields import FieldType, _first, common_kwargs, field_type_class


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
