"""Who holds which role: the one place role holdings are read (engine, views and designer).

Depends on the models only, so the engine and the directory both import it without
importing each other.
"""
from peewee import JOIN

from app.models import Department, Role, UserRole
from app.db.prepared import PreparedQuery

HOLDINGS = PreparedQuery(
    lambda user: (UserRole.select(Role.code, Department.name).join(Role).switch(UserRole)
                  .join(Department, JOIN.LEFT_OUTER, on=(UserRole.department == Department.id))
                  .where(UserRole.user == user).tuples()),
    user=int).named("roles.holdings", user=lambda w: w.leader)


def role_holdings(user) -> frozenset:
    """{(role code, department name or None)} the user holds — one query, kept on the user
    object (a request's current_user lives for one request)."""
    cached = user.__dict__.get("_role_holdings")
    if cached is None:
        cached = user.__dict__["_role_holdings"] = frozenset(HOLDINGS(user=user.id))
    return cached


def has_role(user, code: str) -> bool:
    return bool(getattr(user, "id", None)) and any(c == code for c, _ in role_holdings(user))


def managed_departments(user) -> set[str] | None:
    """Departments whose services the user administers: None means all (a system admin)."""
    if has_role(user, "admin"):
        return None
    if not getattr(user, "id", None):
        return set()
    return {d for c, d in role_holdings(user) if c == "dept_admin" and d}




def is_admin(user) -> bool:
    return has_role(user, "admin")
