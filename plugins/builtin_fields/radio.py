"""单选: one of ``options``, all shown as radio buttons."""
from __future__ import annotations

from plugins.builtin_fields.base import ChoiceBase
from plugins.fields import common_kwargs, field_type_class


@field_type_class("radio")
class Radio(ChoiceBase):
    label, icon = "单选", "◉"
    widget = "choices"

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.RadioField(choices=self.choices(field, ctx), validate_choice=False,
                                  **common_kwargs(field, ctx))
