"""加签: an approver asks others to sign, before, after or beside them.

- ``before``: the named people approve first; the caller's to-do waits (``waiting``) and
  comes back to them when the last of them has approved;
- ``parallel``: the named people join the current step, and the caller and they must all
  approve (会签 among them), whatever the step's mode;
- ``after``: a step is added after the current one (会签 among the named people), kept on
  the instance (``Instance.inserted``) so its definition shows it like any other step.

In a 或签 step the caller takes the step: the other assignees' to-dos are closed, so an
approval racing an 加签 has exactly one winner. Added people are notified like any new
to-do; a flow record says who added whom.
"""
from __future__ import annotations

import copy

from app.db import write_transaction
from app.engine import events, machine, rows
from app.engine.exceptions import Conflict, Invalid
from app.engine.states import OPEN_TASK, Action as A, TaskStatus
from app.models import Task, User, utcnow

POSITIONS = {"before": "前加签", "after": "后加签", "parallel": "并行加签"}
MAX_SIGNERS = 10


def inserted_steps(instance) -> list[dict]:
    return list(instance.inserted or [])


def _label(user) -> str:
    return f"{user.name}（{user.username}）"


def _people(usernames, caller, instance) -> list:
    """The named people, when each is active staff other than the caller and the applicant;
    else Invalid naming everyone refused (students, external users, inactive accounts)."""
    if not isinstance(usernames, list) or not usernames or len(usernames) > MAX_SIGNERS:
        raise Invalid("请选择加签人", fields={"to_users": [f"1–{MAX_SIGNERS} 位用户"]})
    names = list(dict.fromkeys(str(u).strip() for u in usernames if str(u).strip()))
    found = {u.username: u for u in User.select().where(User.username.in_(names))}
    missing = [n for n in names if n not in found]
    if missing:
        raise _refuse(f"用户不存在：{'、'.join(missing)}")
    if caller.username in found:
        raise _refuse("不能给自己加签")
    applicant = [u for u in found.values() if u.id == instance.applicant_id]
    if applicant:
        raise _refuse(f"不能加签给申请人：{_label(applicant[0])}")
    others = [found[n] for n in names if not found[n].is_active or found[n].type != "staff"]
    if others:
        raise _refuse(f"只能加签给在职教职工，以下人员不可加签：{'、'.join(map(_label, others))}")
    return [found[n] for n in names]


def _refuse(message) -> Invalid:
    return Invalid(message, fields={"to_users": [message]})


def add_signer(instance, user, to_users, position, opinion="", expected_step=None):
    if position not in POSITIONS:
        raise Invalid("加签方式无效", fields={"position": ["before / after / parallel"]})
    people = _people(to_users, user, instance)
    with write_transaction():
        fresh = rows.lock(instance)
        if expected_step and fresh.step != expected_step:
            raise Conflict("该事项已被处理或已流转到下一步，请刷新查看")
        case = machine.Case(fresh, user)
        move = machine.begin(case, A.ADD_SIGNER)
        task, step = case.task, case.step
        holding = {t.assignee_id for t in Task.select(Task.assignee).where(
            Task.instance == fresh, Task.step == step.id, Task.kind == "do",
            Task.status.in_(OPEN_TASK))}
        if position != "after" and holding & {p.id for p in people}:
            raise Invalid("所选人员已在办理此步骤", fields={"to_users": ["所选人员已在办理此步骤"]})
        now = utcnow()
        if position != "after" and step.mode != "all":
            _take_the_step(fresh, step, task, user, now)
        names = "、".join(p.name for p in people)
        if position == "after":
            _insert_after(fresh, step, people)
        else:
            if position == "before":
                Task.update(status=TaskStatus.WAITING).where(Task.id == task.id).execute()
            else:
                Task.update(added="parallel").where(Task.id == task.id).execute()
            created = [Task.create(instance=fresh, step=step.id, step_name=step.name, assignee=p,
                                   added=position, added_by=user.id, created=now, due=fresh.due)
                       for p in people]
        rows.record(fresh, step, A.ADD_SIGNER, user, now, opinion,
                    detail=f"{POSITIONS[position]}：{names}")
        rows.save(fresh, now)
        machine.finish(fresh, move)
        if position != "after":
            for t in created:
                events.emit("task_created", instance=fresh, task=t)
    return fresh


def _take_the_step(instance, step, task, user, now) -> None:
    """或签: the caller asked for more signatures, so the others no longer decide this step."""
    others = list(Task.select().where(Task.instance == instance, Task.step == step.id,
                                      Task.kind == "do", Task.status == TaskStatus.OPEN,
                                      Task.id != task.id))
    if not others:
        return
    Task.update(status=TaskStatus.CLOSED, action=A.CLOSE, acted=now).where(
        Task.id.in_([t.id for t in others]), Task.status == TaskStatus.OPEN).execute()
    for other in others:
        rows.record(instance, step, A.CLOSE, other.assignee, now, detail=f"已由 {user.name} 加签办理")


def _insert_after(instance, step, people) -> None:
    inserted = copy.deepcopy(inserted_steps(instance))
    number = len(inserted) + 1
    names = "、".join(p.name for p in people)
    inserted.append({"after": step.id, "step": {
        "id": f"jiaqian-{number}", "name": f"加签：{names}",
        "by": {"users": [p.username for p in people]}, "mode": "all", "opinion": "optional",
        "actions": [str(A.APPROVE), str(A.RETURN)], "hidden": list(step.hidden), "edit": []}})
    instance.inserted = inserted


def after_before_signer(instance, step, task, now) -> bool:
    """An added-before signer approved: when none of them is left, the caller's to-do comes
    back. True (the step does not move on) for such a task."""
    if task.added != "before":
        return False
    left = (Task.select().where(Task.instance == instance, Task.step == step.id,
                                Task.status == TaskStatus.OPEN,
                                Task.added == "before", Task.added_by == task.added_by).exists())
    if not left:
        waiting = (Task.select().where(Task.instance == instance, Task.step == step.id,
                                       Task.assignee == task.added_by,
                                       Task.status == TaskStatus.WAITING).first())
        if waiting is not None:
            Task.update(status=TaskStatus.OPEN).where(Task.id == waiting.id).execute()
            events.emit("task_created", instance=instance, task=waiting)
    rows.save(instance, now)
    return True
