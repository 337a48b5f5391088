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


# ---------------------------------------------------------------- formats of schema-defined forms
# The standard's formats (RFC 3339, RFC 5321, RFC 3986…), checked whatever optional libraries
# are installed; a format not listed here is an annotation, as the standard says.

SCHEMA_FORMATS = FormatChecker(formats=())
_RFC_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$")
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


def _text(check):
    """Non-strings pass (``type`` judges them), as the standard's format rules say."""
    def wrapped(value):
        return True if not isinstance(value, str) else bool(check(value))
    return wrapped


def _rfc_time(value):
    m = _RFC_TIME.match(value)
    if not m:
        return False
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return hour < 24 and minute < 60 and second < 61


def _rfc_datetime(value):
    head, sep, tail = value.partition("T") if "T" in value else value.partition("t")
    if not sep or not _DATE.match(head):
        return False
    date.fromisoformat(head)
    return _rfc_time(tail)


def _hostname(value):
    labels = value.rstrip(".").split(".")
    return len(value) <= 253 and all(_HOST_LABEL.match(part) for part in labels)


def _ip(version):
    import ipaddress
    kind = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address
    return lambda value: bool(kind(value)) and "%" not in value


def _uuid(value):
    import uuid
    return len(value) == 36 and value.count("-") == 4 and bool(uuid.UUID(value))


for _name, _check in {
    "date": lambda v: bool(_DATE.match(v)) and bool(date.fromisoformat(v)),
    "time": _rfc_time, "date-time": _rfc_datetime,
    "email": lambda v: bool(_EMAIL.match(v)), "idn-email": lambda v: bool(_EMAIL.match(v)),
    "uri": lambda v: bool(_URI.match(v)), "hostname": _hostname,
    "ipv4": _ip(4), "ipv6": _ip(6), "uuid": _uuid,
}.items():
    SCHEMA_FORMATS.checks(_name, raises=ValueError)(_text(_check))
