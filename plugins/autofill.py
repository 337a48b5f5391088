"""Autofill sources: a field's ``autofill: NAME`` is filled from ``SOURCES.get(NAME)(user, now)``."""
from __future__ import annotations

from datetime import date, datetime
from functools import partial

from app.defs.model import AUDIENCE_LABELS
from plugins.registry import Registry

SOURCES = Registry("autofill source")


def _attr(name, user, now):
    return (getattr(user, name, None) or "") if user is not None else ""


for _name in ("name", "username", "phone", "email"):
    SOURCES.register(f"user.{_name}", partial(_attr, _name), owner=__name__)


@SOURCES.register("user.department")
def user_department(user, now):
    return user.department_name if user is not None else ""


@SOURCES.register("user.type")
def user_type(user, now):
    kind = getattr(user, "type", "") or ""
    return AUDIENCE_LABELS.get(kind, kind)


@SOURCES.register("today")
def today(user, now):
    return now.strftime("%Y-%m-%d")


@SOURCES.register("now")
def now_(user, now):
    return now.strftime("%Y-%m-%dT%H:%M")


def semester_start_for(day: date) -> date:
    """The most recent Sept 1 or Feb 20 on or before ``day``."""
    candidates = [date(day.year, 9, 1), date(day.year, 2, 20), date(day.year - 1, 9, 1)]
    return max(c for c in candidates if c <= day)


def teaching_week(day: date, semester_start: date | None = None) -> int:
    start = semester_start or semester_start_for(day)
    return max((day - start).days // 7 + 1, 1)


def week_range(user, now, semester_start: date | None = None):
    """This teaching week and the next, e.g. 15周-16周."""
    week = teaching_week(_as_date(now), semester_start)
    return f"{week}周-{week + 1}周"


SOURCES.register("week.range", week_range)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def autofill(form, user, now: datetime, semester_start: date | None = None) -> dict:
    """Values for every field of ``form`` that names an autofill source."""
    values = {}
    for field in form.input_fields():
        if not field.autofill:
            continue
        source = SOURCES.get(field.autofill)
        if source is week_range:
            values[field.name] = week_range(user, now, semester_start)
        else:
            values[field.name] = source(user, now)
    return values
