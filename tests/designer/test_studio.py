"""Building a service through the builder's JSON API, the Source tab, preview, publishing, versions."""
import io

from app.defs.compile import validate_text
from app.engine import core
from app.models import Instance, Service, ServiceVersion
from app.models.designer import ServiceDraft
from tests.designer.conftest import builder_edit, draft_url, new_service

LAB_FIELDS = [
    {"name": "name", "type": "text", "label": "姓名", "required": True, "autofill": "user.name"},
    {"name": "level", "type": "radio", "label": "培训级别", "required": True, "options": ["初级", "高级"]},
    {"name": "members", "type": "rows", "label": "同行人员",
     "columns": [{"name": "item", "type": "text", "label": "姓名"}, {"name": "phone", "type": "text", "label": "电话"}]},
    {"name": "proof", "type": "file", "label": "证明材料", "accept": [".pdf", ".jpg"], "max_files": 2}]
LAB_STEP = {"id": "approve", "name": "宣传部审批", "by": {"role": "dept_leader", "department": "宣传部"},
            "opinion": "required", "cc": [{"user": "t2001"}]}


def build_lab_service(client):
    base = new_service(client)

    def build(d):
        d["form"]["fields"] = [dict(f) for f in LAB_FIELDS]
        d["steps"].append(dict(LAB_STEP))
    response = builder_edit(client, base, build)
    assert response.status_code == 200, response.get_data(as_text=True)
    return base


def field_at(d, index):
    return d["form"]["fields"][index]


def test_a_service_is_built_through_the_builder_api_and_published(admin, user):
    base = build_lab_service(admin)
    draft = ServiceDraft.get(ServiceDraft.slug == "lab-safety")
    sdef = validate_text(admin.get(base + "draft.yaml").data)
    assert [f.name for f in sdef.form.fields] == ["name", "level", "members", "proof"]
    assert [c.name for c in sdef.form.field("members").columns] == ["item", "phone"]
    assert sdef.form.field("level").options == ("初级", "高级")
    assert sdef.form.field("proof").accept == (".pdf", ".jpg")
    assert sdef.steps[1].by == {"role": "dept_leader", "department": "宣传部"}
    assert sdef.steps[1].cc == ({"user": "t2001"},) and sdef.steps[1].opinion == "required"
    assert draft.service is None
    assert admin.get(base + "draft.yaml").get_data(as_text=True).startswith("format: 1\nid: lab-safety\n")
    response = admin.post(base + "publish")
    assert response.status_code == 302
    service = Service.get(Service.slug == "lab-safety")
    version = ServiceVersion.get(ServiceVersion.service == service)
    assert version.version == 1 and version.created_by == user("admin")
    versions_page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "系统管理员" in versions_page and "已发布版本 1" in versions_page


def test_moving_and_deleting_fields_and_steps(admin):
    base = build_lab_service(admin)

    def move_and_delete(d):
        fields = d["form"]["fields"]
        fields[0], fields[1] = fields[1], fields[0]
        del fields[2]["columns"][0]
    assert builder_edit(admin, base, move_and_delete).status_code == 200
    sdef = validate_text(admin.get(base + "draft.yaml").data)
    assert [f.name for f in sdef.form.fields][:2] == ["level", "name"]
    assert [c.name for c in sdef.form.field("members").columns] == ["phone"]
    builder_edit(admin, base, lambda d: d["steps"].insert(1, {"id": "check", "name": "复核", "by": {"user": "t2001"}}))
    assert [s.id for s in validate_text(admin.get(base + "draft.yaml").data).steps] == ["fill", "check", "approve"]
    builder_edit(admin, base, lambda d: d["steps"].pop(1))
    assert [s.id for s in validate_text(admin.get(base + "draft.yaml").data).steps] == ["fill", "approve"]


def test_an_edit_that_breaks_the_definition_is_refused_and_nothing_changes(admin):
    base = build_lab_service(admin)
    before = admin.get(base + "draft.yaml").data
    refused = builder_edit(admin, base, lambda d: d["steps"][0].update(by={"user": "t2001"}))
    shown = refused.get_json()["message"]
    assert refused.status_code == 422
    assert "第一步必须由申请人填写表单" in shown and "the first step must be" not in shown
    assert builder_edit(admin, base, lambda d: d["form"]["fields"].pop(0)).status_code == 200   # 'name' unreferenced
    refused = builder_edit(admin, base, lambda d: d["steps"][1].update(by={"field": "name"}))
    assert refused.status_code == 422
    after = admin.get(base + "draft.yaml").data
    assert b"field: name" not in after and after != before          # the delete went through, the bad step not
    bad_number = builder_edit(admin, base, lambda d: d["form"]["fields"].append(
        {"name": "n", "type": "number", "label": "数量", "default": "十"}))
    assert bad_number.status_code == 422 and "默认值 '十' 不是这个字段的有效值" in bad_number.get_json()["message"]


def test_source_tab_validates_shows_errors_at_their_lines_and_keeps_comments(admin, service):
    base = draft_url(admin, service("weekly-report"))
    text = admin.get(base + "draft.yaml").get_data(as_text=True)
    broken = text.replace("type: date", "type: calendar")
    response = admin.post(base + "source", data={"source": broken})
    page = response.get_data(as_text=True)
    line = broken.splitlines().index(next(ln for ln in broken.splitlines() if "calendar" in ln)) + 1
    assert response.status_code == 422 and f"第 {line} 行" in page and "calendar" in page
    assert f'data-error-lines=\'[{line}]\'' in page
    assert admin.get(base + "draft.yaml").get_data(as_text=True) == text
    commented = text.replace("form:\n", "# 表单\nform:\n", 1)
    assert admin.post(base + "source", data={"source": commented}).status_code == 302
    assert "# 表单" in admin.get(base + "draft.yaml").get_data(as_text=True)
    source_page = admin.get(base + "source").get_data(as_text=True)
    assert "$schema" in source_page and "齐鲁工业大学工作周报" in source_page


