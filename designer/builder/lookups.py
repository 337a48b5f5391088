"""Name search for the builder's pickers: people, roles and departments by name.

Results carry a ``value`` (what the definition stores) and a ``label`` (what people read);
the page shows only labels. ``labels(definition)`` names the values a definition already
holds, so a saved choice shows as a name too.
"""
from __future__ import annotations

from peewee import JOIN, fn

from app.people.directory import ROLE_NAMES
from app.models import Department, Role, User

LIMIT = 20


def _like(q: str) -> str:
    return "%" + q.replace("\\", "").replace("%", "").replace("_", "") + "%"


def users(q: str) -> list[dict]:
    """Active people whose name or 工号 contains ``q`` (at least one character)."""
    q = (q or "").strip()[:50]
    if not q:
        return []
    rows = (User.select(User.username, User.name, Department.name.alias("dept"))
            .join(Department, JOIN.LEFT_OUTER, on=(User.department == Department.id))
            .where(User.is_active == True, (User.name ** _like(q)) | (User.username ** _like(q)))  # noqa: E712
            .order_by(fn.LENGTH(User.name), User.username).limit(LIMIT).dicts())
    return [{"value": r["username"], "label": _user_label(r["name"], r["dept"])} for r in rows]


def _user_label(name, dept) -> str:
    return f"{name}（{dept}）" if dept else name


def role_label(code: str, name: str | None) -> str:
    return name if name and name != code else ROLE_NAMES.get(code, name or code)


def roles(q: str) -> list[dict]:
    q = (q or "").strip()[:50]
    rows = Role.select(Role.code, Role.name).order_by(Role.name).tuples()
    found = [{"value": code, "label": role_label(code, name)} for code, name in rows]
    return [r for r in found if q in r["label"]][:LIMIT] if q else found[:LIMIT]


def departments(q: str) -> list[dict]:
    q = (q or "").strip()[:50]
    query = Department.select(Department.name).order_by(Department.name)
    if q:
        query = query.where(Department.name ** _like(q))
    return [{"value": n, "label": n} for (n,) in query.limit(LIMIT).tuples()]


SEARCHES = {"users": users, "roles": roles, "departments": departments}


def _specs(definition: dict):
    for step in definition.get("steps", []):
        yield step.get("by")
        yield from step.get("cc", [])


def labels(definition: dict) -> dict:
    """{"users": {username: label}, "roles": {code: label}} for the values in the steps."""
    usernames, codes = set(), set()
    for spec in _specs(definition):
        if isinstance(spec, dict):
            if spec.get("user"):
                usernames.add(spec["user"])
            if isinstance(spec.get("users"), list):
                usernames.update(u for u in spec["users"] if isinstance(u, str))
            if spec.get("role"):
                codes.add(spec["role"])
    out = {"users": {}, "roles": {}}
    if usernames:
        rows = (User.select(User.username, User.name, Department.name.alias("dept"))
                .join(Department, JOIN.LEFT_OUTER, on=(User.department == Department.id))
                .where(User.username.in_(sorted(usernames))).dicts())
        out["users"] = {r["username"]: _user_label(r["name"], r["dept"]) for r in rows}
    if codes:
        rows = Role.select(Role.code, Role.name).where(Role.code.in_(sorted(codes))).tuples()
        out["roles"] = {c: role_label(c, n) for c, n in rows}
    return out

