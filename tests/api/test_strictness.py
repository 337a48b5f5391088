"""Where the API and its description used to disagree (found by Schemathesis)."""
import pytest

START = "/api/v1/services/weekly-report/instances"


@pytest.mark.parametrize("query", ["box=", "box=nope", "initial=", "initial=ab", "initial=1",
                                   "initial=%E2%84%AA", "audience="])
def test_present_but_invalid_enumerated_parameters_are_422(api, query):
    path = "/api/v1/me/items" if query.startswith("box") else "/api/v1/services"
    response = api("t2001").get(f"{path}?{query}")
    assert response.status_code == 422, query
    assert query.split("=")[0] in response.json["fields"]


@pytest.mark.parametrize("body", [{"data": None}, {"submit": None},
                                  {"data": None, "submit": True}])
def test_null_where_the_description_forbids_it_is_422(api, body):
    response = api("t2001").post(START, json=body)
    assert response.status_code == 422
    assert set(response.json["fields"]) == {k for k, v in body.items() if v is None}


def test_an_unknown_action_is_422_and_the_description_lists_the_actions(api, client):
    caller = api("t2001")
    serial = caller.post(START, json={"data": {"items": [{"text": "一"}]}}).json["serial"]
    response = caller.act(serial, "fly")
    assert response.status_code == 422 and "action" in response.json["fields"]
    doc = client.get("/api/v1/openapi.json").json
    action = doc["components"]["schemas"]["ActionRequest"]["properties"]["action"]
    assert "fly" not in action["enum"] and {"approve", "withdraw", "save_draft"} <= set(action["enum"])


def test_the_description_bounds_serials_and_documents_414(client):
    doc = client.get("/api/v1/openapi.json").json
    items = {p["name"]: p["schema"] for p in doc["paths"]["/me/items"]["get"]["parameters"]}
    assert items["serial"]["maximum"] == items["page"]["maximum"] == 2 ** 63 - 1
    path_serial = doc["paths"]["/instances/{serial}"]["get"]["parameters"][0]["schema"]
    assert path_serial["maximum"] == 2 ** 63 - 1
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if path != "/openapi.json":
                assert "414" in operation["responses"], (method, path)



@pytest.mark.parametrize("serials, status", [([0], 422), ([-3], 422), ([1.5], 422), (["1"], 422),
                                             ([True], 422), ([10000.0], 200)])
def test_bulk_serials_are_positive_integers_as_json_schema_counts_them(api, serials, status):
    response = api("t2002").post("/api/v1/me/items/actions",
                                 json={"serials": serials, "action": "approve"})
    assert response.status_code == status, response.json


@pytest.mark.parametrize("start, end, wrong", [("0001-01-01T00:00:00", "next month", "start"),
                                               ("today", "9999-12-31", "end"), ("", "", "start")])
def test_delegation_dates_out_of_range_are_422_not_500(api, start, end, wrong):
    """Each case has one bad date; the other is valid whatever the day (derived from the
    app's clock, China time), so the 422 names the bad one and no other rule."""
    from datetime import timedelta

    from app.stats.periods import today_local
    today = today_local()
    days = {"today": today.isoformat(), "next month": (today + timedelta(days=30)).isoformat()}
    response = api("t2001").post("/api/v1/me/delegations", json={
        "to_user": "t2002", "start": days.get(start, start), "end": days.get(end, end)})
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert list(response.json["fields"]) == [wrong], response.json
