"""A definition that exercises the workflow depth: field assignee, cc, 会签, hidden, edit."""
import pytest

from app.people.directory import grant, new_token

DEPTH = """
format: 1
id: wf-depth
number: 9201
name: 会签测试
category: 测试
department: 办公室
audience: [staff]
time_limit: 2d
title: "{service}_{applicant.name}_{form.subject}"
form:
  title: 会签测试表
  fields:
    - {name: subject, label: 事由, type: text, required: true, max_length: 50}
    - {name: reviewer, label: 指定审核人, type: user, required: true}
    - {name: budget, label: 预算, type: money, unit: 万元}
    - {name: secret, label: 内部备注, type: textarea}
    - {name: note, label: 办理说明, type: textarea}
steps:
  - {id: fill, name: 填写申请, by: applicant, edit: [subject, reviewer, budget, secret]}
  - id: review
    name: 指定人审核
    by: {field: reviewer}
    cc: [{user: t9003}, {user: t9002}]
    actions: [approve, return, terminate]
  - id: council
    name: 会签
    by: {role: council, department: 办公室}
    mode: all
    hidden: [secret]
    return_to: [review]
    actions: [approve, return, terminate]
  - id: keeper
    name: 印章管理员办理
    by: {user: t3002}
    edit: [note]
    hidden: [secret]
    actions: [approve, return]
"""

COUNCIL = ("t3001", "t8001", "t3002")          # council@办公室
OUTSIDER = "t2002"                              # council@宣传部: another department
DATA = {"subject": "采购服务器", "reviewer": "t6001", "budget": 12, "secret": "底价 9 万"}


@pytest.fixture
def depth(app, user):
    from app.defs.store import import_text
    service, _, status = import_text(DEPTH, "wf-depth.yaml")
    assert status == "created"
    for username in COUNCIL:
        grant(user(username), "council@办公室")
    grant(user(OUTSIDER), "council@宣传部")
    return service


@pytest.fixture
def bearer(app, user):
    """bearer("t2001") → headers with a fresh API token of that demo user."""
    return lambda username: {"Authorization": f"Bearer {new_token(user(username))}"}


def open_do(instance):
    from app.models import Task
    return sorted(t.assignee.username for t in Task.select().where(
        Task.instance == instance, Task.status == "open", Task.kind == "do"))


def records(instance):
    from app.models import FlowRecord
    return [(r.step, r.action, r.user.username if r.user_id else None)
            for r in FlowRecord.select().where(FlowRecord.instance == instance)
            .order_by(FlowRecord.id)]


def to_council(depth, user):
    """Start with DATA and let the reviewer approve: the instance waits on 会签."""
    from app.engine import core
    inst = core.start(depth, user("t2001"), dict(DATA))
    return core.act(inst, user("t6001"), "approve", opinion="同意")
