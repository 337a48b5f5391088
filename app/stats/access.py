"""Who may read which statistics: admins every service, a dept_admin their departments'."""
from __future__ import annotations

from app.people.roles import managed_departments
from app.stats.figures import Scope


class Denied(Exception):
    pass


def scope_for(user, department: str = "", service: str = "") -> Scope:
    """The caller's scope narrowed by the filters; Denied for anyone else, or for a
    department outside the caller's (a service outside it simply yields nothing)."""
    managed = managed_departments(user)
    if managed is not None and not managed:
        raise Denied("只有部门管理员和系统管理员可以查看统计分析")
    department = (department or "").strip()[:100]
    if department and managed is not None and department not in managed:
        raise Denied("只能查看本部门服务的统计")
    return Scope(departments=managed, department=department, service=(service or "").strip()[:100])
