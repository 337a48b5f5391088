"""GET /api/v1/me/items runs a fixed number of statements, whatever the page size."""
from app.engine import queries
from tests.hall.helpers import weekly
from tests.querycount import queries_of


def test_api_list_runs_as_many_queries_for_20_rows_as_for_10(app, api):
    client = api("t2002")
    with app.app_context():
        for i in range(10):
            weekly(text=f"第{i}周")
    ten = queries_of(lambda: client.get("/api/v1/me/items?box=todo&page=1"))
    saved = queries.PAGE_SIZE
    queries.PAGE_SIZE = 20
    try:
        with app.app_context():
            for i in range(10):
                weekly(text=f"第{i + 10}周")
        response = client.get("/api/v1/me/items?box=todo")
        twenty = queries_of(lambda: client.get("/api/v1/me/items?box=todo"))
    finally:
        queries.PAGE_SIZE = saved
    assert len(response.json["items"]) == 20 and response.json["total"] == 20
    assert ten.count == twenty.count, "\n".join(twenty.queries)
