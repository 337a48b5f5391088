"""明细表: a repeating table whose columns are fields themselves."""
from __future__ import annotations

import re

from plugins.fields import FieldType, field_type, field_type_class


@field_type_class("rows")
class Rows(FieldType):
    """A repeating table; inputs are named ``name-INDEX-column`` (WTForms' FieldList)."""
    label, icon, group = "明细表", "▦", "布局"
    keys = {"min_rows": None, "max_rows": None, "columns": None}
    required_keys = ("columns",)
    in_rows = False
    widget = "rows"
    unit = "行"
    key_depth = 3

    def value_schema(self, field, strict):
        from app.defs.jsonschema_form import object_schema
        core = {"type": "array", "items": dict({"type": "object"}, **object_schema(field.columns))}
        low = max(field.min_rows or 0, 1 if strict else 0)
        if low:
            core["minItems"] = low
        if field.max_rows is not None:
            core["maxItems"] = field.max_rows
        return core

    def wtf_field(self, field, ctx):
        import wtforms
        row_form = ctx.row_forms[field.name]
        return wtforms.FieldList(wtforms.FormField(row_form), label=field.label,
                                 description=field.help, min_entries=max(field.min_rows or 1, 1),
                                 max_entries=field.max_rows)

    def from_formdata(self, field, formdata, key, tokens=None, previous=None):
        old_rows = previous if isinstance(previous, list) else []
        return [self._row(field, formdata, f"{key}-{i}", tokens, old_rows, i)
                for i in self._indices(formdata, key)]

    @staticmethod
    def _indices(formdata, key):
        pattern = re.compile(re.escape(key) + r"-(\d+)-")
        found = {int(m.group(1)) for k in formdata.keys() if (m := pattern.match(k))}
        return sorted(found)

    @staticmethod
    def _row(field, formdata, prefix, tokens, old_rows, index):
        old = old_rows[index] if index < len(old_rows) and isinstance(old_rows[index], dict) else {}
        row = {}
        for col in field.columns:
            if col.readonly:
                value = old.get(col.name)
            else:
                value = field_type(col).from_formdata(col, formdata, f"{prefix}-{col.name}", tokens)
            if not field_type(col).is_empty(value):
                row[col.name] = value
        return row

    def is_empty(self, value):
        return value is None

    def display(self, field, value, reveal=True):
        """A list of rows, each a list of display texts in column order."""
        return [[field_type(c).display(c, (row or {}).get(c.name), reveal) for c in field.columns]
                for row in value or [] if isinstance(row, dict)]

    def export_value(self, field, value, reveal=True):
        return "\n".join(" / ".join(str(v) for v in row) for row in self.display(field, value, reveal))
