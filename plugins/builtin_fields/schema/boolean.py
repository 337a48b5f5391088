"""是/否: a boolean property."""
from __future__ import annotations

from plugins.builtin_fields.agree import Agree
from plugins.builtin_fields.schema.base import SchemaType
from plugins.fields import field_type_class


@field_type_class("boolean")
class Boolean(SchemaType):
    """A yes/no checkbox: unticked is ``false`` (an agreement is ``agree``, for const: true)."""
    label, icon = "是/否", "☐"
    widget = "agree"
    wtf_field, parse, is_empty = Agree.wtf_field, Agree.parse, Agree.is_empty

    def display(self, field, value, reveal=True):
        return {True: "是", False: "否"}.get(value, "") if isinstance(value, bool) else ""
