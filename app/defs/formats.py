"""The one format checker for form data: definition defaults and submitted values agree.

Dates are ``YYYY-MM-DD``. Date-times are local, as datetime-local inputs send them:
``YYYY-MM-DDTHH:MM`` — a space for the ``T`` and seconds are accepted too (field types
normalise what they store to the ``T`` form).
"""
from __future__ import annotations

import re
from datetime import date, datetime

from jsonschema import FormatChecker

FORMATS = FormatChecker(formats=())
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")


@FORMATS.checks("date", raises=ValueError)
def is_date(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_DATE.match(value)) and bool(date.fromisoformat(value))


@FORMATS.checks("date-time", raises=ValueError)
def is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_DATETIME.match(value)) and bool(datetime.fromisoformat(value.replace(" ", "T")))
