"""Assignee resolvers: the first key of a step's ``by``/``cc`` spec names the resolver.

``applicant`` | ``{user: U}`` | ``{role: R}`` | ``{role: R, of: applicant}`` |
``{role: R, department: D}`` | ``{field: F}``. A resolver returns active ``User`` rows.
"""
from dataclasses import dataclass
from typing import Any

from plugins.registry import Registry

RESOLVERS = Registry("assignee resolver")


@dataclass(frozen=True)
class Context:
    applicant: Any          # User
    data: dict              # the instance's form data


def spec_key(spec) -> str:
    """The resolver a spec names: a string, or the one key of a mapping that is a resolver
    (``{role: R, of: applicant}`` → ``role``; stored JSON sorts keys, so order means nothing)."""
    if isinstance(spec, str):
        return spec
    keys = [k for k in spec if k in RESOLVERS]
    if len(keys) != 1:
        raise ValueError(f"assignee {spec!r} must name exactly one of {RESOLVERS.names()}")
    return keys[0]


def resolve(spec, ctx: Context) -> list:
    """Unique active users for ``spec``, in a stable order."""
    users = RESOLVERS.get(spec_key(spec))(spec, ctx)
    seen, out = set(), []
    for u in users:
        if u.is_active and u.id not in seen:
            seen.add(u.id)
            out.append(u)
    return sorted(out, key=lambda u: u.username)


def describe(spec) -> str:
    """A short Chinese description of an assignee spec, for guides and the designer."""
    key = spec_key(spec)
    if key == "applicant":
        return "申请人"
    if key == "user":
        return f"用户 {spec['user']}"
    if key == "field":
        return f"表单字段 {spec['field']} 中的用户"
    if spec.get("of") == "applicant":
        return f"申请人所在单位的 {spec['role']}"
    if spec.get("department"):
        return f"{spec['department']} 的 {spec['role']}"
    return f"角色 {spec['role']}"


@RESOLVERS.register("applicant")
def _applicant(spec, ctx):
    return [ctx.applicant]


@RESOLVERS.register("user")
def _user(spec, ctx):
    from app.models import User
    return list(User.select().where(User.username == spec["user"]))


@RESOLVERS.register("field")
def _field(spec, ctx):
    from app.models import User
    username = ctx.data.get(spec["field"])
    if not isinstance(username, str) or not username:
        return []
    return list(User.select().where(User.username == username))


@RESOLVERS.register("role")
def _role(spec, ctx):
    from app.models import Department, Role, User, UserRole
    query = (User.select().join(UserRole).join(Role)
             .where(Role.code == spec["role"]))
    if spec.get("of") == "applicant":
        if not ctx.applicant.department_id:
            return []
        query = query.where(UserRole.department == ctx.applicant.department_id)
    elif spec.get("department"):
        dept = Department.get_or_none(Department.name == spec["department"])
        if dept is None:
            return []
        query = query.where(UserRole.department == dept.id)
    return list(query)
