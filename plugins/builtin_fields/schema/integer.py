"""整数（JSON Schema）: an integer or number property (a range slider with ``ui:widget``)."""
from __future__ import annotations

from plugins.builtin_fields.schema.base import SchemaType, coerce_number, hint
from plugins.fields import _first, common_kwargs, field_type_class


@field_type_class("integer")
class Integer(SchemaType):
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
        return coerce_number(_first(values), integer=True)
