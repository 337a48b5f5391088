"""The designer's side of the lifecycle: 版本迁移 with its dry-run report, 留存 on an instance."""
from app.defs.store import import_text
from app.engine import core
from app.models import FlowRecord, Instance
from tests.engine.conftest import CHAIN
from tests.lifecycle.test_migrate import V2_EXTRA, V2_NO_LEADER


def test_versions_page_reports_first_then_migrates(app, user, login_as):
    service, _, _ = import_text(CHAIN.replace("department: 办公室", "department: 宣传部"), "c.yaml")
    inst = core.start(service, user("t2001"), {"subject": "迁移"})
    import_text(V2_EXTRA.replace("department: 办公室", "department: 宣传部"), "c.yaml")
    admin = login_as("t2002")                                     # 宣传部's dept_admin
    page = admin.get(f"/designer/studio/service/{service.id}/versions").get_data(as_text=True)
    assert "迁移办理中的事项" in page
    report = admin.get(f"/designer/studio/service/{service.id}/migrate?to=2").get_data(as_text=True)
    assert f"<td>{inst.serial}</td><td>可以迁移</td>" in report and "可迁移 <b>1</b> 件" in report
    assert Instance.get_by_id(inst.id).version.version == 1        # the report moved nothing
    done = admin.post(f"/designer/studio/service/{service.id}/migrate", data={"to": "2"},
                      follow_redirects=True).get_data(as_text=True)
    assert "已完成" in done and f"{inst.serial}: ok" in done
    assert Instance.get_by_id(inst.id).version.version == 2


def test_a_step_gone_is_mapped_in_the_dialog(app, user, login_as):
    text = CHAIN.replace("department: 办公室\naudience", "department: 宣传部\naudience")
    service, _, _ = import_text(text, "c.yaml")
    inst = core.start(service, user("t2001"), {"subject": "迁移"})
    import_text(V2_NO_LEADER.replace("department: 办公室\naudience", "department: 宣传部\naudience"), "c.yaml")
    admin = login_as("t2002")
    report = admin.get(f"/designer/studio/service/{service.id}/migrate?to=2").get_data(as_text=True)
    assert "受阻：当前步骤“单位领导审批”在新版本中不存在" in report
    assert 'name="map-leader"' in report
    mapped = admin.get(f"/designer/studio/service/{service.id}/migrate?to=2&map-leader=head").get_data(as_text=True)
    assert "可以迁移" in mapped
    admin.post(f"/designer/studio/service/{service.id}/migrate", data={"to": "2", "map-leader": "head"})
    moved = Instance.get_by_id(inst.id)
    assert moved.version.version == 2 and moved.step == "head"
    assert FlowRecord.select().where(FlowRecord.instance == moved, FlowRecord.action == "migrate").exists()


def test_another_departments_admin_gets_404(app, user, login_as, service):
    other = login_as("t9004")                        # 组织部's dept_admin
    own = service("party-certificate")               # 组织部's service: reachable
    assert other.get(f"/designer/studio/service/{own.id}/migrate?to=1").status_code == 200
    weekly = service("weekly-report")                # 宣传部's: not even shown to exist
    assert other.get(f"/designer/studio/service/{weekly.id}/migrate").status_code == 404
    assert other.post(f"/designer/studio/service/{weekly.id}/migrate", data={"to": "1"}).status_code == 404


def test_staff_without_designer_rights_gets_403(app, login_as, service):
    weekly = service("weekly-report")
    leader = login_as("t7002")                       # a dept_leader, no designer role at all
    assert leader.get(f"/designer/studio/service/{weekly.id}/migrate").status_code == 403
    assert leader.post(f"/designer/studio/service/{weekly.id}/migrate", data={"to": "1"}).status_code == 403


def test_hold_is_set_and_lifted_in_the_instance_view(app, user, login_as, service):
    inst = core.start(service("weekly-report"), user("t2001"), {"items": [{"text": "周报"}]})
    admin = login_as("admin")
    page = admin.post(f"/designer/instances/hold/{inst.id}", data={"held": "1"}, follow_redirects=True)
    assert "已设为留存" in page.get_data(as_text=True) and Instance.get_by_id(inst.id).held
    admin.post(f"/designer/instances/hold/{inst.id}", data={"held": "0"})
    assert not Instance.get_by_id(inst.id).held
    other = login_as("t7002").post(f"/designer/instances/hold/{inst.id}", data={"held": "1"})
    assert other.status_code in (403, 404) and not Instance.get_by_id(inst.id).held
