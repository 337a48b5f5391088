"""多行文本: text over several lines (line breaks kept as ``\\n``)."""
from __future__ import annotations

from plugins.builtin_fields.text import Text
from plugins.fields import _first, common_kwargs, field_type_class


@field_type_class("textarea")
class Textarea(Text):
    label, icon = "多行文本", "¶"
    keys = {"max_length": None}
    widget = "textarea"

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.TextAreaField(**common_kwargs(field, ctx, **self.attrs(field), rows=3))

    def parse(self, field, values):
        text = _first(values).replace("\r\n", "\n")
        return text or None
