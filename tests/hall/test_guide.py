"""流程指南: metadata, milestones, 我要办理, ☆ 我的收藏, ratings, and the plain no-permission notice."""
import re

from app.hall.ratings import rate
from app.models.hall import Favorite
from tests.hall.helpers import completed_weekly, person

GUIDE = "/services/weekly-report"


def test_guide_shows_metadata_and_step_chain(client):
    html = client.get(GUIDE).get_data(as_text=True)
    for label in ("事项名称", "事项编号", "服务类别", "收费标准", "主办部门", "协办部门", "服务对象",
                  "预计时限", "办理时间", "办理地点", "办理方式", "咨询电话", "办理条件",
                  "办公室、网络信息中心", "教职工", "2周", "校(院)各部门、单位均可填报工作进展。"):
        assert label in html, label
    chain = re.findall(r'<span class="ms-name">([^<]+)</span>', html)
    assert chain == ["填写周报", "所在单位领导审批", "完成"]
    assert "我要办理" in html and "暂无评价" in html


def test_unknown_service_is_404(client, login_as):
    assert client.get("/services/no-such-thing").status_code == 404
    anonymous = client.post("/services/no-such-thing/favorite", data={"on": "1"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]   # login first
    signed_in = login_as("t2001")                    # only a signed-in user reaches the lookup
    assert signed_in.post("/services/no-such-thing/favorite", data={"on": "1"}).status_code == 404


def test_user_outside_audience_is_told_on_the_guide_and_on_start(login_as):
    student = login_as("s2023001")
    html = student.get(GUIDE).get_data(as_text=True)
    assert "您没有权限发起该流程" in html and "服务对象：教职工" in html
    assert f'href="{GUIDE}/start"' not in html                    # 我要办理 is not a link for them
    r = student.get(GUIDE + "/start")
    assert r.status_code == 403 and "没有权限发起流程" in r.get_data(as_text=True)
    staff = login_as("t2001").get(GUIDE).get_data(as_text=True)
    assert "没有权限" not in staff and f'href="{GUIDE}/start"' in staff


def test_anonymous_visitor_sees_the_guide_and_star_asks_to_log_in(client):
    html = client.get(GUIDE).get_data(as_text=True)
    assert "没有权限" not in html and f'href="{GUIDE}/start"' in html
    assert "/login?next=/services/weekly-report" in html
    r = client.post(GUIDE + "/favorite", data={"on": "1"})
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert Favorite.select().count() == 0


def test_star_adds_and_removes_a_favorite_once(login_as, user):
    client = login_as("t2001")
    for _ in range(2):                                            # repeating it changes nothing
        r = client.post(GUIDE + "/favorite", data={"on": "1"})
        assert r.status_code == 302 and r.headers["Location"] == GUIDE
    assert Favorite.select().where(Favorite.user == user("t2001")).count() == 1
    html = client.get(GUIDE).get_data(as_text=True)
    assert "★ 已收藏" in html and 'name="on" value="0"' in html
    assert "工作周报" in client.get("/me/items?box=favorites").get_data(as_text=True)
    client.post(GUIDE + "/favorite", data={"on": "0"})
    assert Favorite.select().count() == 0
    assert "☆ 收藏" in client.get(GUIDE).get_data(as_text=True)


def test_favorite_redirect_stays_on_site(login_as):
    r = login_as("t2001").post(GUIDE + "/favorite", data={"on": "1", "next": "//evil.example/x"})
    assert r.headers["Location"] == "/"


def test_favorite_needs_csrf(app_config, seeded_db_file):
    from app import create_app
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "t2001", "password": "demo1234", "csrf_token": token})
    r = client.post(GUIDE + "/favorite", data={"on": "1"})
    assert r.status_code == 400 and Favorite.select().count() == 0
    guide = client.get(GUIDE).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', guide).group(1)
    assert client.post(GUIDE + "/favorite", data={"on": "1", "csrf_token": token}).status_code == 302
    assert Favorite.select().count() == 1


def test_guide_shows_average_and_count(app, client):
    with app.app_context():
        rate(completed_weekly("t2001"), person("t2001"), 5, "很好")
        rate(completed_weekly("t2001"), person("t2001"), 4)
    html = client.get(GUIDE).get_data(as_text=True)
    assert "4.5 · 2人评价" in html and "暂无评价" not in html
    assert html.count('<span class="on">★</span>') == 5            # 4.5 rounds up to five stars
