"""The period picker: 本周 / 本月 / 本学期 / 自定义, as a Window of China-local days."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from app.stats.figures import CHINA, Window
from plugins.autofill import semester_start_for

PERIODS = {"week": _l("本周"), "month": _l("本月"), "semester": _l("本学期"), "custom": _l("自定义")}
DEFAULT_PERIOD = "semester"
MAX_DAYS = 3 * 366


class BadPeriod(ValueError):
    """Carries per-field messages for a 422 (or a message on the page)."""

    def __init__(self, fields: dict):
        super().__init__("; ".join(m for ms in fields.values() for m in ms))
        self.fields = fields


def today_local(now: datetime | None = None) -> date:
    from app.models import utcnow
    moment = now or utcnow()
    return (moment + timedelta(hours=8)).date() if moment.tzinfo is None else moment.astimezone(CHINA).date()


def preset(period: str, today: date) -> Window:
    if period == "week":
        return Window(today - timedelta(days=today.weekday()), today)
    if period == "month":
        return Window(today.replace(day=1), today)
    return Window(semester_start_for(today), today)


def parse_day(name: str, text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadPeriod({name: ["日期格式应为 YYYY-MM-DD"]}) from None


def custom(start: str, end: str, today: date) -> Window:
    """from/to as YYYY-MM-DD; a missing ``to`` is today, a missing ``from`` 30 days before ``to``."""
    end_day = parse_day("to", end) if end else today
    start_day = parse_day("from", start) if start else end_day - timedelta(days=29)
    if start_day > end_day:
        raise BadPeriod({"from": ["开始日期不能晚于结束日期"]})
    if (end_day - start_day).days > MAX_DAYS:
        raise BadPeriod({"from": ["统计区间最长三年"]})
    return Window(start_day, end_day)
