"""差评回访: a 1–2 star rating opens a to-do for the department's dept_admins, closed by a reply."""
import pytest

from app.engine import core
from app.engine.exceptions import Conflict, Invalid, NotAllowed
from app.hall import followups
from app.hall.ratings import rate
from app.models import FlowRecord, Service, Task
from app.models.hall import Rating
from tests.hall.helpers import person, rows_of

DORM = {"phone": "13800000000", "building": "3号楼", "room": "301", "fault": "水电",
        "description": "灯坏了"}


def completed_dorm_repair():
    """宿舍报修 (学生工作部, whose dept_admin t9001 takes no part in it), done by t5001."""
    inst = core.start(Service.get(Service.slug == "dorm-repair"), person("s2023001"), DORM)
    return core.act(inst, person("t5001"), "approve", opinion="已修好")


@pytest.fixture
def low(app):
    with app.app_context():
        inst = completed_dorm_repair()
        rate(inst, person("s2023001"), 2, "修了三天才来")
        return inst


def test_low_rating_appears_in_the_dept_admins_todo(low, login_as):
    t9001 = login_as("t9001")
    body = t9001.get("/api/v1/me/items?box=todo").get_json()
    assert body["total"] == 1 and body["items"][0]["serial"] == low.serial
    html = t9001.get("/me/items?box=todo").get_data(as_text=True)
    [row] = rows_of(html, "items")
    assert "差评回访" in row and str(low.serial) in row
    assert '<b class="badge" title="待办事项">1</b>' in html
    for other in ("t5001", "t2002", "admin"):                        # not theirs
        assert login_as(other).get("/api/v1/me/items?box=todo").get_json()["total"] == 0


def test_holder_reads_the_remark_and_replies(low, login_as, app):
    t9001 = login_as("t9001")
    page = t9001.get(f"/instances/{low.serial}").get_data(as_text=True)
    assert "差评回访" in page and "修了三天才来" in page and "答复并关闭" in page
    assert 'name="action" value="approve"' not in page                 # no approval actions
    r = t9001.post(f"/instances/{low.serial}/followup", data={"reply": "已约谈维修班组，今后24小时内上门"})
    assert r.status_code == 302
    assert t9001.get("/api/v1/me/items?box=todo").get_json()["total"] == 0
    with app.app_context():
        rating = Rating.get(Rating.instance == low.id)
        assert rating.reply == "已约谈维修班组，今后24小时内上门" and rating.replied_by_id == person("t9001").id
        record = FlowRecord.select().where(FlowRecord.instance == low.id).order_by(FlowRecord.id.desc()).get()
        assert (record.step_name, record.action, record.user_id) == ("差评回访", "reply", person("t9001").id)
    applicant = login_as("s2023001").get(f"/instances/{low.serial}").get_data(as_text=True)
    assert "部门回复" in applicant and "已约谈维修班组，今后24小时内上门" in applicant
    assert "答复并关闭" not in applicant
    api = login_as("s2023001").get(f"/api/v1/instances/{low.serial}").get_json()
    assert any(r["action"] == "reply" and r["opinion"].startswith("已约谈") for r in api["records"])


def test_every_holder_gets_it_and_the_first_reply_closes_all(app):
    with app.app_context():
        from app.people.directory import grant
        grant(person("t9002"), "dept_admin@学生工作部")
        inst = completed_dorm_repair()
        rate(inst, person("s2023001"), 1)
        assert sorted(t.assignee.username for t in Task.select().where(Task.kind == "followup")) == \
            ["t9001", "t9002"]
        followups.close(inst, person("t9002"), "抱歉，已整改")
        with pytest.raises(Conflict):
            followups.close(inst, person("t9001"), "我也来答复")
        assert {t.assignee.username: t.status for t in Task.select().where(Task.kind == "followup")} == \
            {"t9001": "closed", "t9002": "done"}
        with pytest.raises(NotAllowed):
            followups.close(inst, person("t2001"), "路人")


def test_reply_is_required_and_bounded(low, app):
    with app.app_context():
        with pytest.raises(Invalid):
            followups.close(low, person("t9001"), "  ")
        with pytest.raises(Invalid):
            followups.close(low, person("t9001"), "长" * 1001)


@pytest.mark.parametrize("stars,opens", [(1, True), (2, True), (3, False), (5, False)])
def test_only_one_or_two_stars_open_a_followup(app, stars, opens):
    with app.app_context():
        rate(completed_dorm_repair(), person("s2023001"), stars)
        assert Task.select().where(Task.kind == "followup").exists() is opens


def test_a_department_without_dept_admin_falls_to_the_admins(app):
    with app.app_context():
        from app.models import Role, UserRole
        UserRole.delete().where(UserRole.role == Role.get(Role.code == "dept_admin"),
                                UserRole.user == person("t9001")).execute()
        rate(completed_dorm_repair(), person("s2023001"), 1)
        assert [t.assignee.username for t in Task.select().where(Task.kind == "followup")] == ["admin"]
