"""多选（JSON Schema）: an array of ``enum`` items, as checkboxes."""
from __future__ import annotations

from plugins.builtin_fields.schema.base import choice_label
from plugins.builtin_fields.schema.choice import Choice, JsonMulti
from plugins.fields import common_kwargs, field_type_class


@field_type_class("multichoice")
class MultiChoice(Choice):
    label, icon = "多选（JSON Schema）", "☑"
    widget = "choices"
    unit = "项"

    def widget_for(self, field):
        return "choices"

    def wtf_field(self, field, ctx):
        from wtforms import widgets
        return JsonMulti(choices=self.choices(field), validate_choice=False,
                         widget=widgets.ListWidget(prefix_label=False),
                         option_widget=widgets.CheckboxInput(),
                         **common_kwargs(field, ctx, default=field.default or []))

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        return [self.parse(field, [v]) for v in dict.fromkeys(formdata.getlist(key)) if v != ""]

    def is_empty(self, value):
        return value is None or value == []

    def display(self, field, value, reveal=True):
        return "、".join(choice_label(field, v) for v in value or []) if isinstance(value, list) else ""
