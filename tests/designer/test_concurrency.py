"""Two admins, one draft: every save names the revision it was based on; a stale one is
refused with who changed the draft and when — never a silent overwrite."""
import re

import pytest

from app.defs.compile import validate_text
from app.models.designer import ServiceDraft
from tests.designer.conftest import builder_edit, draft_id_of, draft_url, revision_of


def label_of(d, name):
    return next(f for f in d["form"]["fields"] if f["name"] == name)


def test_a_builder_save_from_an_older_revision_is_refused_naming_who_and_when(admin, dept_admin, service):
    weekly = service("weekly-report")
    base = draft_url(admin, weekly)
    based_on = revision_of(admin, base)
    assert revision_of(dept_admin, base) == based_on

    saved = builder_edit(dept_admin, base, lambda d: label_of(d, "weeks").update(label="教学周次"))
    assert saved.status_code == 200 and saved.get_json()["revision"] == based_on + 1

    stale = builder_edit(admin, base, lambda d: label_of(d, "unit").update(label="所在单位（我的修改）"),
                         revision=based_on)
    body = stale.get_json()
    assert stale.status_code == 409
    assert re.search(r"此草稿已被 张华 于 \d\d:\d\d 修改", body["message"]) and "版）" not in body["message"]
    sdef = validate_text(admin.get(base + "draft.yaml").data)
    assert sdef.form.field("weeks").label == "教学周次"                # their change is intact
    assert sdef.form.field("unit").label == "单位"

    again = builder_edit(admin, base, lambda d: label_of(d, "unit").update(label="所在单位（我的修改）"))
    assert again.status_code == 200
    sdef = validate_text(admin.get(base + "draft.yaml").data)
    assert sdef.form.field("unit").label == "所在单位（我的修改）" and sdef.form.field("weeks").label == "教学周次"


def test_a_stale_move_and_the_source_tab_are_revision_checked_too(admin, dept_admin, service):
    base = draft_url(admin, service("weekly-report"))
    draft = ServiceDraft.get(ServiceDraft.slug == "weekly-report")
    old = draft.revision

    def move(d):
        fields = d["form"]["fields"]
        fields.insert(0, fields.pop(1))
    assert builder_edit(dept_admin, base, move, revision=old).status_code == 200
    refused = builder_edit(admin, base, lambda d: d["form"]["fields"].pop(0), revision=old)
    assert refused.status_code == 409 and "此草稿已被 张华" in refused.get_json()["message"]
    assert len(ServiceDraft.get_by_id(draft.id).definition["form"]["fields"]) == 4
    text = admin.get(base + "draft.yaml").get_data(as_text=True)
    stale_source = admin.post(base + "source", data={"source": text + "# 注释\n", "revision": old})
    assert stale_source.status_code == 409 and "# 注释" in stale_source.get_data(as_text=True)
    assert "# 注释" not in admin.get(base + "draft.yaml").get_data(as_text=True)


def test_publishing_a_revision_someone_has_changed_since_is_refused(admin, dept_admin, service):
    weekly = service("weekly-report")
    base = draft_url(admin, weekly)
    old = ServiceDraft.get(ServiceDraft.slug == "weekly-report").revision
    assert builder_edit(dept_admin, base, lambda d: label_of(d, "unit").update(label="部门"),
                        revision=old).status_code == 200
    refused = admin.post(base + "publish", data={"revision": old})
    assert refused.status_code == 409 and "此草稿已被 张华" in refused.get_data(as_text=True)
    assert service("weekly-report").latest_version == 1


def api_of(client, service):
    return f"/designer/builder/api/{draft_id_of(draft_url(client, service))}"


def test_the_json_api_saves_with_a_revision_and_answers_409_to_a_stale_one(admin, dept_admin, service):
    api = api_of(admin, service("weekly-report"))
    got = admin.get(api).get_json()
    assert set(got) >= {"revision", "definition", "updated_by", "updated_at"}
    revision, definition = got["revision"], got["definition"]
    definition["form"]["fields"][0]["label"] = "所在单位"

    first = dept_admin.post(api, json={"revision": revision, "definition": definition})
    assert first.status_code == 200 and first.get_json()["revision"] == revision + 1
    assert first.get_json()["updated_by"] == "张华"

    definition["form"]["fields"][0]["label"] = "单位名称"
    second = admin.post(api, json={"revision": revision, "definition": definition})
    body = second.get_json()
    assert second.status_code == 409
    assert body["error"] == "conflict" and body["by"] == "张华" and body["revision"] == revision + 1
    assert re.search(r"已被 张华 于 \d\d:\d\d 修改", body["message"]) and body["at"].endswith("Z")
    assert admin.get(api).get_json()["definition"]["form"]["fields"][0]["label"] == "所在单位"

    patched = admin.post(api, json={"revision": revision + 1, "patch": [
        {"op": "replace", "path": "/form/fields/0/label", "value": "单位名称"},
        {"op": "move", "from": "/form/fields/2", "path": "/form/fields/0"}]})
    assert patched.status_code == 200 and patched.get_json()["revision"] == revision + 2
    fields = admin.get(api).get_json()["definition"]["form"]["fields"]
    assert [f["name"] for f in fields][:2] == ["date", "unit"] and fields[1]["label"] == "单位名称"
    stale_patch = dept_admin.post(api, json={"revision": revision, "patch": []})
    assert stale_patch.status_code == 409 and stale_patch.get_json()["by"] == "系统管理员"
    bad_patch = admin.post(api, json={"revision": revision + 2, "patch": [{"op": "remove", "path": "/nope"}]})
    assert bad_patch.status_code == 422 and bad_patch.get_json()["error"] == "invalid_patch"
    unsaid = admin.post(api, json={"definition": definition})          # no revision: never an overwrite
    assert unsaid.status_code == 409 and admin.get(api).get_json()["revision"] == revision + 2


