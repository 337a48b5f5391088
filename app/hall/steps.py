"""Who acts at each step, as 流程指南 tells it: role names (the Role model's), never codes."""
from flask_babel import gettext as _

from app.models import Role, User
from plugins.assignees import describe, spec_key


def describe_steps(steps) -> list[tuple]:
    """(step, text) for each step; one query for the roles and one for the users named."""
    specs = [s.by for s in steps if isinstance(s.by, dict)]
    codes = {s["role"] for s in specs if "role" in s}
    usernames = {s["user"] for s in specs if "user" in s}
    roles = dict(Role.select(Role.code, Role.name).where(Role.code.in_(list(codes))).tuples()) if codes else {}
    people = dict(User.select(User.username, User.name)
                  .where(User.username.in_(list(usernames))).tuples()) if usernames else {}
    return [(s, _who(s.by, roles, people)) for s in steps]


def _who(spec, roles, people) -> str:
    try:
        key = spec_key(spec)
    except ValueError:
        return ""
    if key == "applicant":
        return _("申请人")
    if key == "user":
        return people.get(spec["user"], spec["user"])
    if key == "field":
        return _("表单中选定的人员")
    if key == "role":
        role = roles.get(spec["role"], spec["role"])
        if spec.get("of") == "applicant":
            return _("申请人所在单位的%(role)s", role=role)
        if spec.get("department"):
            return _("%(department)s的%(role)s", department=spec["department"], role=role)
        return role
    return describe(spec)          # a plugin's own kind describes itself
