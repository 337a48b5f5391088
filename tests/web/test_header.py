"""The top bar is kept once rendered (app/templates/_header.html through app/web/fragments.py):
each user sees their own name, counts and entries, at once after a change, in their language;
the logout form still carries the CSRF token (an input bound by form="logout-form")."""
import re

from playwright.sync_api import expect

from app.people.directory import grant
from tests.e2e.walk import log_in
from tests.hall.helpers import person, weekly


def header(client, url="/me/items?box=todo"):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'<header class="topbar">.*?</header>', html, re.S).group(0), html


def test_a_new_role_shows_its_entries_on_the_next_page(app, login_as):
    applicant = login_as("t2001")
    before, _ = header(applicant)
    assert "统计分析" not in before and "服务设计器" not in before
    with app.app_context():
        grant(person("t2001"), "dept_admin")
    after, _ = header(applicant)
    assert "统计分析" in after and "服务设计器" in after and "批量导出" in after


def test_each_user_sees_their_own_name_and_counts(app, login_as):
    with app.app_context():
        weekly()
    leader, applicant = login_as("t2002"), login_as("t2001")
    for _ in range(2):                                  # the second time from the store
        mine, _ = header(leader)
        theirs, _ = header(applicant)
        assert "张华" in mine and "李明" not in mine
        assert "李明" in theirs and "张华" not in theirs
        assert 'title="待办事项">1</b>' in mine and 'title="待办事项"' not in theirs
    with app.app_context():
        weekly()
    assert 'title="待办事项">2</b>' in header(leader)[0]


def test_signed_out_and_in_other_languages(app, client, login_as):
    anonymous, _ = header(client, "/")
    assert "登录" in anonymous and "退出" not in anonymous
    assert 'href="/login?next=/?"' in anonymous
    leader = login_as("t2002")
    leader.set_cookie("lang", "en")
    english, _ = header(leader)
    assert "Home" in english and "首页" not in english and "张华" in english
    assert 'aria-current="true" class="current">English' in english


def test_the_logout_form_carries_this_sessions_token(app, login_as):
    bar, html = header(login_as("t2002"))
    assert '<form method="post" action="/logout" class="inline" id="logout-form">' in bar
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
    assert f'<input type="hidden" name="csrf_token" value="{token}" form="logout-form">' in html


def test_logout_in_a_browser_with_csrf_checked(live_server, page_factory):
    page = page_factory()
    log_in(page, live_server.url, "t2001")
    expect(page.locator("header")).to_contain_text("李明")
    with page.expect_navigation():
        page.click("header button:has-text('退出')")
    expect(page.locator("header")).to_contain_text("登录")
    expect(page.locator("header")).not_to_contain_text("李明")
    page.goto(live_server.url + "/me/items")
    expect(page).to_have_url(re.compile("/login"))