def test_the_json_api_explains_problems_in_chinese_at_their_path(admin, service):
    api = api_of(admin, service("weekly-report"))
    got = admin.get(api).get_json()
    definition = got["definition"]
    definition["steps"][1]["when"] = "len(form.items) > 2"
    response = admin.post(api, json={"revision": got["revision"], "definition": definition})
    body = response.get_json()
    assert response.status_code == 422 and body["error"] == "invalid"
    assert body["problems"][0]["path"] == ["steps", 1, "when"]
    assert body["problems"][0]["message"] == "条件中不能调用函数"
    assert body["problems"][0]["where"] == "步骤“所在单位领导审批”的执行条件"
    assert body["problems"][0]["target"] == {"kind": "step", "index": 1, "key": "when"}


def test_the_json_api_keeps_scope_and_needs_csrf(app, admin, dept_admin, login_as, service):
    other = api_of(admin, service("tech-contract"))
    refused = dept_admin.get(other)                                     # another department's
    assert refused.status_code == 404 and refused.get_json()["error"] == "not_found"
    assert dept_admin.post(other + "/publish", json={"revision": 1}).status_code == 404
    api = api_of(admin, service("weekly-report"))
    forbidden = login_as("t2001").get(api)
    assert forbidden.status_code == 403 and forbidden.is_json
    anonymous = app.test_client().get(api)
    assert anonymous.status_code == 401 and anonymous.get_json()["error"] == "unauthorized"
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "admin", "password": "demo1234", "csrf_token": token})
    got = client.get(api).get_json()
    body = {"revision": got["revision"], "definition": got["definition"]}
    refused = client.post(api, json=body)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf"
    page = client.get("/designer/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post(api, json=body, headers={"X-CSRFToken": token}).status_code == 200


def test_the_retired_api_answers_404(admin):
    for path in ("/designer/api/drafts/weekly-report/", "/designer/api/numbers/next",
                 "/designer/api/identifiers?kind=field&text=事由"):
        assert admin.get(path).status_code == 404, path
    assert admin.post("/designer/api/drafts/", json={"name": "测试"}).status_code == 404


def _race_saves(app_obj, labels):
    """Each thread saves its own label for field 0 from the same revision, at the same moment."""
    import threading

    from app.db import db
    from app.models import User
    from designer import drafts
    barrier, outcomes = threading.Barrier(len(labels)), {}

    def worker(label):
        with app_obj.app_context():
            db.connect(reuse_if_open=True)
            try:
                draft = ServiceDraft.get(ServiceDraft.slug == "weekly-report")
                definition = drafts.edited(draft)
                definition["form"]["fields"][0]["label"] = label
                barrier.wait()
                drafts.save_definition(draft, definition, User.get(User.username == "admin"))
                outcomes[label] = "ok"
            except drafts.Conflict:
                outcomes[label] = "conflict"
            finally:
                db.close()

    threads = [threading.Thread(target=worker, args=(label,)) for label in labels]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def _check_one_save_won(outcomes, revision):
    winners = [label for label, result in outcomes.items() if result == "ok"]
    assert len(winners) == 1 and len(outcomes) == 4, outcomes
    draft = ServiceDraft.get(ServiceDraft.slug == "weekly-report")
    assert draft.revision == revision + 1 and draft.definition["form"]["fields"][0]["label"] == winners[0]


def test_racing_saves_on_sqlite_one_wins(app, admin, service):
    from app.db import db
    draft_url(admin, service("weekly-report"))
    revision = ServiceDraft.get(ServiceDraft.slug == "weekly-report").revision
    db.close()
    outcomes = _race_saves(app, ["甲", "乙", "丙", "丁"])
    db.connect(reuse_if_open=True)
    _check_one_save_won(outcomes, revision)


@pytest.mark.postgres
def test_racing_saves_on_postgres_one_wins(pg_app, service):
    from app.models import Service
    from designer import drafts
    with pg_app.app_context():
        revision = drafts.for_service(Service.get(Service.slug == "weekly-report")).revision
    outcomes = _race_saves(pg_app, ["甲", "乙", "丙", "丁"])
    _check_one_save_won(outcomes, revision)
