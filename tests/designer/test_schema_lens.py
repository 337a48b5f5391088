"""The builder edits a schema-defined form: each edit through the builder's API changes the
schema minimally (the rest byte-for-byte equal, key order kept) and it stays ``form: {schema}``."""
import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.defs import wrap
from designer.builder import schema_lens

SCHEMAS = Path(__file__).resolve().parents[1] / "defs" / "schemas"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def corpus(name):
    return json.loads((SCHEMAS / f"{name}.json").read_text("utf-8"))["schema"]


def text(schema):
    return json.dumps(schema, ensure_ascii=False, indent=2)


def opened(app, client, name, slug, number):
    """Import corpus schema ``name`` into 宣传部 and open it in the builder → its state."""
    schema = corpus(name)
    with app.app_context():
        from app.defs.store import import_text
        service, _, _ = import_text(wrap.wrap_text(schema, name=f"测试{number}", department="宣传部", slug=slug,
                                                   number=number), f"{slug}.yaml")
        service_id = service.id
    page = client.get(f"/designer/builder/service/{service_id}")
    assert page.status_code == 302
    draft_id = int(page.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    state = client.get(f"/designer/builder/api/{draft_id}").get_json()
    return schema, state


def stored(app, state):
    """The draft's schema as stored (the JSON responses sort keys; the store keeps the order)."""
    with app.app_context():
        from app.models.designer import ServiceDraft
        from designer import drafts
        return drafts.compiled(ServiceDraft.get_by_id(state["draft_id"])).form.json_schema


def edit(client, state, op, status=200):
    response = post(client, state["schema_api"], {"revision": state["revision"], "op": op})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


@pytest.fixture
def showcase(app, dept_admin):
    return opened(app, dept_admin, "03-showcase", "showcase", 59001)


def test_the_state_projects_the_schema_as_cards_with_read_only_blocks(dept_admin, showcase):
    _, state = showcase
    cards = {c["name"]: c for c in state["schema_fields"]}
    assert cards["projectName"]["kind"] == "text" and cards["projectName"]["required"]
    assert cards["projectName"]["min_length"] == 4 and cards["projectName"]["max_length"] == 60
    assert cards["category"]["options"][0] == ["basic", "基础研究"]
    assert cards["leader"]["editable"] is False and "在源码中修改" in cards["leader"]["note"]
    assert cards["members"]["editable"] is False
    block = next(c for c in state["schema_fields"] if c["name"] == "if")
    assert block["block"] and block["kind"] == "readonly" and block["note"] == "在源码中修改"
    refused = post(dept_admin, state["schema_api"], {"revision": state["revision"],
                                                     "op": {"op": "update", "path": ["keywords"], "set": {"max_length": 3}}})
    assert refused.status_code == 422 and "在源码中修改" in refused.get_json()["message"]


def test_changing_a_title_help_and_required_changes_only_those_keys(app, dept_admin, showcase):
    schema, state = showcase
    state = edit(dept_admin, state, {"op": "update", "path": ["projectName"],
                                     "set": {"label": "课题名称", "help": "", "required": False,
                                             "min_length": 2, "max_length": ""}})
    expected = copy.deepcopy(schema)
    prop = expected["properties"]["projectName"]
    prop["title"], prop["minLength"] = "课题名称", 2
    del prop["description"], prop["maxLength"]
    expected["required"].remove("projectName")
    assert text(stored(app, state)) == text(expected)
    assert "fields" not in state["definition"]["form"]
    card = next(c for c in state["schema_fields"] if c["name"] == "projectName")
    assert card["label"] == "课题名称" and not card["required"]
    assert "课题名称" in state["canvas"]


def test_options_of_a_oneof_and_of_an_enum(dept_admin, showcase):
    schema, state = showcase
    state = edit(dept_admin, state, {"op": "update", "path": ["category"],
                                     "set": {"options": [["basic", "基础研究"], ["applied", "应用类研究"],
                                                         ["policy", "政策研究"]]}})
    saved = state["definition"]["form"]["schema"]["properties"]["category"]["oneOf"]
    assert saved == [{"const": "basic", "title": "基础研究"}, {"const": "applied", "title": "应用类研究"},
                     {"const": "policy", "title": "政策研究"}]
    state = edit(dept_admin, state, {"op": "update", "path": ["durationMonths"],
                                     "set": {"options": [[12, "12"], [24, "24"], [48, "48"]]}})
    assert state["definition"]["form"]["schema"]["properties"]["durationMonths"]["enum"] == [12, 24, 48]
    refused = edit(dept_admin, state, {"op": "update", "path": ["category"], "set": {"options": []}}, 422)
    assert refused["message"] == "请至少填写一个选项"
    refused = edit(dept_admin, state, {"op": "update", "path": ["projectName"], "set": {"options": [["a", "a"]]}}, 422)
    assert refused["message"] == "只有选择字段可以设置选项"


def test_adding_properties_at_the_top_and_inside_a_group(app, dept_admin):
    schema, state = opened(app, dept_admin, "02-nested-address", "address", 59002)
    for kind in ("text", "number", "date", "choice", "boolean"):
        state = edit(dept_admin, state, {"op": "add", "parent": [], "field": {"kind": kind, "label": f"新{kind}"}})
    state = edit(dept_admin, state, {"op": "add", "parent": ["contact"],
                                     "field": {"kind": "text", "label": "邮箱", "name": "email", "required": True}})
    saved = stored(app, state)
    added = list(saved["properties"])[len(schema["properties"]):]
    assert [saved["properties"][n]["title"] for n in added] == ["新text", "新number", "新date", "新choice", "新boolean"]
    assert saved["properties"][added[2]] == {"type": "string", "format": "date", "title": "新date"}
    contact = saved["properties"]["contact"]
    assert list(contact["properties"]) == ["name", "phone", "email"] and contact["required"] == ["email"]
    # everything else untouched, in its order
    for name in schema["properties"]:
        if name != "contact":
            assert text(saved["properties"][name]) == text(schema["properties"][name])
    assert text(saved["definitions"]) == text(schema["definitions"])
    assert list(saved)[:len(schema)] == list(schema)
    card = next(c for c in state["schema_fields"] if c["name"] == "contact")
    assert [c["name"] for c in card["children"]] == ["name", "phone", "email"]
    # a $ref'd group is read-only
    refused = edit(dept_admin, state, {"op": "add", "parent": ["billing_address"],
                                       "field": {"kind": "text", "label": "x"}}, 422)
    assert "在源码中修改" in refused["message"]
    assert edit(dept_admin, state, {"op": "add", "parent": [], "field": {"kind": "text", "label": ""}},
                422)["message"] == "请填写字段标题"
    assert edit(dept_admin, state, {"op": "add", "parent": ["contact"],
                                    "field": {"kind": "text", "label": "重复", "name": "email"}},
                422)["message"] == "已有名为“email”的字段"


def test_removing_and_reordering(app, dept_admin):
    schema, state = opened(app, dept_admin, "04-draft04-loan", "loan", 59003)
    state = edit(dept_admin, state, {"op": "move", "path": ["repayDate"], "to": 0})
    assert list(stored(app, state)["properties"]) == ["repayDate", "applicant", "amount", "purpose"]
    state = edit(dept_admin, state, {"op": "remove", "path": ["applicant"]})
    saved = stored(app, state)
    assert list(saved["properties"]) == ["repayDate", "amount", "purpose"] and saved["required"] == ["amount"]
    state = edit(dept_admin, state, {"op": "update", "path": ["amount"], "set": {"required": False}})
    assert "required" not in state["definition"]["form"]["schema"]        # draft 4: no empty list
    # a draft-4 enum keeps enum (labels as enumNames), no const
    state = edit(dept_admin, state, {"op": "update", "path": ["purpose"],
                                     "set": {"options": [["trip", "差旅"], ["meeting", "会议"]]}})
    purpose = state["definition"]["form"]["schema"]["properties"]["purpose"]
    assert purpose["enum"] == ["trip", "meeting"] and purpose["enumNames"] == ["差旅", "会议"]
    assert text(stored(app, state)["properties"]["repayDate"]) == text(schema["properties"]["repayDate"])
    assert edit(dept_admin, state, {"op": "move", "path": ["amount"], "to": 9}, 422)["message"] == "无法移到这个位置"
    assert edit(dept_admin, state, {"op": "remove", "path": ["nope"]}, 422)["message"] == "没有找到要修改的字段"


def test_a_field_a_condition_uses_cannot_be_removed(app, dept_admin):
    _, state = opened(app, dept_admin, "10-conditional-props", "trip", 59004)
    assert any(c["kind"] == "readonly" and c["name"] == "if" for c in state["schema_fields"])
    refused = edit(dept_admin, state, {"op": "remove", "path": ["abroad"]}, 422)
    assert "在源码中修改" in refused["message"]
    assert edit(dept_admin, state, {"op": "remove", "path": ["city"]})["definition"]["form"]["schema"]["if"]


def test_stale_revision_and_other_departments(app, dept_admin, admin, showcase):
    _, state = showcase
    edit(dept_admin, state, {"op": "update", "path": ["projectName"], "set": {"label": "一"}})
    stale = post(dept_admin, state["schema_api"], {"revision": state["revision"],
                                                   "op": {"op": "update", "path": ["projectName"], "set": {"label": "二"}}})
    assert stale.status_code == 409
    assert post(dept_admin, state["schema_api"], {"revision": state["revision"], "op": "x"}).status_code == 422


def test_published_edit_is_what_export_schema_prints(app, dept_admin, showcase):
    schema, state = showcase
    state = edit(dept_admin, state, {"op": "update", "path": ["projectName"], "set": {"label": "课题名称"}})
    state = edit(dept_admin, state, {"op": "add", "parent": [], "field": {"kind": "text", "label": "备注",
                                                                          "name": "note"}})
    response = post(dept_admin, state["publish_api"], {"revision": state["revision"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    expected = copy.deepcopy(schema)
    expected["properties"]["projectName"]["title"] = "课题名称"
    expected["properties"]["note"] = {"type": "string", "title": "备注"}
    from app.cli.defs import export_command
    with app.app_context():
        result = CliRunner().invoke(export_command, ["showcase", "--schema"], catch_exceptions=False)
    assert result.output == text(expected) + "\n"
    page = dept_admin.get("/services/showcase/start").get_data(as_text=True)
    assert "课题名称" in page and "备注" in page and 'name="note"' in page


def test_projection_of_every_corpus_schema_never_fails():
    for path in sorted(SCHEMAS.glob("*.json")):
        cards = schema_lens.project(json.loads(path.read_text("utf-8"))["schema"])
        assert cards and all(c["label"] for c in cards), path.name


def test_the_builders_whole_definition_save_after_a_schema_edit_keeps_the_schema(app, dept_admin, showcase):
    """builder.js normalizes ``form.fields`` to [] and sends its (sorted) copy back on a name change."""
    schema, state = showcase
    state = edit(dept_admin, state, {"op": "update", "path": ["projectName"], "set": {"label": "课题名称"}})
    definition = copy.deepcopy(state["definition"])
    definition["name"], definition["form"]["fields"] = "改名", []
    response = post(dept_admin, state["api"], {"definition": definition, "revision": state["revision"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    expected = copy.deepcopy(schema)
    expected["properties"]["projectName"]["title"] = "课题名称"
    assert text(stored(app, response.get_json())) == text(expected)
    assert "fields" not in response.get_json()["definition"]["form"]
    page = dept_admin.get(f"/designer/builder/{state['draft_id']}").get_data(as_text=True)
    assert "builder_schema.js" in page
