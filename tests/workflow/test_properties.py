"""Property-based tests of the engine: random definitions within the format, random actions
by random people. Whatever happens, the instance stays valid, only assignees act, every
action leaves exactly one flow record, and nothing but an EngineError ever escapes."""
import itertools

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from app.defs.store import import_text
from app.people.directory import grant
from app.engine import core, queries
from app.engine.exceptions import EngineError
from app.models import FlowRecord, Instance, Task, User
from tests.depth import examples
from tests.fuzzfloor import Floor

PEOPLE = ("t2001", "t2002", "t3001", "t3002", "t8001", "t9001", "t9002")
APPLICANT = "t2001"
ROLE_HOLDERS = ("t3001", "t3002", "t8001")                # propr@办公室
STATUSES = ("draft", "running", "returned", "completed", "terminated")
TRACKED = ("submit", "approve", "return", "terminate", "transfer", "close", "reassign")
CONDITIONS = (None, "form.amount > 50", "form.amount <= 50", "form.kind == 'a'",
              "form.kind in ['a', 'b'] and not form.amount > 90")
SETTINGS = settings(max_examples=examples(60), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])
_numbers = itertools.count(1)

# ---------------------------------------------------------------- random definitions

assignee = st.one_of(st.sampled_from(PEOPLE).map(lambda u: {"user": u}),
                     st.just({"role": "propr", "department": "办公室"}),
                     st.just({"role": "dept_leader", "of": "applicant"}),
                     st.just({"field": "picker"}), st.just("applicant"))


@st.composite
def step_specs(draw, index, earlier):
    actions = ["approve"] + draw(st.lists(st.sampled_from(["return", "terminate"]), unique=True))
    step = {"id": f"s{index}", "name": f"步骤{index}", "by": draw(assignee),
            "mode": draw(st.sampled_from(["any", "all"])), "actions": actions,
            "opinion": draw(st.sampled_from(["optional", "required", "none"]))}
    when = draw(st.sampled_from(CONDITIONS))
    if when:
        step["when"] = when
    if "return" in actions and earlier:
        step["return_to"] = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3))
    if draw(st.booleans()):
        step["cc"] = [draw(assignee)]
    if draw(st.booleans()):
        step["edit"] = ["note"]
    if draw(st.booleans()):
        step["hidden"] = ["secret"]
    return step


@st.composite
def definitions(draw):
    count = draw(st.integers(2, 5))
    steps, earlier = [{"id": "fill", "name": "填写", "by": "applicant"}], ["fill"]
    for i in range(1, count):
        steps.append(draw(step_specs(i, list(earlier))))
        earlier.append(f"s{i}")
    return steps


def definition_text(steps, n) -> str:
    import json
    return json.dumps({
        "format": 1, "id": f"prop-{n}", "number": 20000 + n, "name": f"随机流程{n}",
        "category": "测试", "department": "办公室", "audience": ["staff"], "time_limit": "1d",
        "form": {"title": "随机", "fields": [
            {"name": "subject", "label": "事由", "type": "text", "required": True},
            {"name": "amount", "label": "金额", "type": "number"},
            {"name": "kind", "label": "类别", "type": "radio", "options": ["a", "b", "c"]},
            {"name": "picker", "label": "审核人", "type": "user", "required": True},
            {"name": "note", "label": "备注", "type": "textarea"},
            {"name": "secret", "label": "内部", "type": "textarea"}]},
        "steps": steps}, ensure_ascii=False)


# ---------------------------------------------------------------- random actions

ANY_ACTION = st.sampled_from(["approve", "return", "terminate", "transfer", "withdraw", "submit",
                              "reassign"])
LIKELY = {"draft": st.just("submit"), "returned": st.just("submit"),
          "running": st.sampled_from(["approve", "approve", "approve", "return", "terminate"])}


def actions(inst):
    """Mostly what the state invites, sometimes anything."""
    likely = LIKELY.get(inst.status, ANY_ACTION)
    return st.one_of(likely, likely, ANY_ACTION)
extras = st.tuples(
    st.sampled_from([None, "fill", "s1", "s2", "s3"]),      # to_step
    st.sampled_from(PEOPLE + ("", "nobody")),               # to_user
    st.sampled_from(["", "同意"]),                           # opinion
    st.fixed_dictionaries({}, optional={"note": st.sampled_from(["已办", ""]),
                                        "subject": st.just("改"), "amount": st.integers(0, 99)}))


def actors(inst):
    """Mostly someone who holds a to-do now (or the applicant), sometimes anybody."""
    holders = [t.assignee.username for t in Task.select().where(
        Task.instance == inst, Task.status == "open", Task.kind == "do").order_by(Task.id)]
    likely = st.sampled_from(holders + [APPLICANT])
    return st.one_of(likely, likely, likely, st.sampled_from(PEOPLE + ("admin",)))


