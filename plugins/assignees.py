"""Assignee kinds: who a step's ``by`` (and each ``cc``) names, one class per kind.

A spec is a string (``applicant``) or a mapping whose one key that names a kind chooses it:
``{user: U}``, ``{role: R}``, ``{role: R, of: applicant}``, ``{role: R, department: D}``,
``{field: F}``. A kind describes itself — its Chinese label, the JSON Schema of its spec
(the meta-schema's assignee part is built from these), the designer's presets — resolves
a spec to active users and describes a spec in Chinese for guides and the designer
("申请人所在单位的单位领导", never a role code).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plugins.hooks import hookspec
from plugins.registry import Registry

ASSIGNEE_KINDS = Registry("assignee kind")
RESOLVERS = ASSIGNEE_KINDS          # the name the first round used


@dataclass(frozen=True)
class Context:
    applicant: Any          # User
    data: dict              # the instance's form data


class AssigneeKind:
    name = ""               # set by @assignee_kind
    label = ""              # Chinese, for the designer's choice list
    syntax = ""             # how a spec is written, for error messages: "{user: U}"
    schema: dict = {}       # JSON Schema of a spec of this kind
    presets: tuple = ()     # ((Chinese label, spec template), …) offered by the designer

    @hookspec
    def resolve(self, spec, ctx: Context) -> list:
        """The users ``spec`` names for ``ctx`` (inactive ones and repeats are dropped after)."""
        raise NotImplementedError

    @hookspec
    def describe(self, spec, form=None) -> str:
        """Chinese, for people: names, never codes. ``form`` (a compiled Form) names fields."""
        return self.label

    @hookspec
    def info(self) -> dict:
        return {"name": self.name, "label": self.label, "schema": self.schema,
                "presets": [{"label": label, "spec": spec} for label, spec in self.presets]}


def assignee_kind(name):
    """Class decorator: register one instance of the class as assignee kind ``name``."""
    def register(cls):
        from plugins.hooks import check_class
        check_class(cls, AssigneeKind, "assignee kind", name)
        instance = cls()
        instance.name = name
        ASSIGNEE_KINDS.register(name, instance, owner=cls.__module__)
        return cls
    return register


def spec_key(spec) -> str:
    """The kind a spec names: a string, or the one key of a mapping that is a kind
    (``{role: R, of: applicant}`` → ``role``; stored JSON sorts keys, so order means nothing)."""
    if isinstance(spec, str):
        return spec
    keys = [k for k in spec if k in ASSIGNEE_KINDS]
    if len(keys) != 1:
        raise ValueError(f"assignee {spec!r} must name exactly one of {ASSIGNEE_KINDS.names()}")
    return keys[0]


def kind_of(spec) -> AssigneeKind:
    return ASSIGNEE_KINDS.get(spec_key(spec))


def resolve(spec, ctx: Context) -> list:
    """Unique active users for ``spec``, in a stable order."""
    users = kind_of(spec).resolve(spec, ctx)
    seen, out = set(), []
    for u in users:
        if u.is_active and u.id not in seen:
            seen.add(u.id)
            out.append(u)
    return sorted(out, key=lambda u: u.username)


def describe(spec, form=None) -> str:
    """A short Chinese description of an assignee spec, for guides and the designer."""
    try:
        return kind_of(spec).describe(spec, form)
    except (ValueError, KeyError):
        return str(spec)


def kinds() -> list[dict]:
    """Every kind's description: the built-ins first, then plugins' kinds."""
    return [k.info() for k in sorted(ASSIGNEE_KINDS.values(),
                                     key=lambda k: not ASSIGNEE_KINDS.owner(k.name).startswith("plugins."))]


# ---------------------------------------------------------------- built-in kinds

_PREPARED: dict = {}


def _users_where(name):
    """Prepared selects of users (a step's assignees are resolved at every transition)."""
    found = _PREPARED.get(name)
    if found is None:
        from app.db.prepared import SelectRows
        from app.models import Role, User, UserRole
        if name == "username":
            found = SelectRows(User, lambda q, s: q.where(User.username == s.username),
                           username=User.username)
        elif name == "role":
            found = SelectRows(User, lambda q, s: q.join(UserRole).join(Role)
                           .where(Role.code == s.role), role=Role.code)
        else:                                   # role in a department
            found = SelectRows(User, lambda q, s: q.join(UserRole).join(Role)
                           .where(Role.code == s.role, UserRole.department == s.department),
                           role=Role.code, department=UserRole.department)
        _PREPARED[name] = found
    return found


def role_name(code: str) -> str:
    from app.models import Role
    row = Role.select(Role.name).where(Role.code == code).tuples().first()
    return row[0] if row and row[0] else code


def _user_name(username: str) -> str:
    from app.models import User
    row = User.select(User.name).where(User.username == username).tuples().first()
    return f"{row[0]}（{username}）" if row else username


@assignee_kind("applicant")
class Applicant(AssigneeKind):
    label, syntax = "申请人", "applicant"
    schema = {"const": "applicant"}
    presets = (("申请人", "applicant"),)

    def resolve(self, spec, ctx):
        return [ctx.applicant]


@assignee_kind("user")
class NamedUser(AssigneeKind):
    label, syntax = "指定人员", "{user: U}"
    schema = {"type": "object", "required": ["user"], "additionalProperties": False,
              "properties": {"user": {"type": "string", "minLength": 1, "title": "人员",
                                      "x-choices": "users"}}}
    presets = (("指定人员", {"user": ""}),)

    def resolve(self, spec, ctx):
        return _users_where("username").all(username=spec["user"])

    def describe(self, spec, form=None):
        return _user_name(spec["user"])


@assignee_kind("role")
class RoleHolders(AssigneeKind):
    label, syntax = "角色", "{role: R}, {role: R, of: applicant}, {role: R, department: D}"
    schema = {"type": "object", "required": ["role"], "additionalProperties": False,
              "properties": {"role": {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$",
                                      "title": "角色", "x-choices": "roles"},
                             "of": {"const": "applicant", "title": "申请人所在单位"},
                             "department": {"type": "string", "minLength": 1, "title": "部门",
                                            "x-choices": "departments"}},
              "not": {"required": ["of", "department"]}}
    presets = (("角色", {"role": ""}),
               ("申请人所在单位的某角色", {"role": "", "of": "applicant"}),
               ("某部门的某角色", {"role": "", "department": ""}))

    def resolve(self, spec, ctx):
        from app.models import Department
        if spec.get("of") == "applicant":
            if not ctx.applicant.department_id:
                return []
            department = ctx.applicant.department_id
        elif spec.get("department"):
            dept = Department.get_or_none(Department.name == spec["department"])
            if dept is None:
                return []
            department = dept.id
        else:
            return _users_where("role").all(role=spec["role"])
        return _users_where("role_in").all(role=spec["role"], department=department)

    def describe(self, spec, form=None):
        name = role_name(spec["role"])
        if spec.get("of") == "applicant":
            return f"申请人所在单位的{name}"
        if spec.get("department"):
            return f"{spec['department']}的{name}"
        return name


@assignee_kind("field")
class PickedInForm(AssigneeKind):
    label, syntax = "表单中选择的人员", "{field: F}"
    schema = {"type": "object", "required": ["field"], "additionalProperties": False,
              "properties": {"field": {"$ref": "#/$defs/slug", "title": "人员字段",
                                       "x-choices": "user_fields"}}}
    presets = (("表单中选择的人员", {"field": ""}),)

    def resolve(self, spec, ctx):
        username = ctx.data.get(spec["field"])
        if not isinstance(username, str) or not username:
            return []
        return _users_where("username").all(username=username)

    def describe(self, spec, form=None):
        field = form.field(spec["field"]) if form is not None else None
        return f"表单中“{(field.label if field else '') or spec['field']}”所选的人员"


@assignee_kind("users")
class NamedUsers(AssigneeKind):
    """Several named people (the step added by 加签 after a step names them this way)."""
    label, syntax = "指定多名人员", "{users: [U1, U2]}"
    schema = {"type": "object", "required": ["users"], "additionalProperties": False,
              "properties": {"users": {"type": "array", "minItems": 1, "uniqueItems": True,
                                       "items": {"type": "string", "minLength": 1},
                                       "title": "人员", "x-choices": "users"}}}
    presets = (("指定多名人员", {"users": []}),)

    def resolve(self, spec, ctx):
        from app.models import User
        return list(User.select().where(User.username.in_(list(spec["users"]))))

    def describe(self, spec, form=None):
        return "、".join(_user_name(u) for u in spec["users"])
