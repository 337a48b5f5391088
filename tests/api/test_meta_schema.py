"""GET /api/v1/meta-schema.json: public, the format's meta-schema; definitions point editors at it."""
import json
from pathlib import Path

from app.defs.metaschema import build_meta_schema

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
MODELINE = "# yaml-language-server: $schema=meta-schema.json"


def test_meta_schema_is_public_and_is_the_loaded_build(client):
    response = client.get("/api/v1/meta-schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    served = response.get_json(force=True)
    assert served == build_meta_schema()
    assert served["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_committed_file_is_what_the_endpoint_serves_for_the_builtins(client):
    """definitions/meta-schema.json (what the shipped definitions' modeline names) equals the
    endpoint's document apart from the field types external plugins add."""
    served = client.get("/api/v1/meta-schema.json").get_json(force=True)
    committed = json.loads((DEFINITIONS / "meta-schema.json").read_text(encoding="utf-8"))
    builtin_types = committed["$defs"]["field"]["properties"]["type"]["enum"]
    served_types = served["$defs"]["field"]["properties"]["type"]["enum"]
    assert set(builtin_types) <= set(served_types)
    assert committed == build_meta_schema(builtin_only=True)


def test_a_signed_in_session_or_a_bad_token_does_not_matter(login_as):
    assert login_as("t2001").get("/api/v1/meta-schema.json").status_code == 200


def test_every_shipped_definition_starts_with_the_editor_modeline():
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE, path.name
    for path in sorted((DEFINITIONS / "tests").glob("*.test.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../scenario-schema.json", path.name
