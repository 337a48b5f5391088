"""The to-do page: newest first, and its SQL query count does not grow with the rows shown."""
import pytest

from app.db import db
from app.engine import core, queries
from tests.workflow.conftest import DATA


@pytest.fixture
def many(depth, user):
    """25 items in t6001's 待办 and in t9003's 抄送."""
    return [core.start(depth, user("t2001"), dict(DATA, subject=f"事项{i:02d}")).serial
            for i in range(25)]


def count_queries(monkeypatch, fetch):
    seen = []
    original = db.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db.obj, "execute_sql", counting)
    response = fetch()
    monkeypatch.setattr(db.obj, "execute_sql", original)
    assert response.status_code == 200
    return len(seen), response


@pytest.mark.parametrize("box", ["todo", "cc", "in_progress"])
def test_queries_per_page_do_not_grow_with_rows(many, login_as, bearer, client, monkeypatch, box):
    viewer = {"todo": "t6001", "cc": "t9003", "in_progress": "t2001"}[box]
    web, headers = login_as(viewer), bearer(viewer)
    counts = {}
    for rows in (10, 20):
        monkeypatch.setattr(queries, "PAGE_SIZE", rows)
        html, page = count_queries(monkeypatch, lambda: web.get(f"/me/items?box={box}"))
        api, body = count_queries(monkeypatch, lambda: client.get(f"/api/v1/me/items?box={box}",
                                                                  headers=headers))
        assert page.get_data(as_text=True).count("/instances/") >= rows
        assert len(body.get_json()["items"]) == rows
        counts[rows] = (html, api)
    assert counts[10] == counts[20], counts


def test_todo_is_newest_first_and_shows_the_step(many, login_as, bearer, client):
    items = client.get("/api/v1/me/items?box=todo", headers=bearer("t6001")).get_json()
    assert items["total"] == 25
    assert [i["serial"] for i in items["items"]] == sorted(many, reverse=True)[:10]
    page = login_as("t6001").get("/me/items?box=todo").get_data(as_text=True)
    assert "指定人审核" in page and "事项24" in page and "事项14" not in page


def test_todo_search_keeps_working_on_the_join(many, bearer, client):
    found = client.get("/api/v1/me/items?box=todo&q=事项07", headers=bearer("t6001")).get_json()
    assert [i["title"] for i in found["items"]] == ["会签测试_李明_事项07"]
    by_serial = client.get(f"/api/v1/me/items?box=todo&serial={many[3]}",
                           headers=bearer("t6001")).get_json()
    assert [i["serial"] for i in by_serial["items"]] == [many[3]]
