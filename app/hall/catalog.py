"""The catalog's read side: filters, their counts, hot services, ratings and favourites.

Every function here answers with a fixed number of queries, whatever the number of
services shown: counts are grouped queries, never a query per tile.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, replace
from datetime import timedelta

from peewee import Case, fn

from app.defs.model import AUDIENCES
from app.models import Instance, Service, utcnow
from app.models.hall import Favorite, Rating
from app.web.urls import bounded_int

LETTERS = tuple(string.ascii_uppercase)
CATALOG_PAGE_SIZE = 12
HOT_DAYS = 30
HOT_LIMIT = 8


def catalog_query(q="", category=None):
    """Enabled services matching a keyword (name, keywords, department, pinyin initials)."""
    query = Service.select().where(Service.enabled == True)  # noqa: E712
    q = (q or "").strip()
    if q:
        query = query.where(Service.name.contains(q) | Service.keywords.contains(q) |
                            Service.department.contains(q) | Service.initials.contains(q.lower()))
    if category:
        query = query.where(Service.category == category)
    return query.order_by(Service.number)


@dataclass(frozen=True)
class Filters:
    """The service center's combinable filters, read from the query string."""
    q: str = ""
    audience: str = ""
    category: str = ""
    department: str = ""
    initial: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Filters":
        audience = args.get("audience", "")
        initial = args.get("initial", "").strip().upper()
        return cls(q=args.get("q", "").strip()[:100],
                   audience=audience if audience in AUDIENCES else "",
                   category=args.get("category", "").strip()[:100],
                   department=args.get("department", "").strip()[:100],
                   initial=initial if initial in LETTERS else "",
                   page=max(1, args.get("page", 1, type=bounded_int) or 1))

    def args(self, **changes) -> dict:
        """Query-string arguments of these filters with some changed (links keep the rest)."""
        values = {**self.__dict__, "page": 1, **changes}
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}

    def without(self, name) -> "Filters":
        return replace(self, **{name: ""})

    @property
    def active(self) -> bool:
        return any((self.q, self.audience, self.category, self.department, self.initial))


def filtered(f: Filters):
    query = catalog_query(f.q, f.category or None)
    if f.audience:
        query = query.where(Service.audience.contains(f.audience))
    if f.department:
        query = query.where(Service.department == f.department)
    if f.initial:
        query = query.where(Service.initials.startswith(f.initial.lower()))
    return query


def facet_counts(f: Filters) -> dict:
    """Counts per value of each filter, under all the *other* filters (four grouped queries)."""
    def grouped(column, name):
        query = (filtered(f.without(name)).select(column.alias("value"), fn.COUNT(Service.id).alias("n"))
                 .group_by(column).order_by(column))
        return {row.value: row.n for row in query.objects() if row.value}

    initial = fn.UPPER(fn.SUBSTR(Service.initials, 1, 1))
    audience_sums = [fn.SUM(Case(None, [(Service.audience.contains(code), 1)], 0)).alias(code)
                     for code in AUDIENCES]
    row = filtered(f.without("audience")).select(*audience_sums).order_by().dicts().get()
    return {
        "audience": {code: row[code] or 0 for code in AUDIENCES},
        "category": grouped(Service.category, "category"),
        "department": grouped(Service.department, "department"),
        "initial": grouped(initial, "initial"),
    }


def page_of(query, page_no, size=CATALOG_PAGE_SIZE):
    total = query.count()
    pages = max(1, -(-total // size))
    page_no = min(max(1, page_no), pages)
    return list(query.paginate(page_no, size)), total, page_no, pages


def hot_services(days=HOT_DAYS, limit=HOT_LIMIT) -> list:
    """热门服务: the services most started in the last ``days`` days (one grouped query)."""
    since = utcnow() - timedelta(days=days)
    started = fn.COUNT(Instance.id)
    return list(Service.select(Service, started.alias("started")).join(Instance)
                .where(Service.enabled == True, Instance.created >= since)  # noqa: E712
                .group_by(Service).order_by(started.desc(), Service.number).limit(limit))


def rating_summary(services) -> dict:
    """{service id: (average, count)} for the given services in one query."""
    ids = list({s.id for s in services})
    if not ids:
        return {}
    rows = (Rating.select(Rating.service, fn.AVG(Rating.stars).alias("avg"),
                          fn.COUNT(Rating.id).alias("n"))
            .where(Rating.service.in_(ids)).group_by(Rating.service))
    return {r.service_id: (round(float(r.avg), 1), r.n) for r in rows}


def favorite_ids(user, services=None) -> set:
    if user is None or not user.is_authenticated:
        return set()
    query = Favorite.select(Favorite.service).where(Favorite.user == user.id)
    if services is not None:
        ids = [s.id for s in services]
        if not ids:
            return set()
        query = query.where(Favorite.service.in_(ids))
    return {row.service_id for row in query}


def favorites_query(user):
    return (Service.select(Service).join(Favorite)
            .where(Favorite.user == user.id).order_by(Favorite.created.desc(), Favorite.id.desc()))


def set_favorite(user, service, on: bool) -> None:
    if on:
        Favorite.insert(user=user.id, service=service.id).on_conflict_ignore().execute()
    else:
        Favorite.delete().where(Favorite.user == user.id, Favorite.service == service.id).execute()


def startable_count(user) -> int:
    """服务中心 · 您可以申请的所有事项: enabled services whose audience includes the user."""
    return Service.select().where(Service.enabled == True,  # noqa: E712
                                  Service.audience.contains(user.type)).count()
