import pytest

CHAIN = """
format: 1
id: test-chain
number: 9001
name: 测试审批
category: 测试
department: 办公室
audience: [staff]
time_limit: 3d
title: "{service}_{applicant.name}_{form.subject}"
form:
  title: 测试审批表
  fields:
    - {name: unit, label: 单位, type: text, autofill: user.department, readonly: true}
    - {name: subject, label: 事由, type: text, required: true, max_length: 50}
    - {name: amount, label: 金额, type: money, unit: 万元}
    - {name: note, label: 备注, type: textarea}
steps:
  - {id: fill, name: 填写申请, by: applicant}
  - id: leader
    name: 单位领导审批
    by: {role: dept_leader, of: applicant}
    opinion: required
    actions: [approve, return, terminate]
  - id: office
    name: 办公室主任审批
    by: {role: office_director, department: 办公室}
    when: form.amount > 50
    return_to: [leader]
    actions: [approve, return]
  - id: keeper
    name: 印章管理员办理
    by: {user: t3002}
    edit: [note]
    actions: [approve, return]
"""


@pytest.fixture
def chain(app):
    from app.defs.store import import_text
    service, version, status = import_text(CHAIN, "test-chain.yaml")
    assert status == "created"
    return service


def open_assignees(instance):
    from app.models import Task
    return sorted(t.assignee.username for t in
                  Task.select().where(Task.instance == instance, Task.status == "open",
                                      Task.kind == "do"))
