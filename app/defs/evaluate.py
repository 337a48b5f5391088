"""One scenario case → the differences between what it expects and what the engine does.

Every answer comes from the function the engine itself calls at that point; this module
only compares. The directory (users, roles, departments) is whatever database is bound —
``flask defs test`` binds a throwaway one (``app.defs.testdb``).
"""
from __future__ import annotations

import itertools

_personas = itertools.count(1)


class UnknownApplicant(LookupError):
    """The case names a user (or a persona's department) the directory does not hold."""


def applicant_for(spec: dict):
    """The User a case runs as: a directory user, or a persona created in the (throwaway)
    directory with the given type and department."""
    from app.models import Department, User
    if "user" in spec:
        user = User.get_or_none(User.username == spec["user"])
        if user is None:
            raise UnknownApplicant(f"unknown user {spec['user']!r} in the directory")
        return user
    department = None
    if spec.get("department"):
        department = Department.get_or_none(Department.name == spec["department"])
        if department is None:
            raise UnknownApplicant(f"unknown department {spec['department']!r} in the directory")
    number = next(_personas)
    while User.select().where(User.username == f"persona-{number}").exists():
        number = next(_personas)
    return User.create(username=f"persona-{number}", name=spec.get("name") or f"测试申请人{number}",
                       type=spec["type"], department=department, password_hash="!")


def evaluate_case(sdef, case) -> list[str]:
    """The differences (empty when the case passes)."""
    from app.engine import core
    from app.engine.exceptions import Invalid
    applicant = applicant_for(case.applicant)
    expect, out = case.expect, []
    allowed = applicant.type in sdef.audience
    if expect.get("allowed", True) != allowed:
        out.append(f"allowed: expected {_b(expect.get('allowed', True))}, got {_b(allowed)} "
                   f"(applicant type {applicant.type}, audience {', '.join(sdef.audience)})")
    if not allowed:
        return out
    first = sdef.steps[0]
    data = _with_attachments(sdef, applicant, case.data)
    merged = core._merge(core.initial_data(sdef, applicant), data, core.editable_fields(sdef, first))
    errors = {}
    try:
        clean = core._validate(sdef, merged, applicant, draft=False)
    except Invalid as exc:
        clean, errors = None, exc.fields or {}
    out += _compare_validity(expect, errors)
    out += _compare_visibility(sdef, expect, merged, applicant)
    if clean is None:
        if "steps" in expect or "assignees" in expect:
            out.append("steps: not evaluated, the data is invalid")
        return out
    out += _compare_route(sdef, expect, applicant, clean)
    return out


def _with_attachments(sdef, applicant, data: dict) -> dict:
    """A file field's value is written as file names (``attachments: [合同.pdf]``): each
    becomes an attachment of the applicant in the throwaway database, as an upload would."""
    import hashlib
    import mimetypes
    import secrets

    from app.models import Attachment
    data = dict(data)
    for f in sdef.form.fields:
        names = data.get(f.name)
        if f.type != "file" or not isinstance(names, list):
            continue
        tokens = []
        for name in names:
            token = secrets.token_urlsafe(16)
            Attachment.create(owner=applicant, token=token, field=f.name, filename=str(name),
                              stored_name=token, size=1,
                              content_type=mimetypes.guess_type(str(name))[0] or "application/octet-stream",
                              sha256=hashlib.sha256(str(name).encode()).hexdigest())
            tokens.append(token)
        data[f.name] = tokens
    return data


def _compare_validity(expect, errors: dict) -> list[str]:
    out = []
    valid = not errors
    if "valid" in expect and expect["valid"] != valid:
        out.append(f"valid: expected {_b(expect['valid'])}, got {_b(valid)}"
                   + (f" ({_errors_text(errors)})" if errors else ""))
    if "errors" in expect:
        wanted = list(expect["errors"])
        missing = [w for w in wanted if not any(_under(k, w) for k in errors)]
        extra = [k for k in errors if not any(_under(k, w) for w in wanted)]
        if missing or extra:
            out.append(f"errors: expected {_list(wanted)}, got {_list(sorted(errors))}"
                       + (f" ({_errors_text(errors)})" if errors else ""))
    return out


def _under(key: str, name: str) -> bool:
    """An error key ``items.0.text`` answers an expected ``items`` (and itself)."""
    return key == name or key.startswith(name + ".")


def _compare_visibility(sdef, expect, data, applicant) -> list[str]:
    if "visible" not in expect and "hidden" not in expect:
        return []
    from app.defs.validate import hidden_fields
    from app.engine.context import applicant_view
    names = {f.name for f in sdef.form.input_fields()}
    hidden = hidden_fields(sdef.form, data, applicant_view(applicant))
    out = []
    for key, want_hidden in (("visible", False), ("hidden", True)):
        for name in expect.get(key, ()):
            if name not in names:
                out.append(f"{key}: {name} is not a field of {sdef.id}")
            elif (name in hidden) != want_hidden:
                out.append(f"{key}: expected {name} {'hidden' if want_hidden else 'shown'}, "
                           f"it is {'hidden' if name in hidden else 'shown'}")
    return out


def _compare_route(sdef, expect, applicant, clean) -> list[str]:
    from app.engine.context import step_applies
    from plugins.assignees import Context, resolve
    first = sdef.steps[0]
    route = [first] + [s for s in sdef.steps[1:] if step_applies(s, applicant, clean)]
    out = []
    got = [s.id for s in route]
    if "steps" in expect and list(expect["steps"]) != got:
        out.append(f"steps: expected {_list(expect['steps'])}, got {_list(got)}")
    ctx = Context(applicant=applicant, data=clean)
    wanted = expect.get("assignees") or {}
    for step in route:
        if step.id in wanted:
            continue
        if not resolve(step.by, ctx):
            out.append(f"assignees.{step.id}: nobody handles this step "
                       f"(submitting fails with 没有可办理人)")
    for step_id, names in wanted.items():
        step = sdef.step(step_id)
        if step is None:
            out.append(f"assignees.{step_id}: {sdef.id} has no step {step_id!r}")
            continue
        if step not in route:
            out.append(f"assignees.{step_id}: the step is skipped for this data")
            continue
        people = sorted(u.username for u in resolve(step.by, ctx))
        if sorted(names) != people:
            out.append(f"assignees.{step_id}: expected {_list(sorted(names))}, got {_list(people)}")
    return out


def _b(value: bool) -> str:
    return "true" if value else "false"


def _list(items) -> str:
    return "[" + ", ".join(items) + "]"


def _errors_text(errors: dict) -> str:
    return "; ".join(f"{k}: {'、'.join(v)}" for k, v in sorted(errors.items()))
