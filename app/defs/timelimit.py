"""预计时限: ``Nh | Nd | Nw`` or ``N小时 | N天 | N周 | N个工作日`` → each instance's due date.

Working days skip Saturdays and Sundays, counted in China time (a submission on Friday
evening UTC is already Saturday in Jinan). Public holidays are not known here.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))
PATTERN = re.compile(r"^(\d{1,4})([hdw]|小时|天|周|个工作日)$")
WORKING_DAYS = "个工作日"
_UNITS = {"h": "hours", "d": "days", "w": "weeks", "小时": "hours", "天": "days", "周": "weeks"}
_WORDS = {"h": "小时", "d": "天", "w": "周"}


def parse(text: str | None) -> tuple[int, str] | None:
    """'3天' → (3, '天'); None for an empty limit; ValueError for anything else."""
    if not text:
        return None
    m = PATTERN.match(text.strip())
    if not m:
        raise ValueError(f"invalid duration {text!r} (use Nh, Nd, Nw, N小时, N天, N周 or N个工作日)")
    return int(m.group(1)), m.group(2)


def delta(text: str | None) -> timedelta | None:
    """The limit as a fixed length; None when empty or counted in working days."""
    parsed = parse(text)
    if parsed is None or parsed[1] == WORKING_DAYS:
        return None
    return timedelta(**{_UNITS[parsed[1]]: parsed[0]})


def add_working_days(start: datetime, days: int) -> datetime:
    """``days`` Monday-to-Friday days after ``start`` (China time), at the same time of day."""
    aware = start.tzinfo is not None
    local = (start if aware else start.replace(tzinfo=timezone.utc)).astimezone(CHINA)
    while days > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    out = local.astimezone(start.tzinfo or timezone.utc)
    return out if aware else out.replace(tzinfo=None)


def due_date(start: datetime, time_limit: str | None) -> datetime | None:
    """When an instance submitted at ``start`` is due (naive UTC in, naive UTC out)."""
    parsed = parse(time_limit)
    if parsed is None:
        return None
    if parsed[1] == WORKING_DAYS:
        return add_working_days(start, parsed[0])
    return start + delta(time_limit)


def format_limit(text: str | None) -> str:
    """14d → 14天, 2w → 2周, 48h → 48小时; Chinese limits as written."""
    try:
        parsed = parse(text)
    except ValueError:
        return text or ""
    if parsed is None:
        return ""
    return f"{parsed[0]}{_WORDS.get(parsed[1], parsed[1])}"
