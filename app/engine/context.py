"""What conditions, titles and resolvers may see of an instance."""
import re

APPLICANT_ATTRS = ("name", "username", "type", "department", "phone", "email")


def applicant_view(user) -> dict:
    return {
        "name": user.name,
        "username": user.username,
        "type": user.type,
        "department": user.department_name,
        "phone": user.phone or "",
        "email": user.email or "",
    }


def condition_context(user, data: dict) -> dict:
    return {"form": dict(data or {}), "applicant": applicant_view(user)}


def step_applies(step, user, data) -> bool:
    """A step with ``when:`` is skipped when its condition is false."""
    if not step.when:
        return True
    from app.defs.expr import parse
    return bool(parse(step.when).evaluate(condition_context(user, data)))


_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")


def render_title(template: str, *, service: str, user, data: dict, serial, form=None) -> str:
    """Fill ``{service}_{applicant.name}_{form.unit}``; never str.format (no attribute walks).

    Titles show in everyone's lists: a field whose type masks (an ID number) goes in masked."""
    values = {"service": service, "serial": str(serial)}
    values.update({f"applicant.{k}": v for k, v in applicant_view(user).items()})

    def sub(match):
        key = match.group(1)
        if key.startswith("form."):
            value = (data or {}).get(key[5:], "")
            if value is None or isinstance(value, (list, dict)):
                return ""
            return str(_masked(form, key[5:], value))
        return str(values.get(key, ""))

    return _PLACEHOLDER.sub(sub, template)[:300]


def _masked(form, name, value):
    from plugins.masking import masked_value
    return masked_value(form.field(name) if form is not None else None, value)
