"""首页: 推荐服务, 服务分类, 热门服务, audience tabs, the search box, the personal-center badges."""
from datetime import timedelta

from app.models import Instance, Service, utcnow
from app.hall.catalog import set_favorite
from tests.hall.helpers import extra_services, person, section, weekly
from tests.querycount import queries_of


def test_anonymous_home_shows_every_block_and_every_service(client):
    html = client.get("/").get_data(as_text=True)
    for label in ("推荐服务", "服务分类", "热门服务", "学生办事", "教工办事", "校外办事",
                  'placeholder="请输入要搜索的流程"'):
        assert label in html, label
    assert "待办理的事项" not in html                      # no badges for visitors
    categories = section(html, "服务分类")
    for service in Service.select():
        assert service.name in categories, service.name    # anonymous visitors see everything
    assert "工作周报" in section(html, "推荐服务")


def test_search_box_goes_to_the_service_center(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/services"' in html and 'name="q"' in html
    found = client.get("/services?q=周报").get_data(as_text=True)
    assert "工作周报" in found and "共1项服务" in found


def test_audience_tabs_filter_the_categories(client):
    student = section(client.get("/?audience=student").get_data(as_text=True), "服务分类")
    assert "宿舍设施故障报修" in student and "工作周报" not in student
    staff = section(client.get("/?audience=staff").get_data(as_text=True), "服务分类")
    assert "工作周报" in staff
    unknown = client.get("/?audience=<script>")
    assert unknown.status_code == 200 and "<script>" not in unknown.get_data(as_text=True)


def test_hot_services_are_those_most_started_in_the_last_30_days(app, client):
    with app.app_context():
        for _ in range(3):
            weekly()
        old = weekly()
        Instance.update(created=utcnow() - timedelta(days=31)).where(Instance.id == old.id).execute()
    hot = section(client.get("/").get_data(as_text=True), "热门服务")
    assert "工作周报" in hot and "近30天发起3次" in hot
    assert "近30天暂无办理记录" not in hot


def test_hot_services_empty_when_nothing_recent(client):
    assert "近30天暂无办理记录" in section(client.get("/").get_data(as_text=True), "热门服务")


def test_signed_in_home_shows_badges(app, login_as):
    with app.app_context():
        weekly()
    html = login_as("t2002").get("/").get_data(as_text=True)
    assert "您有1项待办理的事项" in html
    assert "您可以申请的所有事项" in html and "我的收藏" in html
    staff_can_start = Service.select().where(Service.audience.contains("staff")).count()
    assert f'<b class="count">{staff_can_start}</b>' in html
    assert "您有0项待办理的事项" in login_as("t2001").get("/").get_data(as_text=True)


def test_home_query_count_does_not_grow_with_hot_services_or_favorites(app, login_as):
    leader = login_as("t2002")
    with app.app_context():
        extra_services(8)
        weekly()
        small = queries_of(lambda: leader.get("/")).count
        for i in range(8):
            weekly(slug=f"extra-{i}")
            set_favorite(person("t2002"), Service.get(Service.slug == f"extra-{i}"), True)
    html = leader.get("/").get_data(as_text=True)
    assert "测试服务6" in section(html, "热门服务") and "测试服务7" in section(html, "我的收藏")
    assert queries_of(lambda: leader.get("/")).count == small
