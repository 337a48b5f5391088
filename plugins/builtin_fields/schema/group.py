"""分组: a nested object, its properties drawn as one fieldset."""
from __future__ import annotations

from plugins.builtin_fields.schema.base import NestedBase
from plugins.fields import field_type_class


@field_type_class("group")
class Group(NestedBase):
    label, icon = "分组", "▣"

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        return self.values(field, formdata, key, tokens, previous)

    def display(self, field, value, reveal=True):
        return [self.cells(field, value, reveal)] if isinstance(value, dict) and value else []