def test_preview_renders_the_applicant_form_with_sample_autofill_and_the_chain(admin, service):
    base = build_lab_service(admin)
    page = admin.get(base + "preview?user=t2001").get_data(as_text=True)
    assert 'width="360"' in page and "preview/frame?user=t2001" in page
    assert "张华（t2002）" in page                       # 宣传部's dept_leader resolves
    frame = admin.get(base + "preview/frame?user=t2001").get_data(as_text=True)
    assert 'value="李明"' in frame and "培训级别" in frame and "oh-form" in frame
    assert builder_edit(admin, base, lambda d: d["steps"][1].update(
        by={"role": "dept_leader", "department": "不存在的部门"})).status_code == 200
    flagged = admin.get(base + "preview").get_data(as_text=True)
    assert "找不到办理人" in flagged
    assert "找不到任何人" in admin.get(base + "publish").get_data(as_text=True)


def test_publishing_again_makes_version_2_and_running_instances_keep_version_1(app, admin, user, service):
    weekly = service("weekly-report")
    with app.app_context():
        first = core.start(weekly, user("t2001"), {"items": [{"text": "一"}]}, submit=True)
    base = draft_url(admin, weekly)
    assert admin.post(base + "publish").status_code == 302
    assert service("weekly-report").latest_version == 1                # unchanged: no new version
    data = {"number": "59", "name": "工作周报", "category": "综合服务", "department": "宣传部",
            "co_departments": ["办公室", "网络信息中心"], "audience": ["staff"], "time_limit": "2w",
            "method": "线上办理", "conditions": "校(院)各部门、单位均可填报工作进展。", "recommended": "y",
            "keywords": "周报, 工作进展, 宣传", "title": "{service}_{applicant.name}_{form.unit}",
            "form_title": "工作周报（新）"}
    assert admin.post(base, data=data).status_code == 302
    assert admin.post(base + "publish").status_code == 302
    assert service("weekly-report").latest_version == 2
    assert Instance.get_by_id(first.id).version.version == 1
    versions = admin.get(f"/designer/studio/service/{weekly.id}/versions?a=1&b=2").get_data(as_text=True)
    assert "+  title: 工作周报（新）" in versions and "-  title: 齐鲁工业大学工作周报" in versions
    assert "表单标题 齐鲁工业大学工作周报→工作周报（新）" in versions
    assert '<td class="dz-count">1</td>' in versions
    download = admin.get(f"/designer/studio/service/{weekly.id}/versions/2.yaml")
    assert "attachment" in download.headers["Content-Disposition"] and "工作周报（新）" in download.get_data(as_text=True)
    assert admin.get(f"/designer/studio/service/{weekly.id}/versions/9.yaml").status_code == 404


def test_taking_a_service_offline_keeps_its_instances(app, admin, user, service, login_as):
    weekly = service("weekly-report")
    with app.app_context():
        running = core.start(weekly, user("t2001"), {"items": [{"text": "一"}]}, submit=True)
    admin.post(f"/designer/studio/service/{weekly.id}/enabled", data={"enabled": "0"})
    assert not service("weekly-report").enabled
    applicant = login_as("t2001")
    assert applicant.get("/services/weekly-report/start").status_code == 403
    assert applicant.get(f"/instances/{running.serial}").status_code == 200
    leader = login_as("t2002")
    with app.app_context():
        core.act(Instance.get_by_id(running.id), user("t2002"), "approve", opinion="同意")
    assert Instance.get_by_id(running.id).status == "completed"
    admin.post(f"/designer/studio/service/{weekly.id}/enabled", data={"enabled": "1"})
    assert service("weekly-report").enabled and leader


def test_import_many_files_with_a_report_per_file(admin, service):
    weekly = admin.get(f"/designer/studio/service/{service('weekly-report').id}/versions/1.yaml").data
    changed = weekly.replace("齐鲁工业大学工作周报".encode(), "工作周报（导入）".encode())
    new = changed.replace(b"id: weekly-report", b"id: weekly-copy").replace(b"number: 59", b"number: 959")
    response = admin.post("/designer/studio/import", data={"files": [
        (io.BytesIO(weekly), "same.yaml"), (io.BytesIO(changed), "changed.yaml"),
        (io.BytesIO(new), "new.yaml"), (io.BytesIO(b"id: [unclosed"), "broken.yaml")]},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for expected in ("未变化", "新版本", "新建服务", "错误", "broken.yaml:1:"):
        assert expected in page, expected
    assert service("weekly-report").latest_version == 2 and service("weekly-copy").latest_version == 1


def test_discarding_a_draft_returns_to_the_published_version(admin, service):
    base = draft_url(admin, service("weekly-report"))
    assert builder_edit(admin, base, lambda d: d["form"]["fields"].pop(1)).status_code == 200
    assert b"weeks" not in admin.get(base + "draft.yaml").data
    admin.post(base + "discard")
    base = draft_url(admin, service("weekly-report"))
    assert b"weeks" in admin.get(base + "draft.yaml").data


def test_regenerated_yaml_changes_only_where_the_definition_changed(admin):
    base = build_lab_service(admin)
    admin.post(base + "publish")
    assert builder_edit(admin, base, lambda d: d["form"]["fields"][1].update(label="级别")).status_code == 200
    page = admin.get(base + "publish").get_data(as_text=True)
    changed = [line for line in page.splitlines() if 'class="dz-diff-add"' in line or 'class="dz-diff-del"' in line]
    assert page.count('class="dz-diff-add"') == 1 and page.count('class="dz-diff-del"') == 1, changed
