"""What an applicant would see and who would handle each step, for a sample applicant."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.engine.context import step_applies
from app.engine.core import initial_data
from app.defs.expr import ExprError
from plugins.assignees import Context, describe, resolve


@dataclass
class StepCheck:
    id: str
    name: str
    who: str                         # the assignee spec in words
    users: list = field(default_factory=list)
    applies: bool = True
    nobody: bool = False             # resolves to nobody: flagged before publishing
    depends_on_form: bool = False    # {field: F}: known only once the applicant picks someone
    cc: list = field(default_factory=list)   # [(words, users)]


def sample_data(sdef, sample, now: datetime | None = None) -> dict:
    """The form as it opens for ``sample``: defaults and autofill."""
    return initial_data(sdef, sample, now)


def check_chain(sdef, sample, data: dict | None = None) -> list[StepCheck]:
    data = sample_data(sdef, sample) if data is None else data
    ctx = Context(applicant=sample, data=data)
    checks = []
    for step in sdef.steps:
        users = resolve(step.by, ctx)
        check = StepCheck(id=step.id, name=step.name, who=describe(step.by), users=users,
                          applies=_applies(step, sample, data),
                          depends_on_form=isinstance(step.by, dict) and "field" in step.by)
        check.nobody = not users and not check.depends_on_form
        check.cc = [(describe(spec), resolve(spec, ctx)) for spec in step.cc]
        checks.append(check)
    return checks


def _applies(step, sample, data) -> bool:
    try:
        return step_applies(step, sample, data)
    except (ExprError, TypeError, ValueError):
        return True


def problems(checks: list[StepCheck]) -> list[str]:
    """The warnings to show before publishing."""
    out = []
    for c in checks:
        if c.nobody:
            out.append(f"步骤“{c.name}”的办理人（{c.who}）找不到任何人")
        for words, users in c.cc:
            if not users and "表单字段" not in words:
                out.append(f"步骤“{c.name}”的抄送人（{words}）找不到任何人")
    return out


def milestones(checks: list[StepCheck]) -> list[dict]:
    items = [{"name": c.name, "state": "current" if i == 0 else "future"}
             for i, c in enumerate(checks) if c.applies]
    return items + [{"name": "完成", "state": "future"}]
