"""说明文字: text between the fields; not an input."""
from __future__ import annotations

from plugins.fields import FieldType, field_type_class


@field_type_class("section")
class Section(FieldType):
    label, icon, group = "说明文字", "§", "布局"
    keys = {"text": None}
    in_rows = False
    is_input = False
    widget = "section"

    def wtf_field(self, field, ctx):
        return None

    def display(self, field, value, reveal=True):
        return field.text
