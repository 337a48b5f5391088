"""The figures of 统计分析: counts, times to complete, waiting per step, overdue, ratings, trend.

Plain peewee, no Flask: the page, the API, the exports and the hall's data-driven lists
call ``figures()``. Every figure is a grouped query (percentiles through window functions),
so the number of statements is fixed whatever the number of services or instances.

The window is of China-local days; instances count when they were *submitted* in it
(drafts never were).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from peewee import SQL, Case, NodeList, fn

from app.db import is_sqlite
from app.engine.states import ACTIVE, Status, TaskStatus
from app.models import Instance, Service, ServiceVersion, Task, User, utcnow
from app.models.hall import Rating

CHINA = timezone(timedelta(hours=8))
RUNNING = ACTIVE
PERCENTILES = (0.5, 0.9)
RECENT_REMARKS = 10


def utc_start(day: date) -> datetime:
    """Midnight of a China-local day, as the naive UTC the database stores."""
    return datetime.combine(day, time.min, tzinfo=CHINA).astimezone(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Window:
    start: date                      # first day, inclusive
    end: date                        # last day, inclusive

    @property
    def since(self) -> datetime:
        return utc_start(self.start)

    @property
    def until(self) -> datetime:
        return utc_start(self.end + timedelta(days=1))


@dataclass
class Scope:
    """Which services: None departments means every department (an admin)."""
    departments: set | None = None
    department: str = ""
    service: str = ""                # a slug

    def services(self):
        query = Service.select(Service.id, Service.slug, Service.name, Service.department,
                               Service.latest_version)
        if self.departments is not None:
            query = query.where(Service.department.in_(sorted(self.departments) or [""]))
        if self.department:
            query = query.where(Service.department == self.department)
        if self.service:
            query = query.where(Service.slug == self.service)
        return query.order_by(Service.department, Service.number)


# ---------------------------------------------------------------- SQL pieces per database

def hours_between(start, end):
    """(end - start) in hours, as SQL on SQLite or PostgreSQL."""
    if is_sqlite():
        return (fn.julianday(end).coerce(False) - fn.julianday(start).coerce(False)) * 24.0
    return fn.EXTRACT(NodeList((SQL("EPOCH FROM"), end - start))) / 3600.0


def local_week(moment):
    """The Monday (China-local) of the week a UTC timestamp falls in, as 'YYYY-MM-DD'."""
    if is_sqlite():
        return fn.date(moment, "+8 hours", "weekday 0", "-6 days").coerce(False)
    return fn.to_char(fn.date_trunc("week", moment + SQL("interval '8 hours'")), "YYYY-MM-DD").coerce(False)


def grouped_values(source, groups, value, where) -> dict:
    """{group tuple: sorted values} in one statement. The database computes each value
    (hours, as a float: no timestamps are parsed in Python) and Python sorts them: on
    SQLite several times faster than numbering rows with window functions."""
    query = source.select(*groups, value).where(*where).order_by()
    values: dict = {}
    width = len(groups)
    for row in Instance._meta.database.execute(query):       # raw rows: no per-row conversion
        if row[width] is not None:
            values.setdefault(tuple(row[:width]), []).append(float(row[width]))
    return {key: sorted(found) for key, found in values.items()}


def percentiles_of(values) -> tuple:
    """(median, p90) of sorted values by linear interpolation (PostgreSQL's percentile_cont)."""
    if not values:
        return None, None
    return tuple(_interpolate(values, p) for p in PERCENTILES)


def percentiles(source, groups, value, where) -> dict:
    """{group tuple: (median, p90)}."""
    return {key: percentiles_of(found)
            for key, found in grouped_values(source, groups, value, where).items()}


def _interpolate(values, p):
    pos = p * (len(values) - 1)
    lo = int(pos)
    high = values[min(lo + 1, len(values) - 1)]
    return round(values[lo] + (high - values[lo]) * (pos - lo), 1)


# ---------------------------------------------------------------- the figures

@dataclass
class Figures:
    window: Window
    services: list = field(default_factory=list)        # dicts as the API gives them
    totals: dict = field(default_factory=dict)
    trend: list = field(default_factory=list)           # [{"week", "started", "completed"}]
    overdue_by_assignee: list = field(default_factory=list)
    rating_distribution: dict = field(default_factory=dict)
    remarks: list = field(default_factory=list)

    def as_api(self) -> dict:
        return {"from": self.window.start.isoformat(), "to": self.window.end.isoformat(),
                "services": [{k: v for k, v in s.items() if not k.startswith("_")}
                             for s in self.services],
                "totals": self.totals}


def figures(scope: Scope, window: Window, now: datetime | None = None, detail=True,
            steps=True) -> Figures:
    """All figures for the services in ``scope`` over instances submitted in ``window``.

    ``detail`` adds what only the page shows (trend, overdue by assignee, remarks);
    ``steps=False`` leaves the per-step figures out (the hall's ranking needs none)."""
    now = now or utcnow()
    services = list(scope.services())
    out = Figures(window)
    ids = [s.id for s in services] or [0]
    submitted = [Instance.service.in_(ids), Instance.submitted >= window.since,
                 Instance.submitted < window.until, Instance.status != Status.DRAFT]
    counts = _counts(submitted, now)
    done = [*submitted, Instance.status == Status.COMPLETED, Instance.finished.is_null(False)]
    to_complete = hours_between(Instance.submitted, Instance.finished)
    durations = grouped_values(Instance.select(), [Instance.service], to_complete, done)
    times = {key: percentiles_of(found) for key, found in durations.items()}
    all_times = percentiles_of(sorted(v for found in durations.values() for v in found))
    defs = _latest_versions(services)
    steps = _steps(services, defs, submitted, now) if steps else {}
    ratings = _ratings(submitted)
    limits = _time_limits(defs)
    for s in services:
        c = counts.get(s.id, {})
        median, p90 = times.get((s.id,), (None, None))
        average, count, _ = ratings.get(s.id, (None, 0, {}))
        limit = limits.get(s.id)
        out.services.append({
            "id": s.slug, "name": s.name, "department": s.department,
            **{k: c.get(k, 0) for k in ("started", "completed", "terminated", "running", "overdue")},
            "hours_to_complete": {"median": median, "p90": p90},
            "steps": steps.get(s.id, []),
            "rating": {"average": average, "count": count},
            "time_limit_hours": limit,
            "slow": bool(limit is not None and p90 is not None and p90 > limit),
        })
    totals = {k: sum(s[k] for s in out.services)
              for k in ("started", "completed", "terminated", "running", "overdue")}
    distribution = {stars: 0 for stars in range(1, 6)}
    for _, _, dist in ratings.values():
        for stars, n in dist.items():
            distribution[stars] += n
    count = sum(distribution.values())
    average = round(sum(k * n for k, n in distribution.items()) / count, 2) if count else None
    totals.update(hours_to_complete={"median": all_times[0], "p90": all_times[1]},
                  rating={"average": average, "count": count})
    out.totals, out.rating_distribution = totals, distribution
    if detail:
        out.trend = _trend(submitted, window)
        out.overdue_by_assignee = _overdue_by_assignee(submitted, now)
        out.remarks = _remarks(submitted)
    return out


def _counts(where, now) -> dict:
    def count_if(cond):
        return fn.SUM(Case(None, [(cond, 1)], 0))
    running = Instance.status.in_(RUNNING)
    query = (Instance.select(Instance.service, fn.COUNT(Instance.id),
                             count_if(Instance.status == Status.COMPLETED),
                             count_if(Instance.status == Status.TERMINATED),
                             count_if(running),
                             count_if(running & Instance.due.is_null(False) & (Instance.due < now)))
             .where(*where).group_by(Instance.service))
    names = ("started", "completed", "terminated", "running", "overdue")
    return {row[0]: dict(zip(names, (int(v or 0) for v in row[1:]))) for row in query.tuples()}


def _latest_versions(services) -> dict:
    """{service id: ServiceDef of its latest version} — one query; parsed defs are cached."""
    from app.defs.store import load_version
    wanted = [(s.id, s.latest_version) for s in services]
    conds = ServiceVersion.id == 0 if not wanted else None
    for sid, version in wanted:
        c = (ServiceVersion.service == sid) & (ServiceVersion.version == version)
        conds = c if conds is None else conds | c
    return {v.service_id: load_version(v) for v in ServiceVersion.select().where(conds)}


def _time_limits(defs) -> dict:
    """{service id: hours of its time_limit (预计时限)} for services that set one."""
    limits = {}
    for sid, sdef in defs.items():
        try:
            delta = sdef.time_limit_delta
        except ValueError:
            delta = None
        if delta:
            limits[sid] = round(delta.total_seconds() / 3600, 1)
    return limits


def _steps(services, defs, submitted, now) -> dict:
    """Per service, its steps in definition order: waiting time and overdue to-dos.

    Waiting is from a to-do's creation to its holder's action (closed copies and the
    applicant's own first step left out)."""
    wait = hours_between(Task.created, Task.acted)
    acted = [*submitted, Task.kind == "do", Task.status == TaskStatus.DONE, Task.acted.is_null(False)]
    waits = percentiles(Task.select().join(Instance), [Instance.service, Task.step], wait, acted)
    late = (Task.select(Instance.service, Task.step, fn.COUNT(Task.id))
            .join(Instance)
            .where(*submitted, Instance.status.in_(RUNNING), Task.kind == "do",
                   Task.status == TaskStatus.OPEN, Task.due.is_null(False), Task.due < now)
            .group_by(Instance.service, Task.step).tuples())
    overdue = {(sid, step): n for sid, step, n in late}
    out = {}
    for s in services:
        sdef = defs.get(s.id)
        if sdef is None:
            continue
        first = sdef.steps[0].id if sdef.steps else None
        rows = []
        for step in sdef.steps:
            if step.id == first:
                continue
            median, p90 = waits.get((s.id, step.id), (None, None))
            rows.append({"id": step.id, "name": step.name, "median_hours": median,
                         "p90_hours": p90, "overdue": overdue.get((s.id, step.id), 0)})
        out[s.id] = rows
    return out


def _ratings(submitted) -> dict:
    """{service id: (average, count, {stars: n})} over ratings of instances in the window."""
    rows = (Rating.select(Rating.service, Rating.stars, fn.COUNT(Rating.id))
            .join(Instance).where(*submitted).group_by(Rating.service, Rating.stars).tuples())
    dist: dict = {}
    for sid, stars, n in rows:
        dist.setdefault(sid, {})[stars] = n
    out = {}
    for sid, d in dist.items():
        count = sum(d.values())
        out[sid] = (round(sum(k * n for k, n in d.items()) / count, 2), count, d)
    return out


def _trend(submitted, window) -> list:
    """Instances started and completed per China-local week (Monday), every week shown."""
    week = local_week(Instance.submitted)
    started = dict(Instance.select(week, fn.COUNT(Instance.id)).where(*submitted)
                   .group_by(week).tuples())
    fweek = local_week(Instance.finished)
    completed = dict(Instance.select(fweek, fn.COUNT(Instance.id))
                     .where(*submitted, Instance.status == Status.COMPLETED,
                            Instance.finished < window.until)
                     .group_by(fweek).tuples())
    monday = window.start - timedelta(days=window.start.weekday())
    out = []
    while monday <= window.end:
        key = monday.isoformat()
        out.append({"week": key, "started": started.get(key, 0), "completed": completed.get(key, 0)})
        monday += timedelta(days=7)
    return out


def _overdue_by_assignee(submitted, now) -> list:
    """Open to-dos past their due date per holder, most first."""
    n = fn.COUNT(Task.id)
    rows = (Task.select(User.username, User.name, n.alias("n")).join(Instance)
            .switch(Task).join(User)
            .where(*submitted, Instance.status.in_(RUNNING), Task.kind == "do",
                   Task.status == TaskStatus.OPEN, Task.due.is_null(False), Task.due < now)
            .group_by(User.id, User.username, User.name).order_by(n.desc(), User.username)
            .limit(20).tuples())
    return [{"username": u, "name": name, "overdue": k} for u, name, k in rows]


def _remarks(submitted) -> list:
    rows = (Rating.select(Rating.stars, Rating.remark, Rating.created, Service.name, Instance.serial)
            .join(Instance).switch(Rating).join(Service)
            .where(*submitted, Rating.remark != "")
            .order_by(Rating.created.desc(), Rating.id.desc()).limit(RECENT_REMARKS).tuples())
    return [{"stars": s, "remark": r, "at": at, "service": name, "serial": serial}
            for s, r, at, name, serial in rows]
