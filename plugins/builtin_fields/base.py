"""What several built-in field types extend: a number input, a choice among ``options``."""
from __future__ import annotations

import re

from plugins.fields import FieldType, _first, common_kwargs


class NumberBase(FieldType):
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


class ChoiceBase(FieldType):
    group = "选择"
    keys = {"options": None}
    required_keys = ("options",)

    def value_schema(self, field, strict):
        return {"type": "string", "enum": list(field.options)}

    def choices(self, field, ctx):
        from wtforms.fields.choices import SelectChoice
        return [SelectChoice(o, o) for o in field.options]
