"""固定项: an array with fixed positions (``prefixItems``), each position a sub-field."""
from __future__ import annotations

from plugins.builtin_fields.schema.base import NestedBase
from plugins.fields import field_type_class


@field_type_class("tuple")
class Tuple(NestedBase):
    """``prefixItems`` / array-form ``items``: fixed positions (sub-fields named 0, 1, …)."""
    label, icon = "固定项", "⋯"

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        previous = previous if isinstance(previous, list) else []
        got = self.values(field, formdata, key, tokens, {str(i): v for i, v in enumerate(previous)})
        out = []
        for col in field.columns:
            if col.name not in got:
                break
            out.append(got[col.name])
        return out

    def display(self, field, value, reveal=True):
        if not isinstance(value, list) or not value:
            return []
        return [self.cells(field, {str(i): v for i, v in enumerate(value)}, reveal)]
