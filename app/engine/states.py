"""The words of the state machine: statuses and actions as enums, and their labels.

This module imports nothing, so every part of the engine (and the web) can name a status
or an action without a literal. The transitions between statuses — who may take which
action when, and where it leads — are ``app.engine.machine``'s table.

Being ``StrEnum``s, the members are the very strings stored in the rows, sent in JSON and
written in URLs: ``Status.RUNNING == "running"``.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """An instance's status."""
    DRAFT = "draft"              # 草稿 (存草稿)
    RUNNING = "running"          # 办理中
    RETURNED = "returned"        # 已退回: waits for the applicant to resubmit
    COMPLETED = "completed"      # 已完成
    TERMINATED = "terminated"    # 已终止 (终止 or 撤回)


InstanceStatus = Status


class TaskStatus(StrEnum):
    OPEN = "open"                # waiting for its assignee
    WAITING = "waiting"          # 加签 before: back to open when the added people have approved
    DONE = "done"                # acted on by its assignee
    CLOSED = "closed"            # closed by someone else's action (或签, return, terminate)
    CC = "cc"                    # a read-only copy (抄送)


class Action(StrEnum):
    """What a user asks for; the flow records and the to-dos keep the same words."""
    SAVE_DRAFT = "save_draft"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    TERMINATE = "terminate"
    WITHDRAW = "withdraw"
    TRANSFER = "transfer"
    REASSIGN = "reassign"
    MIGRATE = "migrate"
    REMIND = "remind"
    ADD_SIGNER = "add_signer"
    # written by the engine in the flow record, never asked for
    CLOSE = "close"              # a to-do closed by someone else's action
    COMPLETE = "complete"        # the instance finished (办结)
    ESCALATE = "escalate"        # an applicant's share of a step went to someone else
    SKIP = "skip"                # a step skipped (nobody left to hold it)
    REPLY = "reply"              # the applicant answered a 差评回访


S, A = Status, Action
ACTIVE = (S.RUNNING, S.RETURNED)
FINISHED = (S.COMPLETED, S.TERMINATED)
OPEN_TASK = (TaskStatus.OPEN, TaskStatus.WAITING)      # a to-do someone still has to act on
STEP_ACTIONS = (A.APPROVE, A.RETURN, A.TERMINATE, A.ADD_SIGNER)   # what a step's ``actions`` may list
DECISIONS = (A.APPROVE, A.RETURN, A.TERMINATE, A.TRANSFER)      # an assignee acted (撤回 too late)

STATUS_LABELS = {
    S.DRAFT: "草稿", S.RUNNING: "办理中", S.RETURNED: "已退回",
    S.COMPLETED: "已完成", S.TERMINATED: "已终止",
}
ACTION_LABELS = {
    A.SAVE_DRAFT: "存草稿", A.SUBMIT: "提交", A.APPROVE: "通过", A.RETURN: "退回",
    A.TERMINATE: "终止", A.WITHDRAW: "撤回", A.TRANSFER: "转办", A.CLOSE: "关闭",
    A.COMPLETE: "办结", A.REASSIGN: "改派", A.MIGRATE: "版本迁移", A.REMIND: "催办",
    A.ADD_SIGNER: "加签", A.ESCALATE: "转交", A.SKIP: "跳过",
    A.REPLY: "回访答复",
}
