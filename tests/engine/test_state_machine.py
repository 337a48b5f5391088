"""One state machine: what a page offers is exactly what the engine accepts, and a transition
can only lead where the table says.

The matrix drives every user kind (applicant, assignee, admin, stranger) × every status
(draft, running, returned, completed, terminated) × every action a user may ask for: each
offered action succeeds on a fresh instance; each one not offered is refused — with a
refusal, not an input error — and leaves the instance as it was.
"""
import ast
import re
from pathlib import Path

import pytest

from app.db import write_transaction
from app.defs.store import import_text
from app.engine import core, machine
from app.engine.exceptions import (Conflict, EngineError, Invalid, NotAllowed, NotFound,
                                   StateError)
from app.engine.machine import TABLE, Machine, Transition, available_actions
from app.engine.states import Action as A, Status as S, TaskStatus
from app.models import Instance, Task
from tests.conftest import ROOT as ROOT_DIR
from tests.engine.conftest import CHAIN

SIGNABLE = CHAIN.replace("    opinion: required\n    actions: [approve, return, terminate]",
                         "    opinion: required\n    actions: [approve, return, terminate, add_signer]")
USERS = {"applicant": "t2001", "assignee": "t2002", "admin": "admin", "stranger": "t7001"}
ASKED = [t.action for t in TABLE if t.offered]
ASKED = sorted(set(ASKED), key=ASKED.index)


@pytest.fixture
def chain(app):
    service, _, _ = import_text(SIGNABLE, "test-chain.yaml")
    return service


def make(chain, user, status):
    """A fresh instance of the chain in ``status`` (running: at the leader t2002's step)."""
    applicant, leader = user("t2001"), user("t2002")
    inst = core.start(chain, applicant, {"subject": "采购", "amount": 10}, submit=status != S.DRAFT)
    if status == S.RETURNED:
        inst = core.act(inst, leader, A.RETURN, opinion="补充材料")
    elif status == S.TERMINATED:
        inst = core.act(inst, leader, A.TERMINATE, opinion="不同意")
    elif status == S.COMPLETED:
        inst = core.act(inst, leader, A.APPROVE, opinion="同意")
        inst = core.act(inst, user("t3002"), A.APPROVE, opinion="已用印")
    assert inst.status == status
    return Instance.get_by_id(inst.id)


def ask(inst, who, action):
    """Take ``action`` the way pages and the API do, with input that is itself valid."""
    if action == A.SAVE_DRAFT:
        return core.save_draft(inst, who, {"subject": "改过的事由"})
    if action == A.REASSIGN:
        tasks = Task.select().where(Task.instance == inst, Task.kind == "do")
        task = tasks.where(Task.status == TaskStatus.OPEN).first() or tasks.first()
        core.reassign(task, "t3001", by=who)
        return Instance.get_by_id(inst.id)
    return core.act(inst, who, action, opinion="意见", to_user="t3001", to_users=["t3001"],
                    position="parallel")


@pytest.mark.parametrize("kind", USERS)
@pytest.mark.parametrize("status", list(S))
def test_pages_offer_exactly_what_the_engine_accepts(chain, user, status, kind):
    who = user(USERS[kind])
    inst = make(chain, user, status)
    offered = available_actions(inst, who)
    assert set(offered) <= set(ASKED)
    for action in [a for a in ASKED if a not in offered]:
        before = Instance.get_by_id(inst.id)
        with pytest.raises(EngineError) as refused:
            ask(before, who, action)
        assert isinstance(refused.value, (NotAllowed, Conflict, NotFound)), (action, refused.value)
        after = Instance.get_by_id(inst.id)
        assert (after.status, after.step, after.revision) == (inst.status, inst.step, inst.revision)
    for action in offered:
        fresh = make(chain, user, status)
        done = ask(fresh, who, action)
        assert done.status in machine.transition(status, action).targets


