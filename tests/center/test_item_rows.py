"""The box list's rows are kept once rendered (app/web/fragments.py): a kept row must be exactly
the row a fresh render gives, for this user, box, language and data — never another's."""
import re
from datetime import timedelta

from app.web import fragments
from app.engine import core, queries
from app.models import Instance, utcnow
from tests.hall.helpers import person, rows_of, weekly


def tbody(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    return re.search(r'<table class="[^"]*items[^"]*">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)


def test_kept_rows_are_the_rows_a_fresh_render_gives(app, login_as):
    with app.app_context():
        weekly(text="甲")
        core.act(weekly(text="乙"), person("t2002"), "return", opinion="补充")
        weekly(text="草稿", submit=False)
    leader, applicant = login_as("t2002"), login_as("t2001")
    for client, box in ((leader, "todo"), (applicant, "in_progress"), (applicant, "drafts")):
        for lang in ("zh_CN", "en"):
            client.set_cookie("lang", lang)
            fragments._KEPT.clear()
            cold = tbody(client, f"/me/items?box={box}")
            assert tbody(client, f"/me/items?box={box}") == cold, (box, lang)
            assert fragments._KEPT[app.jinja_env], "the rows were kept"


def test_a_changed_title_or_status_shows_at_once(app, login_as):
    with app.app_context():
        inst = weekly()
    leader = login_as("t2002")
    assert "工作周报_李明_宣传部" in tbody(leader, "/me/items?box=todo")
    Instance.update(title="新标题").where(Instance.id == inst.id).execute()
    html = tbody(leader, "/me/items?box=todo")
    assert "新标题" in html and "工作周报" not in html
    Instance.update(status="returned").where(Instance.id == inst.id).execute()
    assert "已退回" in tbody(leader, "/me/items?box=todo")


def test_the_same_instance_for_another_user_and_box(app, login_as):
    with app.app_context():
        inst = weekly()
    leader, applicant = login_as("t2002"), login_as("t2001")
    [todo] = rows_of(leader.get("/me/items?box=todo").get_data(as_text=True), "items")
    [mine] = rows_of(applicant.get("/me/items?box=in_progress").get_data(as_text=True), "items")
    assert f'name="serial" value="{inst.serial}"' in todo              # 批量通过 for the approver
    assert 'type="checkbox"' not in mine and "所在单位领导审批" in mine
    assert "暂无事项" in tbody(applicant, "/me/items?box=todo")


def test_the_language_switch_changes_kept_rows(app, login_as):
    with app.app_context():
        weekly()
    leader = login_as("t2002")
    assert 'data-label="事项"' in tbody(leader, "/me/items?box=todo")
    leader.set_cookie("lang", "en")
    english = tbody(leader, "/me/items?box=todo")
    assert 'data-label="Item"' in english and "事项" not in english


def test_overdue_follows_the_due_date(app, login_as):
    with app.app_context():
        inst = weekly()
    leader = login_as("t2002")
    Instance.update(due=utcnow() + timedelta(days=1)).where(Instance.id == inst.id).execute()
    assert "overdue" not in tbody(leader, "/me/items?box=todo")
    Instance.update(due=utcnow() - timedelta(minutes=1)).where(Instance.id == inst.id).execute()
    assert "overdue" in tbody(leader, "/me/items?box=todo")


def test_the_store_is_bounded_and_unhashable_values_render_unkept(app):
    with app.test_request_context("/"):
        weekly()
        [inst], _, _ = queries.box_page(person("t2002"), "todo")
        fragments._KEPT.clear()
        row = fragments.fragments("center/_item_row.html", "item_row")
        for n in range(fragments.LIMIT + 10):
            row(inst, "todo", False, f"第{n}步", False)
        kept = fragments._KEPT[app.jinja_env]
        assert len(kept) == fragments.LIMIT
        html = row(inst, "todo", False, {"not", "a key"}, False)
        assert "工作周报_李明_宣传部" in html and len(kept) == fragments.LIMIT


def test_the_tabs_follow_counts_and_roles(app, login_as):
    from app.people.directory import grant
    with app.app_context():
        weekly()
    applicant, leader = login_as("t2001"), login_as("t2002")
    assert '待办事项 <b class="badge">1</b>' in leader.get("/me/items").get_data(as_text=True)
    with app.app_context():
        weekly()
    assert '待办事项 <b class="badge">2</b>' in leader.get("/me/items").get_data(as_text=True)
    assert "服务评价" not in applicant.get("/me/items?box=done").get_data(as_text=True)
    with app.app_context():
        grant(person("t2001"), "dept_admin")
    assert "服务评价" in applicant.get("/me/items?box=done").get_data(as_text=True)
