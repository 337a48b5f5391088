"""Autofill sources fill a new form from the applicant's profile and the clock."""
from datetime import date, datetime

import pytest

from plugins.autofill import SOURCES, autofill, semester_start_for, teaching_week, week_range
from plugins.registry import RegistryError
from tests.forms import fresh_db, make_user, sample_form

NOW = datetime(2019, 12, 3, 9, 5)


@pytest.fixture
def alice(tmp_path):
    fresh_db(tmp_path)
    return make_user("alice", department="网络信息中心", name="Alice", phone="123", email="a@x.cn")


def test_user_sources(alice):
    got = {name: SOURCES.get(name)(alice, NOW) for name in
           ("user.name", "user.username", "user.department", "user.phone", "user.email", "user.type")}
    assert got == {"user.name": "Alice", "user.username": "alice", "user.department": "网络信息中心",
                   "user.phone": "123", "user.email": "a@x.cn", "user.type": "教职工"}


def test_clock_sources():
    assert SOURCES.get("today")(None, NOW) == "2019-12-03"
    assert SOURCES.get("now")(None, NOW) == "2019-12-03T09:05"


def test_semester_start():
    assert semester_start_for(date(2019, 12, 3)) == date(2019, 9, 1)
    assert semester_start_for(date(2020, 1, 10)) == date(2019, 9, 1)
    assert semester_start_for(date(2020, 2, 20)) == date(2020, 2, 20)
    assert semester_start_for(date(2020, 8, 31)) == date(2020, 2, 20)


def test_week_range():
    assert teaching_week(date(2019, 9, 1)) == 1
    assert teaching_week(date(2019, 9, 8)) == 2
    assert week_range(None, NOW) == "14周-15周"
    assert week_range(None, NOW, semester_start=date(2019, 8, 26)) == "15周-16周"


def test_autofill_fills_only_fields_with_a_source(alice):
    form = sample_form(fields=[
        {"name": "unit", "type": "text", "autofill": "user.department", "readonly": True},
        {"name": "weeks", "type": "text", "autofill": "week.range"},
        {"name": "date", "type": "date", "autofill": "today"},
        {"name": "other", "type": "text"},
    ])
    assert autofill(form, alice, NOW, semester_start=date(2019, 8, 26)) == {
        "unit": "网络信息中心", "weeks": "15周-16周", "date": "2019-12-03"}


def test_registry_refuses_duplicates():
    with pytest.raises(RegistryError):
        SOURCES.register("today", lambda user, now: "")