def test_each_user_kind_is_offered_its_own_actions(chain, user):
    running = make(chain, user, S.RUNNING)
    offered = {kind: available_actions(running, user(name)) for kind, name in USERS.items()}
    assert offered == {"applicant": [A.WITHDRAW, A.REMIND],
                       "assignee": [A.APPROVE, A.RETURN, A.TERMINATE, A.ADD_SIGNER, A.TRANSFER],
                       "admin": [A.REASSIGN], "stranger": []}
    assert available_actions(make(chain, user, S.RETURNED), user("t2001")) == [A.SAVE_DRAFT,
                                                                               A.SUBMIT]


def test_an_added_before_signer_may_only_approve_on_the_page_and_in_the_engine(chain, user):
    inst = make(chain, user, S.RUNNING)
    inst = core.act(inst, user("t2002"), A.ADD_SIGNER, to_users=["t3001"], position="before")
    assert available_actions(inst, user("t3001")) == [A.APPROVE]
    for action in (A.TRANSFER, A.RETURN, A.TERMINATE):
        with pytest.raises(NotAllowed, match="加签人只能填写意见并通过"):
            core.act(inst, user("t3001"), action, opinion="意见", to_user="t9001")
    with pytest.raises(NotAllowed, match="此步骤不允许“加签”"):
        core.act(inst, user("t3001"), A.ADD_SIGNER, to_users=["t9001"], position="parallel")


def test_refusals_keep_their_messages_and_statuses(chain, user):
    inst = make(chain, user, S.RUNNING)
    cases = [(user("t7001"), A.WITHDRAW, NotAllowed, "只有申请人可以撤回"),
             (user("t7001"), A.REMIND, NotAllowed, "只有申请人可以催办"),
             (user("t7001"), A.SUBMIT, NotAllowed, "只有申请人可以修改此申请"),
             (user("t2001"), A.SUBMIT, Conflict, "该申请已提交，不能再修改"),
             (user("t2001"), A.APPROVE, NotAllowed, "申请人不能审批本人的申请，请由其他办理人办理"),
             (user("t7001"), A.APPROVE, NotAllowed, "您不是该事项当前步骤的办理人"),
             (user("t2002"), "close", Invalid, "未知的操作 close")]
    for who, action, error, message in cases:
        with pytest.raises(error, match=message):
            core.act(inst, who, action, opinion="意见")
    done = make(chain, user, S.COMPLETED)
    with pytest.raises(Conflict, match="该申请当前不能撤回"):
        core.withdraw(done, user("t2001"))
    with pytest.raises(Conflict, match="该事项已被处理或已流转到下一步"):
        core.act(done, user("t2002"), A.APPROVE, opinion="同意")
    with pytest.raises(Conflict, match="该任务已办理或已关闭，不能改派"):
        core.reassign(Task.get(Task.instance == done, Task.step == "leader"), "t3001",
                      by=user("admin"))


def test_finish_refuses_a_status_the_transition_does_not_lead_to(chain, user):
    inst = make(chain, user, S.TERMINATED)
    with pytest.raises(StateError, match="approve from running led to terminated"):
        machine.finish(inst, machine.transition(S.RUNNING, A.APPROVE))
    machine.finish(inst, machine.transition(S.RUNNING, A.TERMINATE))       # where it leads


def test_a_wrong_table_rolls_the_transition_back(chain, user):
    """A table that says 通过 only ever returns an item: the real 通过 moves it to the next
    step, so finishing it by that table fails and nothing of it is kept."""
    wrong = Machine([Transition(S.RUNNING, A.APPROVE, (S.RETURNED,))])
    inst = make(chain, user, S.RUNNING)
    leader = user("t2002")
    with pytest.raises(StateError):
        with write_transaction():
            move = wrong.begin(machine.Case(inst, leader), A.APPROVE)
            wrong.finish(core.act(inst, leader, A.APPROVE, opinion="同意"), move)
    kept = Instance.get_by_id(inst.id)
    assert (kept.status, kept.step, kept.revision) == (S.RUNNING, "leader", inst.revision)
    assert Task.get(Task.instance == inst, Task.assignee == leader).status == TaskStatus.OPEN


