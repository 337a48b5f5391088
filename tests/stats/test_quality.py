"""The quality loop: 热门服务 / 推荐服务 by completion time and rating when the admin chooses."""
from datetime import timedelta

import pytest

from app.hall import quality
from app.models import Service, utcnow
from tests.stats import history


@pytest.fixture
def recent(app):
    """network-repair: 4 starts, 100 h each (limit 48 h), rated 1; feedback: 3 starts, 1 h, rated 5, 5, 4."""
    with app.app_context():
        from app.db import db
        db.connect(reuse_if_open=True)
        quality._cache.clear()
        at = utcnow() - timedelta(days=10)
        for i in range(4):
            history.rate(history.instance("network-repair", "completed", at + timedelta(hours=i),
                                          hours=100), 1)
        for i, stars in enumerate((5, 5, 4)):
            history.rate(history.instance("feedback", "completed", at + timedelta(hours=i), hours=1,
                                          applicant="s2023001"), stars)
    yield
    quality._cache.clear()


def slugs(services):
    return [s.slug for s in services]


def test_by_starts_unless_the_admin_chooses_quality(app, recent):
    with app.app_context():
        assert quality.ranking() == "starts"
        assert slugs(quality.hot_services())[:2] == ["network-repair", "feedback"]
        defined = slugs(Service.select().where(Service.recommended == True).order_by(Service.number))  # noqa: E712
        assert slugs(quality.recommended_services()) == defined
        quality.set_ranking("quality")
        assert slugs(quality.hot_services())[:2] == ["feedback", "network-repair"]
        assert slugs(quality.recommended_services()) == ["feedback"]


def test_quality_score_weighs_rating_and_time():
    fast_good = {"rating": {"average": 5.0, "count": 10}, "hours_to_complete": {"median": 5.0},
                 "time_limit_hours": 48.0}
    slow_bad = {"rating": {"average": 1.0, "count": 10}, "hours_to_complete": {"median": 96.0},
                "time_limit_hours": 48.0}
    unrated = {"rating": {"average": None, "count": 0}, "hours_to_complete": {"median": None},
               "time_limit_hours": None}
    assert quality.quality_score(fast_good) > quality.quality_score(unrated) > quality.quality_score(slow_bad)
    assert quality.quality_score(unrated) == pytest.approx(0.7)
    assert quality.quality_score(slow_bad) == pytest.approx((10 + 17.5) / 15 / 5 * 0.5)


def test_the_setting_is_an_admins_choice(login_as, app, recent):
    assert login_as("t1001").post("/stats/settings", data={"ranking": "quality"}).status_code == 403
    admin = login_as("admin")
    assert admin.post("/stats/settings", data={"ranking": "bogus"}).status_code == 422
    assert admin.post("/stats/settings", data={"ranking": "quality"}).status_code == 302
    with app.app_context():
        assert quality.ranking() == "quality"
    home = admin.get("/").get_data(as_text=True)
    hot = home[home.index("热门服务"):]
    assert hot.index("办事大厅意见建议反馈") < hot.index("网络及多媒体故障报修")
