"""/api/v1/openapi.json: structurally valid, and true to what the endpoints answer."""
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

PATHS = {
    "/services": ["get"], "/services/{id}": ["get"], "/services/{id}/instances": ["post"],
    "/instances/{serial}": ["get"], "/instances/{serial}/actions": ["post"],
    "/me/items": ["get"], "/openapi.json": ["get"],
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
DOC_URI = "urn:onehall:openapi"


@pytest.fixture
def doc(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def refs(node):
    """Every $ref value anywhere inside ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def resolve_pointer(doc, ref):
    assert ref.startswith("#/components/"), ref
    node = doc
    for part in ref[2:].split("/"):
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def test_document_is_openapi_3_1(doc):
    assert doc["openapi"].startswith("3.1")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        **doc["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert "Error" in doc["components"]["schemas"]


def test_every_endpoint_is_described(doc):
    for path, methods in PATHS.items():
        assert path in doc["paths"], path
        assert set(methods) <= set(doc["paths"][path])


def test_every_operation_is_complete(doc):
    operation_ids = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert method in METHODS
            assert op["responses"], f"{method} {path} has no responses"
            operation_ids.append(op["operationId"])
            for name in (p["name"] for p in op.get("parameters", []) if p["in"] == "path"):
                assert "{" + name + "}" in path
            for param in op.get("parameters", []):
                assert param["in"] in ("path", "query", "header", "cookie")
                assert "schema" in param
            for scheme in (s for alt in op.get("security", []) for s in alt):
                assert scheme in doc["components"]["securitySchemes"]
    assert len(operation_ids) == len(set(operation_ids))


def test_every_ref_resolves(doc):
    found = list(refs(doc))
    assert found
    for ref in found:
        resolve_pointer(doc, ref)


def test_component_schemas_are_valid_json_schema(doc):
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)


def test_error_responses_use_the_error_schema(doc):
    for name, response in doc["components"]["responses"].items():
        if name == "UriTooLong":                  # gunicorn's own answer, before the app
            assert "content" not in response
            continue
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


# ---------------------------------------------------------------- answers match the document

def validator_for(doc, name):
    registry = Registry().with_resource(DOC_URI, Resource(doc, specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"{DOC_URI}#/components/schemas/{name}"},
                                registry=registry)


def check(doc, name, body):
    errors = [e.message for e in validator_for(doc, name).iter_errors(body)]
    assert not errors, f"{name}: {errors}"


def test_real_answers_match_their_schemas(doc, client, api):
    check(doc, "Catalog", client.get("/api/v1/services").json)
    check(doc, "ServiceDetail", client.get("/api/v1/services/weekly-report").json)
    started = api("t2001").start("weekly-report", {"items": [{"text": "完成"}]})
    check(doc, "StartResult", started.json)
    serial = started.json["serial"]
    check(doc, "Instance", api("t2001").get(f"/api/v1/instances/{serial}").json)
    check(doc, "Instance", api("t2002").act(serial, "approve", opinion="同意").json)
    check(doc, "BoxPage", api("t2002").get("/api/v1/me/items?box=done").json)
    check(doc, "Error", client.get("/api/v1/me/items").json)
    check(doc, "Error", api("t2001").start("weekly-report", {"items": [{"text": ""}]}).json)


def test_request_schemas_accept_what_the_api_accepts(doc):
    check(doc, "StartRequest", {"data": {"a": 1}, "submit": False})
    check(doc, "ActionRequest", {"action": "return", "opinion": "请补充", "data": None,
                                 "to_step": "fill", "to_user": None})
    assert not validator_for(doc, "ActionRequest").is_valid({"opinion": "x"})
