"""The builder opens a schema-defined service and keeps it a schema: a save and a publish
from the builder leave the form's JSON Schema as written (never turned into fields)."""
import copy
import json
from pathlib import Path

from app.defs import wrap

SHOWCASE = Path(__file__).resolve().parents[1] / "defs" / "schemas" / "03-showcase.json"


def test_builder_save_and_publish_keep_the_schema(app, user, login_as):
    case = json.loads(SHOWCASE.read_text("utf-8"))
    text = wrap.wrap_text(case["schema"], name=case["name"], department="宣传部", slug="showcase", number=59999)
    with app.app_context():
        from app.defs.store import import_text, latest_version, load_version
        from designer import drafts
        from designer.builder import store
        service, _, _ = import_text(text, "showcase.yaml")
        draft = drafts.for_service(service)
        definition = copy.deepcopy(draft.definition)
        assert "fields" not in definition["form"] and definition["form"]["schema"] == case["schema"]
        definition["name"] = "科研项目申报（改名）"
        revision = store.save(draft, definition, draft.revision, user("admin"))
        saved = drafts.for_service(service)
        assert saved.definition["form"]["schema"] == case["schema"] and "fields" not in saved.definition["form"]
        store.publish(saved, revision, user("admin"))
        published = load_version(latest_version(service))
        assert published.name == "科研项目申报（改名）"
        assert published.form.json_schema == case["schema"]
        assert [f.type for f in published.form.fields if f.name == "leader"] == ["group"]
        draft_id = saved.id
    page = login_as("admin").get(f"/designer/builder/{draft_id}")
    assert page.status_code == 200


def test_the_designers_import_wraps_a_bare_json_schema(app, user):
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": "访客登记", "type": "object",
              "required": ["visitorName"], "properties": {"visitorName": {"type": "string", "title": "访客姓名"},
                                                          "到访日期": {"type": "string", "format": "date"}}}
    with app.app_context():
        from app.defs.store import latest_version, load_version
        from designer.imports import import_upload
        row = import_upload("visitor-log.json", json.dumps(schema, ensure_ascii=False).encode(), user("admin"),
                            allowed=["宣传部"])
        assert row.status == "created", row.problems
        sdef = load_version(latest_version(row.service))
        assert sdef.name == "访客登记" and sdef.department == "宣传部" and sdef.id == "visitor-log"
        assert sdef.form.json_schema == schema
        assert [s.by for s in sdef.steps] == ["applicant", {"role": "dept_leader", "of": "applicant"}]
        bad = import_upload("bad.json", b'{"type": "object", "properties": {"a": {"not": {}}}}', user("admin"),
                            allowed=["宣传部"])
        assert bad.status == "error" and "'not' cannot be shown" in bad.problems[0]
