"""GET /api/v1/stats over the seeded history: every figure, scopes, bad input, fixed queries."""
import pytest

from tests.querycount import assert_same_query_count, count_queries
from tests.stats import history

URL = "/api/v1/stats"


def get(client, **params):
    return client.get(URL, query_string={**history.WINDOW, **params})


def by_id(body):
    return {s["id"]: s for s in body["services"]}


def test_every_figure_for_admin(login_as, seeded):
    body = get(login_as("admin")).get_json()
    assert body["from"] == "2026-03-01" and body["to"] == "2026-03-31"
    s = by_id(body)
    net = s["network-repair"]
    assert (net["name"], net["department"]) == ("网络及多媒体故障报修", "网络信息中心")
    assert {k: net[k] for k in ("started", "completed", "terminated", "running", "overdue")} == \
        {"started": 8, "completed": 5, "terminated": 1, "running": 2, "overdue": 1}
    assert net["hours_to_complete"] == {"median": 30.0, "p90": 76.0}
    assert net["steps"] == [{"id": "engineer", "name": "网络工程师处理", "median_hours": 29.0,
                             "p90_hours": 75.0, "overdue": 1}]
    assert net["rating"] == {"average": 3.67, "count": 3}
    assert net["time_limit_hours"] == 48.0 and net["slow"] is True

    fb = s["feedback"]
    assert (fb["started"], fb["completed"], fb["running"], fb["overdue"]) == (2, 2, 0, 0)
    assert fb["hours_to_complete"] == {"median": 6.0, "p90": 6.8}
    assert fb["steps"][0]["median_hours"] == 5.0 and fb["steps"][0]["p90_hours"] == 5.8
    assert fb["rating"] == {"average": 3.0, "count": 1} and fb["slow"] is False

    weekly = s["weekly-report"]
    assert weekly["hours_to_complete"] == {"median": 3.0, "p90": 3.0}
    assert weekly["steps"] == [{"id": "leader", "name": "所在单位领导审批", "median_hours": 2.0,
                                "p90_hours": 2.0, "overdue": 0}]

    idle = s["seal-request"]                      # no instances: zeros and nulls, steps listed
    assert idle["started"] == 0 and idle["hours_to_complete"] == {"median": None, "p90": None}
    assert [st["id"] for st in idle["steps"]] == ["leader", "director", "seal"]
    assert idle["rating"] == {"average": None, "count": 0}

    t = body["totals"]
    assert {k: t[k] for k in ("started", "completed", "terminated", "running", "overdue")} == \
        {"started": 11, "completed": 8, "terminated": 1, "running": 2, "overdue": 1}
    assert t["hours_to_complete"] == {"median": 15.0, "p90": 58.0}
    assert t["rating"] == {"average": 3.0, "count": 5}


def test_dept_admin_sees_only_their_department(login_as, seeded):
    body = get(login_as("t1001")).get_json()
    assert set(by_id(body)) == {"network-repair", "feedback"}
    t = body["totals"]
    assert (t["started"], t["completed"]) == (10, 7)
    assert t["hours_to_complete"] == {"median": 20.0, "p90": 64.0}
    assert t["rating"] == {"average": 3.5, "count": 4}


def test_filters_by_department_and_service(login_as, seeded):
    client = login_as("admin")
    assert set(by_id(get(client, department="宣传部").get_json())) == {"weekly-report"}
    body = get(client, service="feedback").get_json()
    assert list(by_id(body)) == ["feedback"] and body["totals"]["started"] == 2


def test_window_edges_are_china_local_days(login_as, seeded):
    client = login_as("admin")
    one_day = get(client, **{"from": "2026-03-01", "to": "2026-03-01"}).get_json()
    assert by_id(one_day)["network-repair"]["started"] == 1       # 00:30 China time, 16:30 UTC the day before
    before = get(client, **{"from": "2026-02-28", "to": "2026-02-28"}).get_json()
    assert by_id(before)["network-repair"]["started"] == 1        # 23:30 China time
    assert by_id(before)["network-repair"]["hours_to_complete"]["median"] == 500.0


