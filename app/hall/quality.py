"""The quality loop on the home page: 热门服务 and 推荐服务 chosen by data when an admin says so.

Setting ``hall.ranking`` (HallSetting): ``"starts"`` (the default: 热门 = most started in 30
days, 推荐 = the definitions' ``recommended: true``) or ``"quality"``:
- 热门: started in the last 30 days, ranked by starts × quality, where quality is the
  rating (smoothed towards 3.5 stars by 5 pseudo-ratings, over 5) times timeliness (1 when
  the median time to complete is within the service's time limit, else limit / median);
- 推荐: services with at least 3 ratings averaging 4 stars or more whose p90 time to
  complete is within their time limit, best rated first; the definitions' choice when
  none qualifies.
Figures come from app.stats over the last 90 days and are kept for 5 minutes.
"""
from __future__ import annotations

import time as clock
from datetime import timedelta

from app.hall import catalog
from app.models import Service, utcnow
from app.models.hall import HallSetting

RANKINGS = {"starts": "按发起量（默认）", "quality": "按办理质量（用时与评分）"}
PRIOR_STARS, PRIOR_WEIGHT = 3.5, 5
RECOMMEND_MIN_RATINGS, RECOMMEND_MIN_STARS = 3, 4.0
QUALITY_DAYS, CACHE_SECONDS = 90, 300
_cache: dict = {}


def ranking() -> str:
    row = HallSetting.get_or_none(HallSetting.key == "hall.ranking")
    value = row.value if row else None
    return value if value in RANKINGS else "starts"


def set_ranking(value: str) -> None:
    if value not in RANKINGS:
        raise ValueError(value)
    (HallSetting.insert(key="hall.ranking", value=value, updated=utcnow())
     .on_conflict(conflict_target=[HallSetting.key],
                  update={HallSetting.value: value, HallSetting.updated: utcnow()}).execute())
    _cache.clear()


def quality_figures() -> dict:
    """{service id: figures dict} over the last 90 days, cached per database for 5 minutes."""
    from app.db import db
    from app.stats.figures import Scope, Window, figures
    from app.stats.periods import today_local
    key = id(db.obj), getattr(db.obj, "database", None)
    hit = _cache.get(key)
    if hit and clock.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    today = today_local()
    fig = figures(Scope(), Window(today - timedelta(days=QUALITY_DAYS - 1), today), detail=False, steps=False)
    slugs = {s.slug: s.id for s in Service.select(Service.id, Service.slug)}
    result = {slugs[s["id"]]: s for s in fig.services if s["id"] in slugs}
    _cache[key] = (clock.monotonic(), result)
    return result


def quality_score(s: dict) -> float:
    count, average = s["rating"]["count"], s["rating"]["average"] or 0
    stars = (average * count + PRIOR_STARS * PRIOR_WEIGHT) / (count + PRIOR_WEIGHT)
    timeliness = 1.0
    limit, median = s.get("time_limit_hours"), s["hours_to_complete"]["median"]
    if limit and median and median > limit:
        timeliness = limit / median
    return stars / 5 * timeliness


def hot_services() -> list:
    hot = catalog.hot_services(limit=catalog.HOT_LIMIT * 3 if ranking() == "quality" else catalog.HOT_LIMIT)
    if ranking() != "quality":
        return hot
    figures = quality_figures()

    def score(service):
        s = figures.get(service.id)
        return service.started * (quality_score(s) if s else PRIOR_STARS / 5)
    return sorted(hot, key=lambda svc: (-score(svc), svc.number))[:catalog.HOT_LIMIT]


def recommended_services() -> list:
    chosen = list(catalog.catalog_query().where(Service.recommended == True))  # noqa: E712
    if ranking() != "quality":
        return chosen
    figures = quality_figures()
    good = []
    for sid, s in figures.items():
        rating, p90, limit = s["rating"], s["hours_to_complete"]["p90"], s.get("time_limit_hours")
        if rating["count"] >= RECOMMEND_MIN_RATINGS and (rating["average"] or 0) >= RECOMMEND_MIN_STARS \
                and not (limit and p90 and p90 > limit):
            good.append((-(rating["average"] or 0), -rating["count"], sid))
    if not good:
        return chosen
    ids = [sid for *_, sid in sorted(good)][:catalog.HOT_LIMIT]
    rows = {s.id: s for s in catalog.catalog_query().where(Service.id.in_(ids))}
    return [rows[i] for i in ids if i in rows]