def test_a_table_that_is_ambiguous_is_refused():
    with pytest.raises(StateError, match="two transitions"):
        Machine([Transition(S.RUNNING, A.APPROVE, (S.RUNNING,)),
                 Transition(S.RUNNING, A.APPROVE, (S.COMPLETED,))])
    with pytest.raises(StateError, match="ask different people"):       # who: one per action
        Machine([Transition(S.RUNNING, A.MIGRATE, (S.RUNNING,)),
                 Transition(S.RETURNED, A.MIGRATE, (S.RETURNED,), who=(machine.NOBODY_ACTED,))])


# ---------------------------------------------------------------- no literals outside states.py

STATUSES = {str(s) for s in S} | {str(s) for s in TaskStatus}
ACTIONS = {str(a) for a in A}
SCANNED = ("app", "plugins", "designer", "renderers")
ROOT = Path(ROOT_DIR)
JOBS = re.compile(r"job", re.I)      # export/import jobs have statuses of their own (queued, done …)


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        found = [_strings(e) for e in node.elts]
        return set().union(*found) if found and all(found) else set()
    return set()


def _named(node, name):
    return ((isinstance(node, ast.Attribute) and node.attr == name)
            or (isinstance(node, ast.Name) and node.id == name))


def _literals(tree):
    """(line, what) of each status or action literal compared, assigned or passed."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for name, vocabulary in (("status", STATUSES), ("action", ACTIONS)):
                owners = [s for s in sides if _named(s, name)]
                if owners and not any(JOBS.search(ast.unparse(o)) for o in owners):
                    for side in sides:
                        if _strings(side) & vocabulary:
                            yield node.lineno, f"{name} compared with {ast.unparse(side)}"
        elif isinstance(node, ast.Call):
            call = ast.unparse(node.func) + " ".join(ast.unparse(a) for a in node.args)
            if isinstance(node.func, ast.Attribute) and node.func.attr == "in_" \
                    and _named(node.func.value, "status") and not JOBS.search(call):
                if any(_strings(a) & STATUSES for a in node.args):
                    yield node.lineno, "status.in_ with literals"
            for kw in node.keywords:
                vocabulary = {"status": STATUSES, "action": ACTIONS}.get(kw.arg)
                if vocabulary and _strings(kw.value) & vocabulary and not JOBS.search(call):
                    yield node.lineno, f"{kw.arg}={ast.unparse(kw.value)}"
        elif isinstance(node, ast.Assign):
            if any(_named(t, "status") for t in node.targets) and _strings(node.value) & STATUSES:
                yield node.lineno, f"status = {ast.unparse(node.value)}"
        elif isinstance(node, ast.Tuple):
            found = _strings(node)
            if len(node.elts) > 1 and found and found <= {str(s) for s in S}:
                yield node.lineno, f"a tuple of statuses {ast.unparse(node)}"


def test_no_status_or_action_literal_outside_the_state_module():
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            if path == ROOT / "app" / "engine" / "states.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in _literals(tree)]
    assert found == []


def test_the_literal_check_sees_each_kind_of_literal():
    source = """
if inst.status == "running": pass
if task.status in ("open", "waiting"): pass
Task.update(status="closed").where(Task.status.in_(("open",)))
inst.status = "returned"
if record.action != "withdraw": pass
rows.record(inst, step, action="approve")
ACTIVE = ("running", "returned")
if job.status == "done": pass
ExportJob.update(status="running")
if box == "done": pass
"""
    found = [what for _line, what in _literals(ast.parse(source))]
    assert len(found) == 8, found


def test_definitions_and_the_engine_agree_on_what_a_step_may_list():
    from app.defs.model import STEP_ACTIONS as DEFINABLE
    from app.engine.states import STEP_ACTIONS
    assert tuple(DEFINABLE) == STEP_ACTIONS