@pytest.mark.parametrize("username,department", [("t2001", ""), ("s2023001", ""),
                                                 ("t1001", "宣传部"), ("t2002", "网络信息中心")])
def test_forbidden(login_as, seeded, username, department):
    response = get(login_as(username), department=department)
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_anonymous_is_401(client):
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize("params,field", [({"from": "2026-3-1"}, "from"), ({"to": "tomorrow"}, "to"),
                                          ({"from": "2026-02-30"}, "from"),
                                          ({"from": "2026-04-01", "to": "2026-03-01"}, "from"),
                                          ({"from": "2020-01-01", "to": "2026-03-01"}, "from")])
def test_bad_dates_are_422(login_as, params, field):
    response = login_as("admin").get(URL, query_string=params)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_missing_dates_default_to_the_last_30_days(login_as):
    body = login_as("admin").get(URL).get_json()
    from datetime import date
    assert (date.fromisoformat(body["to"]) - date.fromisoformat(body["from"])).days == 29


def test_a_service_of_another_department_yields_nothing(login_as, seeded):
    body = get(login_as("t1001"), service="weekly-report").get_json()
    assert body["services"] == [] and body["totals"]["started"] == 0


def test_fixed_number_of_queries(login_as, seeded, app):
    client = login_as("admin")
    get(client)                                   # warm the definition cache
    small = lambda: get(client, service="feedback")                     # noqa: E731
    large = lambda: get(client)                                         # noqa: E731
    assert_same_query_count(small, large)
    with count_queries() as counter:
        get(client)
    assert counter.count <= 11, counter.queries


def test_answer_matches_the_openapi_description(login_as, seeded, client):
    from tests.api.test_openapi import check
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["paths"]["/stats"]["get"]["operationId"] == "getStats"
    check(doc, "Stats", get(login_as("admin")).get_json())
    check(doc, "Stats", login_as("t1001").get(URL).get_json())
    check(doc, "Error", get(login_as("t2001")).get_json())


def test_same_figures_on_postgresql(pg_app):
    from app.stats.figures import Scope, figures
    from app.stats.periods import custom, today_local
    with pg_app.app_context():
        history.seed()
        fig = figures(Scope(), custom(history.WINDOW["from"], history.WINDOW["to"], today_local()))
    net = {s["id"]: s for s in fig.services}["network-repair"]
    assert net["hours_to_complete"] == {"median": 30.0, "p90": 76.0}
    assert net["steps"][0]["median_hours"] == 29.0 and net["steps"][0]["overdue"] == 1
    assert (net["started"], net["overdue"]) == (8, 1)
    assert fig.totals["hours_to_complete"] == {"median": 15.0, "p90": 58.0}
    assert [(w["week"], w["started"], w["completed"]) for w in fig.trend] == TREND
    assert fig.totals["rating"] == {"average": 3.0, "count": 5}


TREND = [("2026-02-23", 1, 0), ("2026-03-02", 0, 0), ("2026-03-09", 7, 6), ("2026-03-16", 2, 1),
         ("2026-03-23", 1, 1), ("2026-03-30", 0, 0)]


def test_trend_by_china_local_week(app, seeded):
    from app.stats.figures import Scope, figures
    from app.stats.periods import custom, today_local
    with app.app_context():
        fig = figures(Scope(), custom(history.WINDOW["from"], history.WINDOW["to"], today_local()))
    assert [(w["week"], w["started"], w["completed"]) for w in fig.trend] == TREND
    assert fig.rating_distribution == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}
    assert fig.overdue_by_assignee == [{"username": "t1001", "name": "梁震鲁", "overdue": 1}]
    assert [r["remark"] for r in fig.remarks] == ["<script>alert(1)</script>", "太慢了",
                                                  "=cmd|' /C calc'!A0"]
