"""差评回访: a rating of 1–2 stars opens a follow-up to-do for the owning department's
dept_admin holders; one of them closes it with a reply, which the applicant reads.

The follow-up is a Task of kind ``followup`` on the rated instance, so it shows in 待办
(page, badge and ``/api/v1/me/items?box=todo``) through the same query as approvals. It
never offers approval actions (those read only ``do`` tasks). Closing is a conditional
UPDATE: of two admins replying at once, one wins and the other gets 409.
"""
from __future__ import annotations

from app.db import write_transaction
from app.engine.exceptions import Conflict, Invalid, NotAllowed
from app.engine.states import Action, Status, TaskStatus
from app.models import Department, FlowRecord, Role, Task, User, UserRole, utcnow
from app.models.hall import Rating

KIND = "followup"
STEP, STEP_NAME = "followup", "差评回访"
LOW_STARS = 2
MAX_REPLY = 1000


def holders(department: str) -> list[int]:
    """Active dept_admin holders of the department; the admins when it has none (a
    follow-up is never left with nobody to answer it)."""
    def of(code, dept=None):
        query = (User.select(User.id).join(UserRole).join(Role)
                 .where(Role.code == code, User.is_active == True))  # noqa: E712
        if dept is not None:
            query = (query.switch(UserRole).join(Department, on=(UserRole.department == Department.id))
                     .where(Department.name == dept))
        return sorted({u for u, in query.tuples()})
    return of("dept_admin", department) or of("admin")


def open_for(rating: Rating, service, now=None) -> list[Task]:
    """Called inside the rating's transaction: one open follow-up per holder."""
    if rating.stars > LOW_STARS:
        return []
    now = now or utcnow()
    return [Task.create(instance=rating.instance_id, step=STEP, step_name=STEP_NAME, assignee=uid,
                        kind=KIND, status=TaskStatus.OPEN, created=now)
            for uid in holders(service.department)]


def open_follow_up(instance, user) -> Task | None:
    if user is None or not getattr(user, "id", None):
        return None
    return (Task.select().where(Task.instance == instance.id, Task.assignee == user.id,
                                Task.kind == KIND, Task.status == TaskStatus.OPEN).first())


def close(instance, user, reply: str) -> Rating:
    """Answer the follow-up: the caller's task is done, the other holders' close."""
    reply = (reply or "").strip()
    if not reply:
        raise Invalid("请填写回访答复", fields={"reply": ["请填写回访答复"]})
    if len(reply) > MAX_REPLY:
        raise Invalid(f"回访答复最多{MAX_REPLY}个字", fields={"reply": [f"最多可输入{MAX_REPLY}个字"]})
    now = utcnow()
    with write_transaction():
        task = open_follow_up(instance, user)
        if task is None:
            if Task.select().where(Task.instance == instance.id, Task.assignee == user.id,
                                   Task.kind == KIND).exists():
                raise Conflict("该差评回访已被处理")
            raise NotAllowed("您没有待处理的差评回访")
        claimed = (Task.update(status=TaskStatus.DONE, action=Action.REPLY, acted=now)
                   .where(Task.id == task.id, Task.status == TaskStatus.OPEN).execute())
        if claimed != 1:
            raise Conflict("该差评回访已被处理")
        (Task.update(status=TaskStatus.CLOSED, action=Action.CLOSE, acted=now)
         .where(Task.instance == instance.id, Task.kind == KIND,
                Task.status == TaskStatus.OPEN).execute())
        Rating.update(reply=reply, replied_by=user.id, replied_at=now).where(
            Rating.instance == instance.id).execute()
        FlowRecord.create(instance=instance.id, step=STEP, step_name=STEP_NAME, action=Action.REPLY,
                          user=user.id, at=now, opinion=reply)
    return Rating.get(Rating.instance == instance.id)


def view(instance, user) -> dict | None:
    """What the instance page shows of the follow-up: to its holders the remark and a reply
    form; to everyone who sees the page the reply once given."""
    if instance.status != Status.COMPLETED:
        return None
    rating = Rating.get_or_none(Rating.instance == instance.id)
    if rating is None or rating.stars > LOW_STARS:
        return None
    task = open_follow_up(instance, user)
    if task is None and not rating.reply:
        return None
    return {"rating": rating, "task": task,
            "holder": task is not None or instance.applicant_id != getattr(user, "id", None)}
