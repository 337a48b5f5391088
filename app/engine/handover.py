"""转办 (an assignee hands their to-do to a colleague) and 改派 (an admin moves a to-do)."""
from app.db import write_transaction
from app.engine import events, machine, rows
from app.engine.exceptions import Conflict, Invalid, NotFound
from app.engine.states import Action as A, TaskStatus
from app.models import Task, User, utcnow


def _active_user(who, message):
    """An active User from a User or a username, else Invalid on ``to_user``."""
    username = who.username if isinstance(who, User) else (who or "")
    target = User.get_or_none(User.username == username, User.is_active == True)  # noqa: E712
    if target is None:
        raise Invalid(message, fields={"to_user": ["用户不存在或已停用"]})
    return target


def _hand_over(instance, step, task, target, action, by, now, opinion="", detail=""):
    """Close ``task`` with ``action`` and give the step to ``target`` (转办 / 改派)."""
    if target.id == instance.applicant_id:
        message = "申请人不能审批本人的申请，不能转给申请人"
        raise Invalid(message, fields={"to_user": [message]})
    if target.id == task.assignee_id or rows.open_task(instance, target):
        raise Invalid("该用户已是此步骤的办理人", fields={"to_user": ["该用户已是此步骤的办理人"]})
    rows.claim_task(instance, None, action, now, task=task, status=TaskStatus.CLOSED)
    new = Task.create(instance=instance, step=step.id, step_name=step.name, assignee=target,
                      created=now, due=instance.due)
    rows.record(instance, step, action, by, now, opinion, detail=detail)
    rows.save(instance, now)
    events.emit("task_created", instance=instance, task=new)
    return new


def transfer(instance, step, task, user, to_username, opinion, now):
    """转办: the assignee hands their own to-do to a colleague, with a record."""
    target = _active_user(to_username, "请选择有效的转办对象")
    _hand_over(instance, step, task, target, A.TRANSFER, user, now, opinion,
               detail=f"转办给 {target.name}({target.username})")
    return instance


def reassign(task, to_user, by: User) -> Task:
    """改派: an admin, or a dept_admin of the service's department, moves an open to-do
    (say, of someone who left) to ``to_user`` (a User or a username). Returns the new task."""
    task = Task.get_or_none(Task.id == getattr(task, "id", task))
    if task is None:
        raise NotFound("任务不存在")
    with write_transaction():
        fresh = rows.lock(task.instance)
        case = machine.Case(fresh, by)
        move = machine.begin(case, A.REASSIGN)
        target = _active_user(to_user, "请选择有效的改派对象")
        current = Task.get_by_id(task.id)
        if current.kind != "do" or current.status != TaskStatus.OPEN or current.step != fresh.step:
            raise Conflict("该任务已办理或已关闭，不能改派")
        old = current.assignee
        new = _hand_over(fresh, case.step, current, target, A.REASSIGN, by, utcnow(),
                         detail=f"由 {old.name}({old.username}) 改派给 "
                                f"{target.name}({target.username})")
        machine.finish(fresh, move)
    return new
