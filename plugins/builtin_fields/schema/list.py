"""列表: an array of strings or numbers, one input per item."""
from __future__ import annotations

import re

from plugins.builtin_fields.schema.base import SchemaType, coerce_number, hint, to_rfc3339
from plugins.fields import _first, common_kwargs, field_type_class


@field_type_class("list")
class ItemList(SchemaType):
    """An array of strings or numbers: one input per item, 新增 / 删除 (inputs ``name-INDEX``)."""
    label, icon = "列表", "≡"
    widget = "list"
    unit = "项"
    in_rows = False

    def wtf_field(self, field, ctx):
        import wtforms
        return wtforms.Field(**common_kwargs(field, ctx, default=field.default or []))

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        pattern = re.compile(re.escape(key) + r"-(\d+)$")
        found = sorted((int(m.group(1)), k) for k in formdata.keys() if (m := pattern.match(k)))
        values = []
        for _, k in found:
            raw = _first(formdata.getlist(k))
            if raw == "":
                continue
            if hint(field, "item") in ("number", "integer"):
                values.append(coerce_number(raw, hint(field, "item") == "integer"))
            else:
                values.append(to_rfc3339(hint(field, "format"), raw))
        return values

    def is_empty(self, value):
        return value is None or value == []

    def display(self, field, value, reveal=True):
        return "、".join(str(v) for v in value) if isinstance(value, list) else ""
