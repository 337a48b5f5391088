"""Due dates from ``time_limit``, the 逾期 flag and the overdue query of the reminder job."""
from datetime import timedelta

import pytest

from app.engine import core, queries
from app.models import Task, utcnow
from tests.workflow.conftest import COUNCIL, DATA, to_council


def test_every_open_task_carries_the_instances_due_date(depth, user):
    inst = to_council(depth, user)
    assert inst.due - inst.submitted == timedelta(days=2)
    dues = {t.due for t in Task.select().where(Task.instance == inst, Task.step != "fill",
                                               Task.kind == "do")}
    assert dues == {inst.due}


def test_overdue_flag_and_query(depth, user):
    late = to_council(depth, user)
    early = core.start(depth, user("t2001"), dict(DATA, subject="未到期"))
    now = utcnow()
    assert not queries.is_overdue(late, now) and list(queries.overdue_tasks(now)) == []
    after = late.due + timedelta(minutes=1)
    Task.update(due=after + timedelta(days=1)).where(Task.instance == early).execute()
    overdue = list(queries.overdue_tasks(after))
    assert sorted(t.assignee.username for t in overdue) == sorted(COUNCIL)
    assert {t.instance.serial for t in overdue} == {late.serial}
    assert queries.is_overdue(late, after) and queries.is_overdue(overdue[0], after)
    for name in COUNCIL:
        late = core.act(late, user(name), "approve", opinion="同意")
    assert [t.assignee.username for t in queries.overdue_tasks(after)] == ["t3002"]   # keeper step
    late = core.act(late, user("t3002"), "approve")
    assert late.status == "completed" and not queries.is_overdue(late, after)
    assert list(queries.overdue_tasks(after)) == []


def test_overdue_shows_in_the_api_items(depth, user, bearer, client):
    inst = to_council(depth, user)
    items = client.get("/api/v1/me/items?box=todo", headers=bearer("t3001")).get_json()["items"]
    assert [(i["serial"], i["overdue"]) for i in items] == [(inst.serial, False)]
    assert items[0]["due"].endswith("Z")
    from app.models import Instance
    Instance.update(due=utcnow() - timedelta(hours=1)).where(Instance.id == inst.id).execute()
    items = client.get("/api/v1/me/items?box=todo", headers=bearer("t3001")).get_json()["items"]
    assert items[0]["overdue"] is True


def test_no_time_limit_means_never_overdue(chain_no_limit, user):
    inst = core.start(chain_no_limit, user("t2001"), {"subject": "x"})
    assert inst.due is None and not queries.is_overdue(inst, utcnow() + timedelta(days=999))


NO_LIMIT = """
format: 1
id: wf-nolimit
number: 9203
name: 无时限
category: 测试
department: 办公室
audience: [staff]
form:
  title: 无时限
  fields:
    - {name: subject, label: 事由, type: text, required: true}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: ok, name: 审核, by: {user: t3001}}
"""


@pytest.fixture
def chain_no_limit(app):
    from app.defs.store import import_text
    return import_text(NO_LIMIT, "wf-nolimit.yaml")[0]
