"""多选: any of ``options`` (a list of them), as checkboxes."""
from __future__ import annotations

from plugins.builtin_fields.base import ChoiceBase
from plugins.fields import common_kwargs, field_type_class


@field_type_class("checkboxes")
class Checkboxes(ChoiceBase):
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
