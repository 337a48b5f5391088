"""单行文本: one line of text, with a length limit even when the definition sets none."""
from __future__ import annotations

from plugins.fields import FieldType, field_type_class

# A text field without max_length still has a limit: a 600,000-character value must not
# reach a print or an export. The counter shows only for an explicit max_length.
DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 5000}


@field_type_class("text")
class Text(FieldType):
    label, icon = "单行文本", "✎"
    keys = {"max_length": None, "pattern": None}

    def max_length(self, field) -> int:
        return field.max_length or DEFAULT_MAX_LENGTH.get(self.name, 500)

    def value_schema(self, field, strict):
        core = super().value_schema(field, strict)
        if field.max_length:
            core["maxLength"] = field.max_length
        if field.pattern:
            core["pattern"] = field.pattern
        return core

    def validate(self, field, value):
        """The default limit (an explicit ``max_length`` is in the schema, and exported)."""
        limit = self.max_length(field)
        if isinstance(value, str) and not field.max_length and len(value) > limit:
            return [f"最多可输入{limit}个字"]
        return []

    def attrs(self, field):
        return {"maxlength": self.max_length(field)}
