"""金额: a number of cents precision, shown with its ``unit``."""
from __future__ import annotations

from plugins.builtin_fields.base import NumberBase
from plugins.fields import field_type_class


@field_type_class("money")
class Money(NumberBase):
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
