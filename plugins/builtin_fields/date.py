"""日期: a calendar date, stored as ``YYYY-MM-DD``."""
from __future__ import annotations

from datetime import datetime

from plugins.fields import FieldType, _first, common_kwargs, field_type_class


@field_type_class("date")
class Date(FieldType):
    label, icon = "日期", "◷"
    input_format = "%Y-%m-%d"
    json_format = "date"
    html_widget = "DateInput"

    def value_schema(self, field, strict):
        return {"type": "string", "format": self.json_format}

    def wtf_field(self, field, ctx):
        import wtforms
        from wtforms import widgets
        return wtforms.StringField(widget=getattr(widgets, self.html_widget)(), **common_kwargs(field, ctx))

    def parse(self, field, values):
        """Normalised text when the browser sent a valid value, else the raw text."""
        return normalise_datetime(_first(values), self.input_format) or None

    def normalise(self, field, value):
        return normalise_datetime(value, self.input_format) if isinstance(value, str) else value


def normalise_datetime(raw: str, fmt: str) -> str:
    """``raw`` in ``fmt`` when it parses (with seconds, or a space for the T), else ``raw``."""
    if not raw:
        return raw
    candidates = (raw, raw.replace(" ", "T", 1)) if "T" in fmt else (raw,)
    for text in candidates:
        for pattern in (fmt, fmt + ":%S"):
            try:
                return datetime.strptime(text, pattern).strftime(fmt)
            except ValueError:
                continue
    return raw
