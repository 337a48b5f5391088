"""Separation of duties: no step hands an instance to its own applicant.

Applied once, where a step's assignees are resolved (``core._activate``), so it holds for
every assignee kind — built-in or a plugin's — and for the step 加签 adds after another.
A step's ``self_approval`` says what happens to the applicant's share:

- ``escalate`` (default): it goes to the step's ``escalate_to`` (default: the service
  department's ``dept_admin`` holders; system admins when there are none) — in a 或签
  step with other assignees left, they alone decide it (nobody is added);
- ``skip``: it is dropped; with nobody else left the step is skipped;
- ``allow``: the applicant keeps it (the old behaviour).

A flow record says why. Delegation, 转办/改派 and 加签 refuse the applicant on their own
(``delegate_or_self``; the state machine's rule ``NOT_OWN``), and ``act`` refuses an applicant
who holds an approver's to-do anyway (one made before this rule).
"""
from __future__ import annotations

from app.engine.exceptions import NoAssignee
from plugins import assignees

SELF_APPROVAL = ("escalate", "skip", "allow")
REASON = "申请人不能审批本人的申请"
SELF_REFUSAL = f"{REASON}，请由其他办理人办理"


def _mode(step) -> str:
    return getattr(step, "self_approval", None) or "escalate"


def screen(step, sdef, instance, ctx, people) -> tuple[list, str]:
    """(people, detail): ``people`` without the applicant as the step's mode says, and the
    record's text ('' when nothing changed). An empty list means: skip the step."""
    applicant_id = instance.applicant_id
    if _mode(step) == "allow" or all(p.id != applicant_id for p in people):
        return people, ""
    others = [p for p in people if p.id != applicant_id]
    if _mode(step) == "skip":
        if others:
            return others, f"{REASON}，已跳过申请人"
        return [], f"{REASON}，本步骤已跳过"
    if others and step.mode != "all":             # 或签: any of the others decides it alone
        return others, f"{REASON}，由本步骤其他办理人办理"
    extra = [p for p in escalation_targets(step, sdef, ctx) if p.id != applicant_id]
    if not extra and not others:
        raise NoAssignee(f"步骤“{step.name}”：{REASON}，且没有可转交的人员，请联系管理员",
                         fields={"step": [f"步骤“{step.name}”没有可转交的办理人"]})
    known = {p.id for p in others}
    added = [p for p in extra if p.id not in known]
    names = "、".join(p.name for p in added) or "本步骤其他办理人"
    return others + added, f"{REASON}，已转交{names}"


def escalation_targets(step, sdef, ctx) -> list:
    spec = getattr(step, "escalate_to", None)
    if spec:
        return assignees.resolve(spec, ctx)
    found = assignees.resolve({"role": "dept_admin", "department": sdef.department}, ctx)
    if not [p for p in found if p.id != ctx.applicant.id]:
        found = assignees.resolve({"role": "admin"}, ctx)
    return found


def applies(step, sdef) -> bool:
    """Whether the rule binds on this step (never on the applicant's own first step)."""
    return step is not None and step.id != sdef.steps[0].id and _mode(step) != "allow"


def deputy_allowed(deputy, instance) -> bool:
    """A delegation never routes an item to its applicant: the delegator keeps it."""
    return deputy.id != instance.applicant_id
