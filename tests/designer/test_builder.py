"""The builder's page and JSON endpoints: create, save with a revision, refused saves at
their controls, stale saves (409 with who and when), name lookups, publishing, access."""
import json

import pytest

from app.defs.compile import export_dict, validate_text
from app.models import Service, ServiceVersion
from app.models.designer import ServiceDraft
from designer import drafts
from designer import identifiers
from designer.builder import store, targets

API = "/designer/builder/api"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def starter(**extra):
    definition = {"format": 1, "id": "", "number": 0, "name": "宣传品领用申请", "category": "综合服务",
                  "department": "宣传部", "audience": ["staff"],
                  "form": {"title": "", "fields": [{"name": "", "type": "text", "label": "领用事由"}]},
                  "steps": [{"id": "fill", "name": "填写申请", "by": "applicant"}]}
    definition.update(extra)
    return definition


@pytest.fixture
def created(dept_admin):
    response = post(dept_admin, API + "/new", {"definition": starter()})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_the_page_shows_the_palette_from_the_registry_and_no_inline_script(dept_admin):
    page = dept_admin.get("/designer/builder/new").get_data(as_text=True)
    for type_name in ("text", "radio", "file", "rows", "idcard"):
        assert f'data-type="{type_name}"' in page, type_name
    assert "添加第一个字段" in page and "身份证号" in page
    scripts = [chunk.split(">", 1)[0] for chunk in page.split("<script")[1:]]
    assert all("src=" in s or 'type="application/json"' in s for s in scripts), scripts
    assert " onclick=" not in page and " onchange=" not in page


def test_a_new_service_gets_a_generated_id_number_and_field_names(created):
    definition = created["definition"]
    assert definition["id"] == identifiers.slug("宣传品领用申请")
    assert definition["number"] == max(s.number for s in Service.select()) + 1
    assert definition["form"]["fields"][0]["name"] == identifiers.slug("领用事由", "_")
    assert definition["form"]["title"] == "宣传品领用申请"
    assert created["revision"] == 1
    assert "领用事由" in created["canvas"] and 'class="oh-field' in created["canvas"]


