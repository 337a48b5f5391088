"""The state machine: one table of guarded transitions, asked by pages and run by the engine.

A ``Transition`` says from which status an action may start, which statuses it may lead to,
and the rules (its guard) that must hold for the user asking. The personal center, the API
and the designer ask ``available_actions`` — the transitions whose source is the instance's
status and whose rules all hold, in the order pages show them. The engine's functions
(``core.act``, ``withdraw``, ``submit`` …) ask ``begin`` for the same transition, which
refuses with the message of the first rule that fails, and call ``finish`` once they have
written the instance: a status the table does not list as a target is a bug, never saved.

So a page cannot offer what the engine would refuse, nor the reverse.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from app.engine import duties, rows
from app.engine.exceptions import Conflict, EngineError, Invalid, NotAllowed, StateError
from app.engine.queries import can_reassign
from app.engine.states import ACTION_LABELS, ACTIVE, Action as A, Status as S
from app.engine.versions import service_def


class Case:
    """One user before one instance: what the rules ask, each looked up at most once.

    ``task``: how to find the user's to-do here. Pages read it; the engine passes one that
    claims it (a conditional UPDATE), so that of two approvers exactly one gets it."""

    def __init__(self, instance, user, sdef=None, task: Callable | None = None):
        self.instance, self.user = instance, user
        self._sdef, self._task = sdef, task

    @cached_property
    def sdef(self):
        return self._sdef or service_def(self.instance)

    @cached_property
    def is_applicant(self) -> bool:
        return self.instance.applicant_id == self.user.id

    @cached_property
    def step(self):
        return self.sdef.step(self.instance.step) if self.instance.step else None

    @cached_property
    def task(self):
        if self._task is not None:
            return self._task()
        return rows.open_task(self.instance, self.user) if self.instance.status in ACTIVE else None


@dataclass(frozen=True)
class Rule:
    """A condition of a transition, and the error a user gets when it does not hold."""
    name: str
    holds: Callable[[Case], bool]
    refusal: Callable[[Case], EngineError]


def _says(error, message) -> Callable[[Case], EngineError]:
    return lambda case: error(message)


def _explained(case) -> EngineError:
    """409 to someone who was an approver here (the item moved on), else 403."""
    return rows.refusal(case.instance, case.user, case.sdef.steps[0].id)


def applicant(message) -> Rule:
    return Rule("is the applicant", lambda c: c.is_applicant, _says(NotAllowed, message))


def listed(action) -> Rule:
    return Rule(f"the step lists {action}", lambda c: action in c.step.actions,
                _says(NotAllowed, f"此步骤不允许“{ACTION_LABELS[action]}”"))


OWN_TURN = Rule("a draft, or the returned item's to-do is the applicant's",
                lambda c: c.instance.status == S.DRAFT or c.task is not None,
                _says(Conflict, "该事项已被处理，请刷新查看"))
NOT_OWN = Rule("the applicant does not decide their own application",
               lambda c: not (c.is_applicant and duties.applies(c.step, c.sdef)),
               _says(NotAllowed, duties.SELF_REFUSAL))
HOLDS_TASK = Rule("holds an open to-do at the current step", lambda c: c.task is not None,
                  _explained)
PAST_FIRST = Rule("the current step is not the applicant's first one",
                  lambda c: c.step is not None and c.step.id != c.sdef.steps[0].id, _explained)
NOT_BEFORE = Rule("asked first by 前加签: approve only", lambda c: c.task.added != "before",
                  _says(NotAllowed, "加签人只能填写意见并通过"))
MAY_ADD_SIGNER = Rule("the step lists 加签 and the to-do is not an added one",
                      lambda c: A.ADD_SIGNER in c.step.actions and not c.task.added,
                      _says(NotAllowed, "此步骤不允许“加签”"))
NOBODY_ACTED = Rule("nobody has acted yet", lambda c: not rows.someone_acted(c.instance, c.user),
                    _says(Conflict, "已有人办理，不能撤回"))
MAY_REASSIGN = Rule("an admin of the service", lambda c: can_reassign(c.user, c.instance.service),
                    _says(NotAllowed, "只有系统管理员或该服务所属部门的管理员可以改派任务"))


@dataclass(frozen=True)
class Transition:
    """``action`` from ``source`` leads to one of ``targets`` when every rule holds.

    ``who``: rules asked before the status (who may ask at all); ``guard``: asked after it.
    ``not_now``: the refusal when no transition of the action starts from the status.
    ``offered``: False for an admin's bulk operation pages do not offer per instance."""
    source: S
    action: A
    targets: tuple[S, ...]
    guard: tuple[Rule, ...] = ()
    who: tuple[Rule, ...] = ()
    not_now: Callable[[Case], EngineError] = _explained
    offered: bool = True

    def allows(self, case) -> bool:
        return all(rule.holds(case) for rule in self.who + self.guard)


