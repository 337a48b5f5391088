"""委托/代理: new to-dos of the delegator go to the deputy; records say 张三（代李四）."""
from datetime import timedelta

import pytest

from app.defs.store import import_text
from app.engine import core, delegation
from app.engine.exceptions import Invalid
from app.models import FlowRecord, Task, utcnow
from app.stats.periods import today_local
from tests.api.conftest import api  # noqa: F401
from tests.engine.conftest import CHAIN


@pytest.fixture
def chain(app):
    service, _, _ = import_text(CHAIN, "test-chain.yaml")
    return service


def window(days=3):
    now = utcnow()
    return now - timedelta(hours=1), now + timedelta(days=days)


def test_new_todos_go_to_the_deputy_and_records_say_on_whose_behalf(chain, user, api):
    start, end = window()
    delegation.create(user("t2002"), "t3001", start, end)
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    task = Task.get(Task.instance == inst, Task.step == "leader")
    assert task.assignee.username == "t3001" and task.on_behalf_of == user("t2002").id
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    record = FlowRecord.get(FlowRecord.instance == inst, FlowRecord.action == "approve")
    assert record.user.username == "t3001" and record.on_behalf_of == user("t2002").id
    body = api("t2001").get(f"/api/v1/instances/{inst.serial}").get_json()
    approve = next(r for r in body["records"] if r["action"] == "approve")
    assert approve["user"] == "t3001" and approve["on_behalf_of"] == "t2002"
    assert delegation.describe_user("王芳", "张华") == "王芳（代张华）"


def test_a_delegation_for_other_services_does_not_apply(chain, user):
    start, end = window()
    delegation.create(user("t2002"), "t3001", start, end, ["weekly-report"])
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    assert Task.get(Task.instance == inst, Task.step == "leader").assignee.username == "t2002"


def test_open_todos_move_only_when_asked(chain, user):
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    start, end = window()
    d = delegation.create(user("t2002"), "t3001", start, end)
    assert Task.get(Task.instance == inst, Task.step == "leader").assignee.username == "t2002"
    delegation.revoke(d.id, user("t2002"))
    delegation.create(user("t2002"), "t3001", start, end, move_open=True)
    moved = Task.get(Task.instance == inst, Task.step == "leader", Task.status == "open")
    assert moved.assignee.username == "t3001" and moved.on_behalf_of == user("t2002").id


@pytest.mark.parametrize("to, message", [("t2002", "自己"), ("s2023001", "教职工"), ("nobody", "不存在")])
def test_refused_delegations(chain, user, to, message):
    start, end = window()
    with pytest.raises(Invalid) as exc:
        delegation.create(user("t2002"), to, start, end)
    assert message in exc.value.message


def test_a_cycle_and_an_overlap_are_refused(chain, user):
    start, end = window()
    delegation.create(user("t2002"), "t3001", start, end)
    with pytest.raises(Invalid) as exc:
        delegation.create(user("t3001"), "t2002", start, end)
    assert "循环" in exc.value.message
    delegation.create(user("t3001"), "t3002", start, end)
    with pytest.raises(Invalid) as exc:
        delegation.create(user("t3002"), "t2002", start, end)      # t2002 → t3001 → t3002 → t2002
    assert "循环" in exc.value.message
    with pytest.raises(Invalid) as exc:
        delegation.create(user("t2002"), "t3002", start, end)
    assert "重叠" in exc.value.message


def test_delegations_api(api, chain):
    today = today_local()                  # China time, as the API reads YYYY-MM-DD
    made = api("t2002").post("/api/v1/me/delegations", json={
        "to_user": "t3001", "start": today.isoformat(), "end": (today + timedelta(days=2)).isoformat(),
        "services": None})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["to_user"] == "t3001" and body["active"] is True
    listed = api("t2002").get("/api/v1/me/delegations").get_json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]
    def delete(who):
        client = api(who)
        return client.client.delete(f"/api/v1/me/delegations/{body['id']}",
                                    headers={"Authorization": f"Bearer {client.token}"})
    assert delete("t3001").status_code == 404                  # not theirs
    assert delete("t2002").status_code == 204
    assert api("t2002").get("/api/v1/me/delegations").get_json()["items"] == []
    bad = api("t2002").post("/api/v1/me/delegations", json={"to_user": "t3001", "start": "明天", "end": "x"})
    assert bad.status_code == 422


def test_pages_and_prints_say_on_whose_behalf(chain, user, login_as):
    start, end = window()
    delegation.create(user("t2002"), "t3001", start, end)
    inst = core.start(chain, user("t2001"), {"subject": "采购"})
    inst = core.act(inst, user("t3001"), "approve", opinion="同意")
    page = login_as("t2001").get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "赵敏（代张华）" in page
    printed = login_as("t2001").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    assert "赵敏（代张华）" in printed
