"""日期时间: a date and a time of day, stored as ``YYYY-MM-DDTHH:MM``."""
from __future__ import annotations

from plugins.builtin_fields.date import Date
from plugins.fields import field_type_class


@field_type_class("datetime")
class DateTime(Date):
    label, icon = "日期时间", "◴"
    input_format = "%Y-%m-%dT%H:%M"
    json_format = "date-time"
    html_widget = "DateTimeLocalInput"

    def display(self, field, value, reveal=True):
        return super().display(field, value, reveal).replace("T", " ")
