"""服务中心: filters by 服务对象, 服务类别, 服务部门, 首字母 and keywords, with counts and pages."""
import re

import pytest

from tests.hall.helpers import extra_services
from tests.querycount import assert_same_query_count


def names(html):
    return re.findall(r'<span class="tile-name">(?:<span[^>]*>★</span> )?([^<]+)</span>', html)


def get(client, url):
    r = client.get(url)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_initial_letter_uses_pinyin(client):
    html = get(client, "/services?initial=G")
    assert names(html) == ["工作周报"]
    assert 'class="chip active" href="/services?initial=G"' in html
    assert names(get(client, "/services?initial=g")) == ["工作周报"]     # lower case works too
    assert 'aria-disabled="true">A</span>' in html                       # letters with no service


@pytest.mark.parametrize("q", ["gzzb", "GZZB", "周报", "工作进展", "宣传部", "工作"])
def test_keyword_finds_by_name_keywords_department_and_initials(client, q):
    assert "工作周报" in names(get(client, f"/services?q={q}"))


def test_wildcards_in_keywords_are_literal(client):
    html = get(client, "/services?q=%25")
    assert names(html) == [] and "没有找到服务" in html and "共0项服务" in html


def test_filters_combine_and_show_counts(client):
    html = get(client, "/services?audience=staff&department=宣传部")
    assert names(html) == ["工作周报"]
    # counts per department are under the other filters (audience=staff), not this one
    assert re.search(r"宣传部 <span class=\"n\">1</span>", html)
    assert re.search(r"组织部 <span class=\"n\">\d+</span>", html)
    html = get(client, "/services?audience=student&initial=G")
    assert names(html) == [] and "没有找到服务" in html
    assert "清除筛选" in html


def test_audience_counts_match_the_listing(client):
    html = get(client, "/services")
    count = int(re.search(r'audience=student">学生 <span class="n">(\d+)</span>', html).group(1))
    assert len(names(get(client, "/services?audience=student"))) == count > 0


def test_bad_filter_values_are_ignored_not_errors(app, client):
    with app.app_context():
        extra_services(20)                  # three pages, so a bad page number has a wrong page to land on
    unfiltered = get(client, "/services")
    total = re.search(r"共(\d+)项服务", unfiltered).group(1)
    assert total == "28" and len(names(unfiltered)) == 12
    for url in ("/services?audience=robots", "/services?initial=%E5%B7%A5", "/services?page=-3",
                "/services?page=abc", "/services?page=1&audience=robots&initial=%E5%B7%A5"):
        html = get(client, url)
        assert names(html) == names(unfiltered) and f"共{total}项服务" in html, url
    # a category nobody offers is a filter like any other: an empty listing, said so, not an error
    html = get(client, "/services?category=" + "x" * 5000)
    assert names(html) == [] and "没有找到服务" in html and "共0项服务" in html


def test_pagination(app, client):
    with app.app_context():
        extra_services(20)
    first = get(client, "/services")
    assert "共28项服务" in first and "每页 12 条, 共28条" in first and "1 / 3" in first
    assert len(names(first)) == 12
    last = get(client, "/services?page=3")
    assert len(names(last)) == 4 and 'rel="prev"' in last
    assert "3 / 3" in get(client, "/services?page=99")                  # clamped to the last page
    page2 = get(client, "/services?initial=C&page=2")
    assert "2 / 2" in page2 and "initial=C" in page2                       # links keep the filters


def test_catalog_query_count_is_flat(app, login_as):
    client = login_as("t2001")
    with app.app_context():
        extra_services(2)
    few = lambda: client.get("/services")                                  # noqa: E731
    count = assert_same_query_count(few, few)
    with app.app_context():
        extra_services(20, start_number=2000)
    assert_same_query_count(few, lambda: client.get("/services?page=2"))
    with app.app_context():
        from tests.querycount import queries_of
        assert queries_of(lambda: client.get("/services")).count == count


def test_every_page_names_its_icon_and_the_old_path_leads_there(client):
    """A browser asked /favicon.ico on every first visit and logged a 404 in the console."""
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    answer = client.get("/favicon.ico")
    assert answer.status_code == 301 and answer.headers["Location"].endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