form_data = st.fixed_dictionaries({
    "subject": st.just("随机事项"), "picker": st.sampled_from(PEOPLE),
    "amount": st.integers(0, 100), "kind": st.sampled_from(["a", "b", "c"]),
    "secret": st.just("机密")})


def perform(inst, who, action, to_step, to_user, opinion, data):
    person = User.get(User.username == who)
    if action == "submit":
        return core.submit(inst, person, data)
    if action == "withdraw":
        return core.withdraw(inst, person)
    if action == "reassign":
        task = Task.get_or_none(Task.instance == inst, Task.status == "open", Task.kind == "do")
        core.reassign(task.id if task else 0, to_user, by=person)
        return inst
    return core.act(inst, person, action, opinion=opinion, data=data, to_step=to_step,
                    to_user=to_user)


def may(inst, who, action) -> bool:
    """Whether the rules allow ``who`` to try ``action`` at all, judged before it runs."""
    person = User.get(User.username == who)
    if action == "submit":
        return person.id == inst.applicant_id and inst.status in ("draft", "returned")
    if action == "withdraw":
        return person.id == inst.applicant_id and inst.status == "running"
    if action == "reassign":
        return who == "admin" and inst.status == "running"
    return inst.status == "running" and queries.open_task(inst, person) is not None


def tracked_counts(inst) -> tuple[dict, dict]:
    tasks = {a: Task.select().where(Task.instance == inst, Task.kind == "do",
                                    Task.action == a).count() for a in TRACKED}
    records = {a: FlowRecord.select().where(FlowRecord.instance == inst,
                                            FlowRecord.action == a).count() for a in TRACKED}
    return tasks, records


def check_valid(inst, sdef):
    inst = Instance.get_by_id(inst.id)
    tasks = list(Task.select().where(Task.instance == inst, Task.kind == "do"))
    open_ = [t for t in tasks if t.status == "open"]
    first = sdef.steps[0].id
    assert inst.status in STATUSES
    if inst.status == "draft":
        assert not tasks and inst.step == first
    elif inst.status == "returned":
        assert inst.step == first and [t.assignee_id for t in open_] == [inst.applicant_id]
    elif inst.status == "running":
        assert inst.step in {s.id for s in sdef.steps[1:]}
        assert open_ and {t.step for t in open_} == {inst.step}
    else:
        assert inst.step is None and not open_ and inst.finished
    assert len({t.assignee_id for t in open_}) == len(open_)      # one open to-do per person
    tasks_by_action, records_by_action = tracked_counts(inst)
    assert tasks_by_action == records_by_action                   # no lost or doubled records
    assert all(t.status in ("open", "done", "closed") for t in tasks)
    return inst


@pytest.fixture
def propr_roles(app, user):
    for name in ROLE_HOLDERS:
        grant(user(name), "propr@办公室")


STARTED = Floor(0.7, "started")                  # the rest: start refused (e.g. nobody holds a role)


@STARTED
@SETTINGS
@given(steps=definitions(), data=form_data, submit=st.sampled_from([True, True, True, False]), length=st.integers(1, 14),
       draw=st.data())
def test_random_flows_stay_valid(propr_roles, steps, data, submit, length, draw):
    n = next(_numbers)
    service, _, _ = import_text(definition_text(steps, n), f"prop-{n}.yaml")
    applicant = User.get(User.username == APPLICANT)
    try:
        inst, refused = core.start(service, applicant, data, submit=submit), None
    except EngineError as e:
        inst, refused = None, f"start refused: {type(e).__name__}"
    assume(STARTED.seen(inst is not None, refused))
    sdef = core.service_def(inst)
    inst = check_valid(inst, sdef)
    for _ in range(length):
        who, action = draw.draw(actors(inst)), draw.draw(actions(inst))
        to_step, to_user, opinion, move_data = draw.draw(extras)
        allowed = may(inst, who, action)
        before = FlowRecord.select().where(FlowRecord.instance == inst).count()
        revision = inst.revision
        try:
            perform(inst, who, action, to_step, to_user, opinion, move_data)
            succeeded = True
        except EngineError as e:
            succeeded, reason = False, type(e).__name__
        event(f"{action} {'ok' if succeeded else 'refused ' + reason}")
        inst = check_valid(inst, sdef)
        after = FlowRecord.select().where(FlowRecord.instance == inst).count()
        if succeeded:
            assert allowed, (who, action, inst.status)            # never a non-assignee
            assert inst.revision > revision and after > before
            mine = (FlowRecord.select().where(FlowRecord.instance == inst)
                    .order_by(FlowRecord.id).offset(before))
            assert [r.action for r in mine].count(action) == 1
        else:
            assert after == before and inst.revision == revision  # a refusal writes nothing
    event(f"ended {inst.status}")
