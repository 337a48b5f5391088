"""委托/代理: an approver away hands their new to-dos to a deputy for a while.

While a delegation is active, a to-do that would go to the delegator (for the listed
services, or all) goes to the delegate instead, remembering whom it is for
(``Task.on_behalf_of``); the flow record of the delegate's action says 张三（代李四）.
To-dos already open when the delegation is made move only if the delegator asks.

Refused with a clear message: a delegation to oneself, to someone who cannot approve
(inactive, or not staff: students and external users are never approvers), an end before
the start, one longer than a year, unknown services, one that overlaps the delegator's own active delegation for
the same services, and one that closes a cycle (李四 → 张三 while 张三 → 李四 overlaps).
"""
from __future__ import annotations

from datetime import datetime

from app.db import write_transaction
from app.engine import events
from app.engine.exceptions import Invalid, NotFound
from app.engine.states import Action, TaskStatus
from app.db.prepared import SelectRows
from app.models import Delegation, FlowRecord, Instance, Service, Task, User, utcnow

MAX_CHAIN = 10


def _covers(services, slug) -> bool:
    return services is None or slug in services


def _overlap(a_services, b_services) -> bool:
    return a_services is None or b_services is None or bool(set(a_services) & set(b_services))


def active(query_time=None):
    now = query_time or utcnow()
    return Delegation.select().where(Delegation.revoked.is_null(), Delegation.start <= now,
                                     Delegation.end > now)


ACTIVE_OF_ONE = SelectRows(
    Delegation, lambda q, s: q.where(Delegation.revoked.is_null(), Delegation.start <= s.now,
                                     Delegation.end > s.now, Delegation.delegator == s.delegator)
    .order_by(Delegation.created.desc()), now=Delegation.start, delegator=Delegation.delegator
).named("engine.delegation.active_of_one", now=lambda w: w.now, delegator=lambda w: w.leader)


def delegates_for(people, slug, now=None) -> dict:
    """{user id: delegate User} for those of ``people`` who delegate ``slug`` now (one query;
    prepared for the common step with one assignee)."""
    ids = [p.id for p in people]
    if not ids:
        return {}
    found = {}
    if len(ids) == 1:
        rows = ACTIVE_OF_ONE.all(now=now or utcnow(), delegator=ids[0])
    else:
        rows = (active(now).where(Delegation.delegator.in_(ids))
                .order_by(Delegation.created.desc()))
    for d in rows:
        if d.delegator_id not in found and _covers(d.services, slug) and d.delegate.is_active:
            found[d.delegator_id] = d.delegate
    return found


def one_year_after(moment: datetime) -> datetime:
    """The same moment a year later (29 February → 1 March)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, month=3, day=1)


def _window_overlaps(query, start, end):
    return query.where(Delegation.revoked.is_null(), Delegation.start < end, Delegation.end > start)


def create(delegator, to_user, start: datetime, end: datetime, services=None, *,
           move_open: bool = False, now=None) -> Delegation:
    now = now or utcnow()
    delegate = User.get_or_none(User.username == str(to_user or "").strip())
    if delegate is None or not delegate.is_active:
        raise Invalid("受托人不存在或已停用", fields={"to_user": ["用户不存在"]})
    if delegate.id == delegator.id:
        raise Invalid("不能委托给自己", fields={"to_user": ["不能委托给自己"]})
    if delegate.type != "staff":
        raise Invalid("只能委托给教职工（学生和校外人员不能办理审批）",
                      fields={"to_user": ["只能委托给教职工"]})
    if not (start < end) or end <= now:
        raise Invalid("结束时间必须晚于开始时间和当前时间", fields={"end": ["结束时间无效"]})
    if end > one_year_after(start):
        message = "委托期限最长为一年，请提前结束日期"
        raise Invalid(message, fields={"end": [message]})
    if services is not None:
        if not isinstance(services, list) or not services:
            raise Invalid("services 应为服务标识列表，或 null 表示全部", fields={"services": ["格式不正确"]})
        known = {s.slug for s in Service.select(Service.slug).where(Service.slug.in_(services))}
        unknown = [s for s in services if s not in known]
        if unknown:
            raise Invalid(f"服务不存在：{'、'.join(map(str, unknown))}", fields={"services": ["服务不存在"]})
    mine = _window_overlaps(Delegation.select().where(Delegation.delegator == delegator), start, end)
    if any(_overlap(d.services, services) for d in mine):
        raise Invalid("与您已有的委托时间重叠，请先撤销原委托", fields={"start": ["时间重叠"]})
    if _closes_cycle(delegator, delegate, start, end, services):
        raise Invalid("受托人已把相同事项委托给您（或经他人转委托给您），会形成循环委托",
                      fields={"to_user": ["形成循环委托"]})
    with write_transaction():
        delegation = Delegation.create(delegator=delegator, delegate=delegate, start=start,
                                       end=end, services=services, created=now)
        if move_open and start <= now:
            move_open_tasks(delegation, now)
    return delegation


def _closes_cycle(delegator, delegate, start, end, services) -> bool:
    """Whether following the delegate's own overlapping delegations leads back."""
    frontier, seen = [delegate.id], set()
    for _ in range(MAX_CHAIN):
        if not frontier:
            return False
        rows = _window_overlaps(Delegation.select().where(Delegation.delegator.in_(frontier)),
                                start, end)
        nxt = []
        for d in rows:
            if not _overlap(d.services, services):
                continue
            if d.delegate_id == delegator.id:
                return True
            if d.delegate_id not in seen:
                seen.add(d.delegate_id)
                nxt.append(d.delegate_id)
        frontier = nxt
    return True


def move_open_tasks(delegation, now) -> int:
    """The delegator's open to-dos (in the delegation's services) go to the delegate now."""
    tasks = [t for t in Task.select(Task, Instance).join(Instance).where(
        Task.assignee == delegation.delegator, Task.kind == "do", Task.status == TaskStatus.OPEN)
        if _covers(delegation.services, t.instance.service.slug)
        and t.instance.applicant_id != delegation.delegate_id]   # never to its own applicant
    for task in tasks:
        Task.update(assignee=delegation.delegate, on_behalf_of=delegation.delegator_id).where(
            Task.id == task.id, Task.status == TaskStatus.OPEN).execute()
        FlowRecord.create(instance=task.instance, step=task.step, step_name=task.step_name,
                          action=Action.TRANSFER, user=delegation.delegator, at=now,
                          on_behalf_of=None, detail=f"委托给 {delegation.delegate.name}")
        task.assignee = delegation.delegate
        events.emit("task_created", instance=task.instance, task=task)
    return len(tasks)


def for_user(user) -> list:
    return list(Delegation.select().where(Delegation.delegator == user,
                                          Delegation.revoked.is_null())
                .order_by(Delegation.start.desc()))


def revoke(delegation_id, user, now=None) -> None:
    d = Delegation.get_or_none(Delegation.id == delegation_id, Delegation.delegator == user,
                               Delegation.revoked.is_null())
    if d is None:
        raise NotFound("委托不存在")
    Delegation.update(revoked=now or utcnow()).where(Delegation.id == d.id).execute()


def describe_user(user_name: str, on_behalf_name: str | None) -> str:
    """张三（代李四）"""
    return f"{user_name}（代{on_behalf_name}）" if on_behalf_name else user_name
