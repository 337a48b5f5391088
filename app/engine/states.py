"""Statuses as enums, the transition table, and ``available_actions``.

"What may this user do now?" has one answer, asked by the personal center's pages, the
API and the designer alike. The engine's transition functions check the same table before
they write, so a page can never offer what the engine would refuse, nor the reverse.
"""
from __future__ import annotations

from enum import StrEnum

from app.engine import rows
from app.engine.duties import applies
from app.engine.queries import can_reassign, open_task
from app.engine.versions import service_def


class InstanceStatus(StrEnum):
    DRAFT = "draft"              # 草稿 (存草稿)
    RUNNING = "running"          # 办理中
    RETURNED = "returned"        # 已退回: waits for the applicant to resubmit
    COMPLETED = "completed"      # 已完成
    TERMINATED = "terminated"    # 已终止 (终止 or 撤回)


class TaskStatus(StrEnum):
    OPEN = "open"                # waiting for its assignee
    WAITING = "waiting"          # 加签 before: back to open when the added people have approved
    DONE = "done"                # acted on by its assignee
    CLOSED = "closed"            # closed by someone else's action (或签, return, terminate)
    CC = "cc"                    # a read-only copy (抄送)


S = InstanceStatus
ACTIVE = (S.RUNNING, S.RETURNED)
FINISHED = (S.COMPLETED, S.TERMINATED)

# action → {status it may start from: statuses it may lead to}
TRANSITIONS: dict[str, dict[InstanceStatus, tuple[InstanceStatus, ...]]] = {
    "save_draft": {S.DRAFT: (S.DRAFT,), S.RETURNED: (S.RETURNED,)},
    "submit": {S.DRAFT: (S.RUNNING, S.COMPLETED), S.RETURNED: (S.RUNNING, S.COMPLETED)},
    "approve": {S.RUNNING: (S.RUNNING, S.COMPLETED)},
    "return": {S.RUNNING: (S.RETURNED, S.RUNNING)},
    "terminate": {S.RUNNING: (S.TERMINATED,)},
    "withdraw": {S.RUNNING: (S.TERMINATED,)},
    "transfer": {S.RUNNING: (S.RUNNING,)},
    "reassign": {S.RUNNING: (S.RUNNING,), S.RETURNED: (S.RETURNED,)},
    "migrate": {S.RUNNING: (S.RUNNING,), S.RETURNED: (S.RETURNED,)},
    "remind": {S.RUNNING: (S.RUNNING,)},
    "add_signer": {S.RUNNING: (S.RUNNING,)},
}
STEP_ACTIONS = ("approve", "return", "terminate", "add_signer")   # what a step's ``actions`` may list

STATUS_LABELS = {
    S.DRAFT: "草稿", S.RUNNING: "办理中", S.RETURNED: "已退回",
    S.COMPLETED: "已完成", S.TERMINATED: "已终止",
}
ACTION_LABELS = {
    "save_draft": "存草稿", "submit": "提交", "approve": "通过", "return": "退回",
    "terminate": "终止", "withdraw": "撤回", "transfer": "转办", "close": "关闭",
    "complete": "办结", "reassign": "改派", "migrate": "版本迁移", "remind": "催办",
    "add_signer": "加签", "escalate": "转交", "skip": "跳过",
    "reply": "回访答复",
}


def can_start_from(status, action: str) -> bool:
    """Whether the table lets ``action`` run on an instance in ``status``."""
    return status in TRANSITIONS.get(action, {})


def available_actions(instance, user, sdef=None) -> list[str]:
    """The actions ``user`` may take on ``instance`` now, in the order pages show them.

    The applicant: 存草稿/提交 on a draft or a returned item, 撤回 while nobody has acted,
    催办 while it runs.
    An assignee with an open to-do at the current step: the step's actions and 转办.
    An admin of the service (system admin, or dept_admin of its department): 改派.
    """
    if user is None or not getattr(user, "id", None):
        return []
    sdef = sdef or service_def(instance)
    status, actions = InstanceStatus(instance.status), []
    is_applicant = instance.applicant_id == user.id
    task = open_task(instance, user) if status in ACTIVE else None
    if is_applicant and (status == S.DRAFT or (status == S.RETURNED and task is not None)):
        actions += ["save_draft", "submit"]
    if status == S.RUNNING and task is not None and instance.step:
        step = sdef.step(instance.step)
        if is_applicant and applies(step, sdef):
            step = None                         # 申请人不能审批本人的申请 (an old to-do of theirs)
        if step is not None and step.id != sdef.steps[0].id:
            if task.added == "before":          # asked for an opinion first: approve only
                actions.append("approve")
            else:
                mine = [a for a in STEP_ACTIONS if a in step.actions]
                if task.added:
                    mine = [a for a in mine if a != "add_signer"]
                actions += mine + ["transfer"]
    if is_applicant and status == S.RUNNING and not rows.someone_acted(instance, user):
        actions.append("withdraw")
    if is_applicant and status == S.RUNNING:
        actions.append("remind")
    if status in ACTIVE and can_reassign(user, instance.service):
        actions.append("reassign")
    return [a for a in actions if can_start_from(status, a)]
