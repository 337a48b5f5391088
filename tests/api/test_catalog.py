"""The public catalog and a service's detail."""
import pytest

from app.models import Service


def slugs(response):
    assert response.status_code == 200, response.json
    assert response.json["total"] == len(response.json["items"])
    return {item["id"] for item in response.json["items"]}


def test_catalog_lists_enabled_services_without_auth(client):
    response = client.get("/api/v1/services")
    enabled = {s.slug for s in Service.select().where(Service.enabled == True)}  # noqa: E712
    assert slugs(response) == enabled
    item = next(i for i in response.json["items"] if i["id"] == "weekly-report")
    assert item == {"id": "weekly-report", "number": 59, "name": "工作周报",
                    "category": "综合服务", "department": "宣传部", "audience": ["staff"],
                    "recommended": True}


def test_disabled_services_are_not_listed(client, service):
    Service.update(enabled=False).where(Service.slug == "weekly-report").execute()
    assert "weekly-report" not in slugs(client.get("/api/v1/services"))


@pytest.mark.parametrize("query, included, excluded", [
    ("q=周报", True, False),
    ("q=gzzb", True, False),
    ("q=不存在的服务", False, True),
    ("category=综合服务", True, False),
    ("department=宣传部", True, False),
    ("department=后勤管理处", False, True),
    ("audience=staff", True, False),
    ("audience=student", False, True),
    ("initial=g", True, False),
    ("initial=G", True, False),
    ("initial=z", False, True),
])
def test_catalog_filters(client, query, included, excluded):
    found = slugs(client.get(f"/api/v1/services?{query}"))
    assert ("weekly-report" in found) is included
    if excluded:
        assert "weekly-report" not in found


def test_catalog_filters_match_the_columns(client):
    for service in Service.select():
        for a in service.audience.split(","):
            assert service.slug in slugs(client.get(f"/api/v1/services?audience={a}"))
        found = slugs(client.get(f"/api/v1/services?initial={service.initials[0]}"))
        assert service.slug in found
        assert all(s.initials.startswith(service.initials[0])
                   for s in Service.select().where(Service.slug.in_(list(found))))


@pytest.mark.parametrize("query, field", [("audience=alien", "audience"),
                                          ("initial=1", "initial"), ("initial=ab", "initial")])
def test_bad_catalog_filters_are_422(client, query, field):
    response = client.get(f"/api/v1/services?{query}")
    assert response.status_code == 422
    assert field in response.json["fields"]


def test_service_detail_has_metadata_schema_and_steps(client):
    response = client.get("/api/v1/services/weekly-report")
    assert response.status_code == 200
    body = response.json
    assert (body["id"], body["number"], body["name"]) == ("weekly-report", 59, "工作周报")
    for key in ("category", "department", "co_departments", "audience", "fee", "time_limit",
                "hours", "place", "method", "phone", "conditions", "recommended", "keywords",
                "title", "format"):
        assert key in body
    schema = body["form"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["properties"]["items"]["items"]["properties"]["text"]["maxLength"] == 100
    assert body["steps"][1] == {"id": "leader", "name": "所在单位领导审批", "mode": "any",
                                "actions": ["approve", "return"], "opinion": "required"}


def test_service_detail_schema_validates_good_data(client):
    from jsonschema import Draft202012Validator
    schema = client.get("/api/v1/services/weekly-report").json["form"]
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"unit": "宣传部", "items": [{"text": "完成"}]})
    assert not validator.is_valid({"unit": "宣传部", "items": [{"text": "长" * 101}]})


def test_unknown_service_is_404_json(client):
    response = client.get("/api/v1/services/no-such-service")
    assert response.status_code == 404
    assert response.json["error"] == "not_found"
