"""预计时限 with Chinese units (SPEC §7.3): the format accepts them, due dates follow them."""
from datetime import datetime, timedelta

import pytest

from app.defs import DefinitionError, validate_text
from app.defs.model import format_duration
from app.defs.timelimit import due_date

BASE = """format: 1
id: sample
number: 1
name: 样例服务
category: 综合服务
department: 办公室
time_limit: {limit}
form:
  title: 样例表
  fields:
    - {{name: unit, label: 单位, type: text}}
steps:
  - {{id: fill, name: 填写, by: applicant}}
"""


@pytest.mark.parametrize("limit", ["3天", "2周", "48小时", "5个工作日", "48h", "14d", "2w"])
def test_the_format_accepts_chinese_and_short_units(limit):
    assert validate_text(BASE.format(limit=limit)).time_limit == limit


@pytest.mark.parametrize("limit", ["3 days", "三天", "5工作日", "2月", "-1d"])
def test_other_limits_are_refused(limit):
    with pytest.raises(DefinitionError, match="is not a duration"):
        validate_text(BASE.format(limit=limit))


# 2026-11-27 is a Friday; times are naive UTC as the engine stores them
FRIDAY_NOON_CHINA = datetime(2026, 11, 27, 4, 0)


@pytest.mark.parametrize("limit, due", [
    ("3天", FRIDAY_NOON_CHINA + timedelta(days=3)),
    ("2周", FRIDAY_NOON_CHINA + timedelta(weeks=2)),
    ("48小时", FRIDAY_NOON_CHINA + timedelta(hours=48)),
    ("2d", FRIDAY_NOON_CHINA + timedelta(days=2)),
    ("1个工作日", datetime(2026, 11, 30, 4, 0)),           # Friday → Monday
    ("5个工作日", datetime(2026, 12, 4, 4, 0)),            # Friday → next Friday
    ("6个工作日", datetime(2026, 12, 7, 4, 0)),            # … → the Monday after
])
def test_due_dates(limit, due):
    assert due_date(FRIDAY_NOON_CHINA, limit) == due


def test_working_days_count_in_china_time():
    friday_evening_utc = datetime(2026, 11, 27, 18, 0)     # already Saturday 02:00 in China
    assert due_date(friday_evening_utc, "1个工作日") == datetime(2026, 11, 29, 18, 0)   # Monday 02:00 China
    assert due_date(FRIDAY_NOON_CHINA, None) is None


def test_the_guide_shows_limits_in_chinese():
    assert [format_duration(x) for x in ("14d", "3天", "5个工作日", "48h", None)] == \
        ["14天", "3天", "5个工作日", "48小时", ""]


def test_an_instance_is_due_five_working_days_after_submission(app, user, monkeypatch):
    from app.engine import core
    from app.defs.store import import_text
    from app.models import Instance
    text = BASE.format(limit="5个工作日").replace("id: sample", "id: wd-sample").replace("number: 1", "number: 7001")
    with app.app_context():
        service, _, _ = import_text(text, "wd-sample.yaml", None)
        monkeypatch.setattr(core, "utcnow", lambda: FRIDAY_NOON_CHINA)
        instance = core.start(service, user("t2001"), {"unit": "宣传部"}, submit=True)
        assert Instance.get_by_id(instance.id).due == datetime(2026, 12, 4, 4, 0)
