import json
from datetime import date, datetime, time, timedelta, timezone

import peewee

from app.db import db


def utcnow() -> datetime:
    """Naive UTC timestamps everywhere in the database; pages convert for display."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


CHINA = timezone(timedelta(hours=8))


def day_start_utc(day: date) -> datetime:
    """The naive UTC moment a China Standard Time calendar day begins (for date filters)."""
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(timezone.utc).replace(tzinfo=None)


class JSONField(peewee.TextField):
    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(peewee.Model):
    class Meta:
        database = db
        legacy_table_names = False
