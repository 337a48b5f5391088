"""The designer runs a service's scenario tests: shown on 版本 and 发布, run before 发布;
a failing test blocks publishing with the difference shown, unless a system admin confirms."""
import copy
import json
from pathlib import Path

import pytest

from app.models import ServiceVersion
from app.models.audit import AuditEvent
from app.models.designer import ServiceScenarios

DEFINITIONS = Path(__file__).resolve().parents[2] / "definitions"
SCENARIOS = (DEFINITIONS / "tests" / "weekly-report.test.yaml").read_text(encoding="utf-8")
FAIL_LINE = "FAIL 宣传部职工提交后到部门领导: assignees.leader: expected [t2002], got [t3002]"


def api_of(client, service):
    """The builder's JSON API of the service's draft (opening the service makes the draft)."""
    location = client.get(f"/designer/studio/service/{service.id}").headers["Location"]
    return "/designer/builder/api/" + location.rstrip("/").split("/")[-1]


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def weekly(service):
    return service("weekly-report")


@pytest.fixture
def with_tests(login_as, weekly):
    response = login_as("t2002").post(f"/designer/studio/service/{weekly.id}/scenarios",
                                      data={"source": SCENARIOS})
    assert response.status_code == 302
    return weekly


def break_routing(client, service):
    """Save a draft whose leader step goes to 办公室's leader (钱程, t3002), not 张华."""
    api = api_of(client, service)
    draft = client.get(api).get_json()
    definition = copy.deepcopy(draft["definition"])
    leader = next(s for s in definition["steps"] if s["id"] == "leader")
    leader["by"] = {"role": "dept_leader", "department": "办公室"}
    response = post(client, api, {"revision": draft["revision"], "definition": definition})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["revision"]


def versions_page(client, weekly):
    response = client.get(f"/designer/studio/service/{weekly.id}/versions")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_versions_page_without_tests_says_so_and_offers_to_add_them(login_as, weekly):
    page = versions_page(login_as("t2002"), weekly)
    assert "此服务还没有场景测试" in page
    assert "添加测试用例" in page and "service: weekly-report" in page


def test_saved_tests_run_against_the_latest_version_and_show_each_case(login_as, with_tests):
    client = login_as("t2002")
    page = versions_page(client, with_tests)
    assert "场景测试全部通过：2 项" in page
    assert "宣传部职工提交后到部门领导" in page and "没有内容时拒绝" in page
    row = ServiceScenarios.get(ServiceScenarios.slug == "weekly-report")
    assert row.result["ok"] is True and row.updated_by.username == "t2002"


def test_a_bad_test_file_is_refused_with_its_line(login_as, with_tests):
    client = login_as("t2002")
    response = client.post(f"/designer/studio/service/{with_tests.id}/scenarios",
                           data={"source": SCENARIOS.replace("expect: {valid: false", "expect: {vaild: false")},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "测试用例第 11 行" in page and "vaild" in page
    other = client.post(f"/designer/studio/service/{with_tests.id}/scenarios",
                        data={"source": SCENARIOS.replace("service: weekly-report", "service: feedback")},
                        follow_redirects=True).get_data(as_text=True)
    assert "service 应为 weekly-report，不是 feedback" in other
    assert ServiceScenarios.get(ServiceScenarios.slug == "weekly-report").source == SCENARIOS


def test_another_departments_admin_cannot_see_or_change_the_tests(login_as, with_tests):
    client = login_as("t9001")                   # 学生工作部's dept_admin
    assert client.get(f"/designer/studio/service/{with_tests.id}/versions").status_code == 404
    assert client.post(f"/designer/studio/service/{with_tests.id}/scenarios",
                       data={"source": ""}).status_code == 404
    assert ServiceScenarios.get_or_none(ServiceScenarios.slug == "weekly-report") is not None


def test_a_failing_test_blocks_publishing_with_the_difference(login_as, with_tests):
    client = login_as("t2002")
    revision = break_routing(client, with_tests)
    before = ServiceVersion.select().where(ServiceVersion.service == with_tests).count()
    response = post(client, api_of(client, with_tests) + "/publish", {"revision": revision, "override_tests": True})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "tests_failed" and body["can_override"] is False
    assert FAIL_LINE in [p["message"] for p in body["problems"]]
    assert ServiceVersion.select().where(ServiceVersion.service == with_tests).count() == before


def test_a_system_admin_may_publish_past_failing_tests_when_confirming(login_as, with_tests):
    revision = break_routing(login_as("t2002"), with_tests)
    admin = login_as("admin")
    publish = api_of(admin, with_tests) + "/publish"
    refused = post(admin, publish, {"revision": revision})
    assert refused.status_code == 422 and refused.get_json()["can_override"] is True
    done = post(admin, publish, {"revision": revision, "override_tests": True})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["version"] == 2
    event = AuditEvent.select().where(AuditEvent.detail.contains("场景测试未通过")).get()
    assert event.kind == "publish" and FAIL_LINE in event.detail


def test_the_publish_page_shows_the_failure_and_only_admins_get_the_confirm(login_as, with_tests):
    client = login_as("t2002")
    break_routing(client, with_tests)
    publish_url = client.get(f"/designer/studio/service/{with_tests.id}").headers["Location"] + "publish"
    page = client.get(publish_url).get_data(as_text=True)
    assert "场景测试未通过：1 项通过，1 项失败" in page
    assert "assignees.leader: expected [t2002], got [t3002]" in page
    assert "不能发布" in page and 'name="override_tests"' not in page
    revision = client.get(api_of(client, with_tests)).get_json()["revision"]
    refused = client.post(publish_url, data={"revision": revision, "override_tests": "1"})
    assert refused.status_code == 422
    assert "场景测试未通过，未发布" in refused.get_data(as_text=True)
    admin = login_as("admin")
    assert 'name="override_tests"' in admin.get(publish_url).get_data(as_text=True)
    done = admin.post(publish_url, data={"revision": revision, "override_tests": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/versions")


def test_passing_tests_do_not_stand_in_the_way(login_as, with_tests):
    client = login_as("t2002")
    api = api_of(client, with_tests)
    draft = client.get(api).get_json()
    definition = copy.deepcopy(draft["definition"])
    definition["name"] = "工作周报（新）"
    revision = post(client, api, {"revision": draft["revision"], "definition": definition}).get_json()["revision"]
    response = post(client, api + "/publish", {"revision": revision})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_builder_publish_check_carries_the_test_report(login_as, with_tests):
    client = login_as("t2002")
    break_routing(client, with_tests)
    draft_id = client.get(f"/designer/studio/service/{with_tests.id}").headers["Location"].rstrip("/").split("/")[-1]
    info = client.get(f"/designer/builder/api/{draft_id}/publish").get_json()
    assert info["tests"]["ok"] is False and info["tests"]["failed"] == 1


def test_flask_defs_import_keeps_the_scenario_file_with_the_service(app):
    from click.testing import CliRunner
    from app.cli.defs import defs_cli
    with app.app_context():
        result = CliRunner().invoke(defs_cli, ["import", str(DEFINITIONS / "weekly-report.yaml")])
        assert result.exit_code == 0, result.output
        row = ServiceScenarios.get(ServiceScenarios.slug == "weekly-report")
    assert row.source == SCENARIOS