def test_a_save_returns_the_new_revision_and_the_canvas(dept_admin, created):
    definition = created["definition"]
    definition["form"]["fields"].append({"name": "", "type": "radio", "label": "领用类型",
                                         "options": ["海报", "展板"]})
    response = post(dept_admin, created["api"], {"definition": definition, "revision": created["revision"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["revision"] != created["revision"]
    assert body["definition"]["form"]["fields"][1]["name"] == identifiers.slug("领用类型", "_")
    assert "展板" in body["canvas"]


def test_a_stale_save_is_a_409_naming_who_changed_the_draft_and_when(dept_admin, admin, created):
    definition = created["definition"]
    first = post(admin, created["api"], {"definition": definition, "revision": created["revision"]})
    assert first.status_code == 200
    stale = post(dept_admin, created["api"], {"definition": definition, "revision": created["revision"]})
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["error"] == "conflict" and body["by"] == "系统管理员"
    assert body["revision"] == first.get_json()["revision"] and body["at"].endswith("Z")
    assert "系统管理员" in body["message"] and "修改" in body["message"]


def test_a_refused_save_names_the_control_in_chinese(dept_admin, created):
    definition = created["definition"]
    definition["form"]["fields"][0]["visible_when"] = "form.nothing == 1"
    response = post(dept_admin, created["api"], {"definition": definition, "revision": created["revision"]})
    assert response.status_code == 422
    found = response.get_json()["problems"]
    problem = [p for p in found if p["target"] == {"kind": "field", "index": 0, "key": "visible_when"}][0]
    assert problem["where"] == "字段“领用事由”的显示条件" and "nothing" in problem["message"]
    assert problem["message"].startswith("条件")
    assert ServiceDraft.get_by_id(created["draft_id"]).definition["form"]["fields"][0].get("visible_when") is None


def test_problem_paths_map_to_fields_columns_steps_and_metadata():
    assert targets.target(("form", "fields", 2, "visible_when")) == {"kind": "field", "index": 2, "key": "visible_when"}
    assert targets.target(("form", "fields", 3, "columns", 1, "label")) == \
        {"kind": "field", "index": 3, "column": 1, "key": "label"}
    assert targets.target(("steps", 1, "by")) == {"kind": "step", "index": 1, "key": "by"}
    assert targets.target(("number",)) == {"kind": "meta", "key": "number"}
    assert targets.target(()) == {"kind": "meta", "key": None}


def test_missing_identifiers_are_generated_from_the_labels_and_stay_unique():
    definition = {"name": "测试", "form": {"fields": [
        {"name": "", "type": "text", "label": "领用事由"}, {"name": "", "type": "text", "label": "领用事由"},
        {"name": "", "type": "rows", "label": "清单", "columns": [{"name": "", "type": "text", "label": "物品"}]}]},
        "steps": [{"id": "fill", "name": "填写", "by": "applicant"}, {"id": "", "name": "领导审批", "by": "applicant"}]}
    store.prepare(definition)
    names = [f["name"] for f in definition["form"]["fields"]]
    base = identifiers.slug("领用事由", "_")
    assert names[:2] == [base, base + "_2"]
    assert definition["form"]["fields"][2]["columns"][0]["name"] == identifiers.slug("物品", "_")
    assert definition["steps"][1]["id"] == identifiers.slug("领导审批", "_") and definition["form"]["title"] == "测试"


def test_lookups_return_names_never_ids(dept_admin):
    people = dept_admin.get(API + "/lookup/users?q=李明").get_json()["results"]
    assert people == [{"value": "t2001", "label": "李明（宣传部）"}]
    roles = dept_admin.get(API + "/lookup/roles?q=领导").get_json()["results"]
    assert {"value": "dept_leader", "label": "单位领导"} in roles
    departments = dept_admin.get(API + "/lookup/departments?q=宣传").get_json()["results"]
    assert departments == [{"value": "宣传部", "label": "宣传部"}]
    assert dept_admin.get(API + "/lookup/users?q=").get_json()["results"] == []
    assert dept_admin.get(API + "/lookup/secrets?q=a").status_code == 404


def test_publishing_checks_the_revision_and_makes_version_1(dept_admin, created):
    checks = dept_admin.get(created["publish_api"]).get_json()
    assert checks["steps"][0]["who"] == "申请人" and checks["warnings"] == []
    assert checks["changes"]
    assert post(dept_admin, created["publish_api"], {"revision": "stale"}).status_code == 409
    response = post(dept_admin, created["publish_api"], {"revision": created["revision"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    slug = created["definition"]["id"]
    assert response.get_json()["hall_url"] == f"/services/{slug}"
    service = Service.get(Service.slug == slug)
    assert ServiceVersion.get(ServiceVersion.service == service).version == 1


def test_saving_an_unchanged_definition_keeps_it_lossless(dept_admin, service):
    page = dept_admin.get(f"/designer/builder/service/{service('weekly-report').id}")
    assert page.status_code == 302
    state = dept_admin.get(API + "/" + page.headers["Location"].rsplit("/", 1)[1]).get_json()
    before = state["definition"]
    response = post(dept_admin, state["api"], {"definition": before, "revision": state["revision"]})
    assert response.status_code == 200
    draft = ServiceDraft.get_by_id(state["draft_id"])
    assert draft.definition == before
    assert export_dict(validate_text(drafts.text_of(draft))) == before


def test_people_without_designer_access_get_403(login_as, created):
    applicant = login_as("t2001")
    assert applicant.get("/designer/builder/new").status_code == 403
    assert applicant.get(created["api"]).status_code == 403
    assert post(applicant, created["api"], {"definition": {}, "revision": ""}).status_code == 403
    assert post(applicant, API + "/new", {"definition": starter()}).status_code == 403
    assert applicant.get(API + "/lookup/users?q=李").status_code == 403


def test_a_department_admin_cannot_touch_another_departments_draft(dept_admin, admin, service):
    opened = admin.get(f"/designer/builder/service/{service('tech-contract').id}")
    foreign = opened.headers["Location"]
    draft_id = foreign.rsplit("/", 1)[1]
    assert dept_admin.get(foreign).status_code == 404
    assert dept_admin.get(f"{API}/{draft_id}").status_code == 404
    assert post(dept_admin, f"{API}/{draft_id}", {"definition": {}, "revision": ""}).status_code == 404
    assert post(dept_admin, f"{API}/{draft_id}/publish", {"revision": ""}).status_code == 404
    other = post(dept_admin, API + "/new", {"definition": starter(department="办公室")})
    assert other.status_code == 422 and "主办部门" in other.get_json()["message"]


def test_the_builder_is_the_default_editor_linked_from_the_lists(dept_admin, service, created):
    home = dept_admin.get("/designer/").get_data(as_text=True)
    assert 'href="/designer/builder/new"' in home
    services = dept_admin.get("/designer/services/").get_data(as_text=True)
    assert f'/designer/builder/service/{service("weekly-report").id}' in services
    drafts_list = dept_admin.get("/designer/drafts/").get_data(as_text=True)
    assert f'/designer/builder/{created["draft_id"]}' in drafts_list
    page = dept_admin.get(f'/designer/builder/{created["draft_id"]}').get_data(as_text=True)
    assert 'id="bz-data"' in page and "宣传品领用申请" in page
    tabs = dept_admin.get(f'/designer/studio/{created["draft_id"]}/').get_data(as_text=True)
    assert f'href="/designer/builder/{created["draft_id"]}"' in tabs
    assert "表单字段" not in tabs and "流程步骤" not in tabs          # one editor: the builder
    assert f'/designer/studio/{created["draft_id"]}/source' in page    # 源码 opens from the builder


def test_the_old_field_and_step_editors_open_the_builder(dept_admin, admin, created, service):
    d = created["draft_id"]
    for url in ("fields", "fields/edit?at=0", "fields/add", "fields/add?parent=0", "steps",
                "steps/edit?at=1", "steps/add"):
        response = dept_admin.get(f"/designer/studio/{d}/{url}")
        assert response.status_code == 302, url
        assert response.headers["Location"].endswith(f"/designer/builder/{d}"), url
    before = ServiceDraft.get_by_id(d).definition
    for url in ("fields/move", "fields/delete", "steps/move", "steps/delete", "fields/add"):
        response = dept_admin.post(f"/designer/studio/{d}/{url}", data={"at": "0", "direction": "down"})
        assert response.status_code == 302 and response.headers["Location"].endswith(f"/designer/builder/{d}")
    assert ServiceDraft.get_by_id(d).definition == before                  # nothing changed on the way
    assert dept_admin.get("/designer/studio/999999/fields").status_code == 404
    assert dept_admin.get("/designer/studio/999999/steps/edit?at=0").status_code == 404
    other = ServiceDraft.get_by_id(post(admin, API + "/new", {"definition": starter(department="科研处")})
                                   .get_json()["draft_id"])
    assert dept_admin.get(f"/designer/studio/{other.id}/fields").status_code == 404   # not theirs
    new = dept_admin.post("/designer/studio/new", data={
        "id": "poster-x", "number": 977, "name": "海报", "category": "综合服务", "department": "宣传部",
        "audience": ["staff"]})
    assert new.status_code == 302 and "/designer/builder/" in new.headers["Location"]


def test_two_fields_with_one_label_are_refused_and_both_marked(dept_admin, created):
    definition = created["definition"]
    definition["form"]["fields"].append({"name": "", "type": "textarea", "label": "领用事由"})
    response = post(dept_admin, f"{API}/{created['draft_id']}", {"definition": definition, "revision": created["revision"]})
    assert response.status_code == 422
    marked = [(p["target"]["index"], p["target"]["key"], p["message"]) for p in response.get_json()["problems"]]
    assert marked == [(0, "label", "标题“领用事由”与第 2 个字段相同，请改成不同的标题"),
                      (1, "label", "标题“领用事由”与第 1 个字段相同，请改成不同的标题")]
    assert len(ServiceDraft.get_by_id(created["draft_id"]).definition["form"]["fields"]) == 1


def test_two_columns_with_one_label_are_refused(dept_admin):
    rows = {"name": "", "type": "rows", "label": "清单", "columns": [
        {"name": "", "type": "text", "label": "物品"}, {"name": "", "type": "number", "label": "物品"}]}
    response = post(dept_admin, API + "/new", {"definition": starter(form={"title": "", "fields": [rows]})})
    assert response.status_code == 422
    targets = [p["target"] for p in response.get_json()["problems"]]
    assert [(t["index"], t["column"]) for t in targets] == [(0, 0), (0, 1)]
    assert not ServiceDraft.select().where(ServiceDraft.slug == identifiers.slug("宣传品领用申请")).exists()


# ---------------------------------------------------------------- 从模板新建

TEMPLATE_NAMES = ("请假", "用印", "报销", "场地借用", "公务接待", "出差", "资产领用", "证明开具")


def test_the_templates_are_published_quality_with_passing_scenario_tests():
    import subprocess
    import sys
    from pathlib import Path
    from designer.builder import templates
    folder = templates.TEMPLATES_DIR
    listing = templates.listing()
    assert len(listing) >= 8
    for word in TEMPLATE_NAMES:
        assert any(word in t["name"] for t in listing), word
    for t in listing:
        assert (folder / "tests" / f"{t['id']}.test.yaml").is_file(), t["id"]
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "defs"]
    root = Path(__file__).resolve().parents[2]
    checked = subprocess.run(flask + ["validate", str(folder)], cwd=root, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    tested = subprocess.run(flask + ["test", str(folder)], cwd=root, capture_output=True, text=True)
    assert tested.returncode == 0 and " 0 failed" in tested.stdout, tested.stdout + tested.stderr
    assert tested.stdout.count("PASS ") >= 2 * len(listing)


def test_a_service_is_started_from_a_template_in_the_admins_department(dept_admin):
    home = dept_admin.get("/designer/").get_data(as_text=True)
    assert "从模板新建" in home and "/designer/builder/templates" in home
    page = dept_admin.get("/designer/builder/templates").get_data(as_text=True)
    assert "费用报销申请" in page and "部门领导审批 → 财务处审核" in page
    response = dept_admin.post("/designer/builder/templates/expense-claim")
    assert response.status_code == 302 and "/designer/builder/" in response.location
    draft = ServiceDraft.select().order_by(ServiceDraft.id.desc()).get()
    definition = draft.definition
    assert definition["name"] == "费用报销申请" and definition["department"] == "宣传部"
    assert draft.slug == identifiers.slug("费用报销申请") and definition["number"] != 903
    assert [s["id"] for s in definition["steps"]] == ["fill", "leader", "finance", "school"]
    assert dept_admin.post("/designer/builder/templates/no-such-template").status_code == 404
    assert dept_admin.get("/designer/builder/templates/expense-claim").status_code == 405