def _each(action, moves: dict, **kw) -> tuple[Transition, ...]:
    return tuple(Transition(source, action, targets, **kw) for source, targets in moves.items())


_EDIT = dict(who=(applicant("只有申请人可以修改此申请"),), guard=(OWN_TURN,),
             not_now=_says(Conflict, "该申请已提交，不能再修改"))
_DECIDE = (NOT_OWN, HOLDS_TASK, PAST_FIRST)

# In the order pages show the actions.
TABLE = (
    *_each(A.SAVE_DRAFT, {S.DRAFT: (S.DRAFT,), S.RETURNED: (S.RETURNED,)}, **_EDIT),
    *_each(A.SUBMIT, {S.DRAFT: (S.RUNNING, S.COMPLETED),
                      S.RETURNED: (S.RUNNING, S.COMPLETED)}, **_EDIT),
    Transition(S.RUNNING, A.APPROVE, (S.RUNNING, S.COMPLETED), _DECIDE + (listed(A.APPROVE),)),
    Transition(S.RUNNING, A.RETURN, (S.RETURNED, S.RUNNING),
               _DECIDE + (NOT_BEFORE, listed(A.RETURN))),
    Transition(S.RUNNING, A.TERMINATE, (S.TERMINATED,),
               _DECIDE + (NOT_BEFORE, listed(A.TERMINATE))),
    Transition(S.RUNNING, A.ADD_SIGNER, (S.RUNNING,),
               (HOLDS_TASK, NOT_OWN, PAST_FIRST, MAY_ADD_SIGNER)),
    Transition(S.RUNNING, A.TRANSFER, (S.RUNNING,), (HOLDS_TASK, NOT_OWN, PAST_FIRST, NOT_BEFORE)),
    Transition(S.RUNNING, A.WITHDRAW, (S.TERMINATED,), (NOBODY_ACTED,),
               who=(applicant("只有申请人可以撤回"),), not_now=_says(Conflict, "该申请当前不能撤回")),
    Transition(S.RUNNING, A.REMIND, (S.RUNNING,), who=(applicant("只有申请人可以催办"),),
               not_now=_says(Conflict, "该事项当前不在办理中，不能催办")),
    Transition(S.RUNNING, A.REASSIGN, (S.RUNNING,), who=(MAY_REASSIGN,),
               not_now=_says(Conflict, "该任务已办理或已关闭，不能改派")),
    *_each(A.MIGRATE, {S.RUNNING: (S.RUNNING,), S.RETURNED: (S.RETURNED,)}, offered=False,
           not_now=_says(Conflict, "该事项已不在办理中，不能迁移")),
)


class Machine:
    def __init__(self, table):
        self.table = tuple(table)
        self.moves: dict[A, dict[S, Transition]] = {}
        for t in self.table:
            same = self.moves.setdefault(t.action, {})
            if t.source in same:
                raise StateError(f"two transitions {t.action} from {t.source}")
            if any((o.who, o.not_now) != (t.who, t.not_now) for o in same.values()):
                raise StateError(f"the transitions {t.action} ask different people")
            same[t.source] = t

    def transition(self, source, action) -> Transition | None:
        return self.moves.get(action, {}).get(source)

    def begin(self, case: Case, action) -> Transition:
        """The transition ``action`` takes now, or the refusal the user sees."""
        moves = self.moves.get(action)
        if not moves:
            raise Invalid(f"未知的操作 {action}", fields={"action": ["未知的操作"]})
        _check(next(iter(moves.values())).who, case)
        transition = moves.get(case.instance.status)
        if transition is None:
            raise next(iter(moves.values())).not_now(case)
        _check(transition.guard, case)
        return transition

    @staticmethod
    def finish(instance, transition: Transition) -> None:
        """Refuse to let an instance leave ``transition`` in a status it does not lead to
        (a programming error: the write transaction rolls back)."""
        if instance.status not in transition.targets:
            raise StateError(f"{transition.action} from {transition.source} led to "
                             f"{instance.status}, not one of {', '.join(transition.targets)}")

    def available(self, case: Case) -> list[A]:
        status = case.instance.status
        return [t.action for t in self.table
                if t.offered and t.source == status and t.allows(case)]


def _check(rules, case) -> None:
    for rule in rules:
        if not rule.holds(case):
            raise rule.refusal(case)


MACHINE = Machine(TABLE)
begin, finish, transition = MACHINE.begin, MACHINE.finish, MACHINE.transition


def available_actions(instance, user, sdef=None) -> list[A]:
    """The actions ``user`` may take on ``instance`` now, in the order pages show them.

    The applicant: 存草稿/提交 on a draft or a returned item, 撤回 while nobody has acted,
    催办 while it runs. An assignee with an open to-do at a later step: the step's actions
    and 转办 (an added-before signer: 通过 only). An admin of the service: 改派.
    """
    if user is None or not getattr(user, "id", None):
        return []
    return MACHINE.available(Case(instance, user, sdef))
