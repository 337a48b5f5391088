"""下拉选择: one of ``options`` from a drop-down list."""
from __future__ import annotations

from plugins.builtin_fields.base import ChoiceBase
from plugins.fields import common_kwargs, field_type_class


@field_type_class("select")
class Select(ChoiceBase):
    label, icon = "下拉选择", "▾"

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms.fields.choices import SelectChoice
        return wtforms.SelectField(choices=[SelectChoice("", "请选择")] + self.choices(field, ctx),
                                   validate_choice=False, **common_kwargs(field, ctx))
