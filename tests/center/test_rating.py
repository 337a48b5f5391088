"""评价: the applicant rates a completed instance once; the guide and the department see it."""
import pytest

from app.engine.exceptions import Conflict
from app.hall.ratings import rate
from app.models.hall import Rating
from tests.hall.helpers import completed_weekly, person, rows_of, weekly


def rate_via(client, serial, stars="5", remark=""):
    return client.post(f"/instances/{serial}/rate", data={"stars": stars, "remark": remark})


def test_applicant_rates_once_after_completion(app, login_as):
    with app.app_context():
        inst = completed_weekly()
    applicant = login_as("t2001")
    page = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "服务评价" in page and "评分" in page and "评价备注" in page and "确认" in page
    r = rate_via(applicant, inst.serial, "4", "办理很快")
    assert r.status_code == 302
    rating = Rating.get(Rating.instance == inst.id)
    assert (rating.stars, rating.remark, rating.user_id) == (4, "办理很快", person("t2001").id)
    page = applicant.get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "您的评价" in page and "办理很快" in page and 'action="/instances/%d/rate"' % inst.serial not in page
    again = rate_via(applicant, inst.serial, "1", "改主意了")
    assert again.status_code == 409 and "只能评价一次" in again.get_data(as_text=True)
    assert Rating.select().count() == 1 and Rating.get().stars == 4
    guide = applicant.get("/services/weekly-report").get_data(as_text=True)
    assert "4.0 · 1人评价" in guide


def test_the_unique_constraint_decides_under_a_race(app):
    with app.app_context():
        inst = completed_weekly()
        rate(inst, person("t2001"), 5)
        with pytest.raises(Conflict):
            rate(inst, person("t2001"), 3)
    assert Rating.select().count() == 1


@pytest.mark.parametrize("stars", ["0", "6", "x", "", "4.5", "-1"])
def test_bad_stars_are_refused(app, login_as, stars):
    with app.app_context():
        inst = completed_weekly()
    r = rate_via(login_as("t2001"), inst.serial, stars)
    assert r.status_code == 422 and "请选择1到5星的评分" in r.get_data(as_text=True)
    assert Rating.select().count() == 0


def test_overlong_remark_is_refused(app, login_as):
    with app.app_context():
        inst = completed_weekly()
    r = rate_via(login_as("t2001"), inst.serial, "5", "长" * 501)
    assert r.status_code == 422 and "最多500个字" in r.get_data(as_text=True)
    assert Rating.select().count() == 0


def test_only_the_applicant_of_a_completed_instance_may_rate(app, login_as):
    with app.app_context():
        running = weekly()
        done = completed_weekly()
    applicant = login_as("t2001")
    r = rate_via(applicant, running.serial)
    assert r.status_code == 403 and "办结后才能评价" in r.get_data(as_text=True)
    assert "评价备注" not in applicant.get(f"/instances/{running.serial}").get_data(as_text=True)
    leader = login_as("t2002")                                  # a participant, not the applicant
    assert rate_via(leader, done.serial).status_code == 403
    assert "评价备注" not in leader.get(f"/instances/{done.serial}").get_data(as_text=True)
    assert rate_via(login_as("t7001"), done.serial).status_code == 404   # a stranger
    assert rate_via(applicant, 99999999999999999999).status_code == 404
    assert Rating.select().count() == 0


def test_department_sees_its_ratings(app, login_as):
    with app.app_context():
        rate(completed_weekly(), person("t2001"), 2, "<b>太慢</b>")
    dept_admin = login_as("t2002")                             # dept_admin of 宣传部
    r = dept_admin.get("/ratings")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "服务评价" in html
    [row] = rows_of(html, "ratings")
    assert "工作周报" in row and "李明" in row and "&lt;b&gt;太慢&lt;/b&gt;" in row
    assert "2.0 · 1人评价" in html
    admin = login_as("admin").get("/ratings?department=宣传部").get_data(as_text=True)
    assert "太慢" in admin
    other = login_as("t1001")                                  # dept_admin of 网络信息中心
    assert "太慢" not in other.get("/ratings").get_data(as_text=True)
    assert other.get("/ratings?department=宣传部").status_code == 403
    assert login_as("t2001").get("/ratings").status_code == 403
    assert app.test_client().get("/ratings").status_code == 302   # to the login page


def test_ratings_page_query_count_is_flat(app, login_as):
    from tests.querycount import queries_of
    with app.app_context():
        for _ in range(2):
            rate(completed_weekly(), person("t2001"), 5)
    admin = login_as("t2002")
    few = queries_of(lambda: admin.get("/ratings")).count
    with app.app_context():
        for _ in range(12):
            rate(completed_weekly(), person("t2001"), 3)
    assert queries_of(lambda: admin.get("/ratings")).count == few


def test_owners_find_the_ratings_page(login_as):
    owner, applicant = login_as("t2002"), login_as("t2001")
    assert "查看评价明细" in owner.get("/services/weekly-report").get_data(as_text=True)
    assert 'href="/ratings"' in owner.get("/me/items").get_data(as_text=True)
    assert "查看评价明细" not in applicant.get("/services/weekly-report").get_data(as_text=True)
    assert 'href="/ratings"' not in applicant.get("/me/items").get_data(as_text=True)
    assert "查看评价明细" not in login_as("t1001").get("/services/weekly-report").get_data(as_text=True)
