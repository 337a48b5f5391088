"""Who may use the designer and which services, drafts and instances they may touch.

A system admin (role ``admin``) manages everything; a department admin (role ``dept_admin``
held in department D) manages only the services whose 主办部门 is D. Every view asks these
functions; nothing is only hidden from a menu.
"""
from flask import abort
from peewee import JOIN

from app.people import roles
from app.models import Department, Service, User

ALL = None      # managed_departments() of a system admin


def is_system_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and roles.has_role(user, "admin")


def managed_departments(user):
    """``ALL`` for a system admin, else the set of department names the user administers."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return roles.managed_departments(user)


def is_designer(user) -> bool:
    return managed_departments(user) is ALL or bool(managed_departments(user))


def manages(user, department: str) -> bool:
    managed = managed_departments(user)
    return managed is ALL or department in managed


def department_choices(user) -> list[str]:
    managed = managed_departments(user)
    names = [d.name for d in Department.select(Department.name).order_by(Department.name)]
    return names if managed is ALL else [n for n in names if n in managed]


def scope_query(query, user, column):
    """Restrict ``query`` to rows whose department ``column`` the user manages."""
    managed = managed_departments(user)
    if managed is ALL:
        return query
    return query.where(column.in_(sorted(managed) or [""]))


def service_or_404(user, service_id) -> Service:
    service = Service.get_or_none(Service.id == _int(service_id))
    if service is None or not manages(user, service.department):
        abort(404)
    return service


def user_choices(user, limit=300) -> list:
    """Sample applicants for the preview: anyone for a system admin, else the people of the
    managed departments (and the admin themself)."""
    query = User.select().where(User.is_active == True).order_by(User.username)  # noqa: E712
    managed = managed_departments(user)
    if managed is not ALL:
        query = (query.join(Department, on=(User.department == Department.id), join_type=JOIN.LEFT_OUTER)
                 .where((Department.name.in_(sorted(managed) or [""])) | (User.id == user.id)))
    return list(query.limit(limit))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
