"""个人中心: the boxes, their columns, paging (每页 10 条), search, drafts, and flat query counts."""
import re

import pytest

from app.engine import core
from app.hall.catalog import set_favorite
from app.models import Service
from tests.hall.helpers import completed_weekly, extra_services, person, rows_of, weekly
from tests.querycount import assert_same_query_count, queries_of


def page(client, url):
    r = client.get(url)
    assert r.status_code == 200, url
    return r.get_data(as_text=True)


def test_todo_box_shows_the_guide_columns(app, login_as):
    with app.app_context():
        inst = weekly()
    html = page(login_as("t2002"), "/me/items?box=todo")
    for label in ("待办事项", "进行中事项", "已完成事项", "抄送事项", "我的申请", "我的收藏",
                  "事项", "时间", "当前状态", "流水号", "每页 10 条, 共1条", "上一页", "下一页"):
        assert label in html, label
    assert '待办事项 <b class="badge">1</b>' in html                   # the tab's badge
    [row] = rows_of(html, "items")
    assert "工作周报_李明_宣传部" in row and str(inst.serial) in row and "所在单位领导审批" in row


def test_paging_ten_per_page(app, login_as):
    with app.app_context():
        serials = [weekly(text=f"第{i}周").serial for i in range(23)]
    leader = login_as("t2002")
    first = page(leader, "/me/items?box=todo")
    assert "共23条" in first and len(rows_of(first, "items")) == 10 and "1 / 3" in first
    assert str(serials[-1]) in first                                 # newest first
    assert re.search(r'href="/me/items\?[^"]*page=2[^"]*" rel="next">下一页', first)
    third = page(leader, "/me/items?box=todo&page=3")
    assert len(rows_of(third, "items")) == 3 and str(serials[0]) in third
    assert "3 / 3" in page(leader, "/me/items?box=todo&page=400")
    assert "1 / 3" in page(leader, "/me/items?box=todo&page=-1")


def test_search_by_serial_and_keyword(app, login_as):
    with app.app_context():
        a = weekly(text="甲")
        b = weekly("t2002", text="乙")
    applicant = login_as("t2001")
    html = page(applicant, f"/me/items?box=in_progress&serial={a.serial}")
    assert len(rows_of(html, "items")) == 1 and str(a.serial) in html
    html = page(applicant, f"/me/items?box=in_progress&serial={b.serial}")      # not theirs
    assert "暂无事项" in html
    assert "暂无事项" in page(applicant, "/me/items?box=in_progress&serial=abc")
    assert "暂无事项" in page(applicant, "/me/items?box=in_progress&serial=" + "9" * 30)
    assert str(a.serial) in page(applicant, "/me/items?box=in_progress&q=李明")
    assert "暂无事项" in page(applicant, "/me/items?box=in_progress&q=不存在的")


def test_boxes_follow_the_instance(app, login_as):
    with app.app_context():
        running = weekly(text="进行")
        done = completed_weekly(text="完成")
        draft = weekly(text="草稿", submit=False)
    applicant, leader = login_as("t2001"), login_as("t2002")
    in_progress = page(applicant, "/me/items?box=in_progress")
    assert str(running.serial) in in_progress and str(done.serial) not in in_progress
    completed = page(applicant, "/me/items?box=done")
    assert str(done.serial) in completed and "已完成" in completed
    drafts = page(applicant, "/me/items?box=drafts")
    assert str(draft.serial) in drafts and "继续填写" in drafts
    assert str(done.serial) in page(leader, "/me/items?box=done")       # the approver too
    assert str(draft.serial) not in page(leader, "/me/items?box=drafts")
    assert page(applicant, "/me/items?box=nonsense").count("aria-current=\"page\"") == 1


def test_draft_reopens_to_continue_filling(app, login_as):
    with app.app_context():
        draft = weekly(text="写到一半", submit=False)
    applicant = login_as("t2001")
    link = f'href="/instances/{draft.serial}"'
    assert link in page(applicant, "/me/items?box=drafts")
    form = page(applicant, f"/instances/{draft.serial}")
    assert "写到一半" in form and "存草稿" in form and 'name="op" value="submit"' in form
    r = applicant.post(f"/instances/{draft.serial}/edit", data={"items-0-text": "写完了", "op": "submit"})
    assert r.status_code == 302
    assert "暂无事项" in page(applicant, "/me/items?box=drafts")
    assert login_as("t7001").get(f"/instances/{draft.serial}").status_code == 404


def test_favorites_box(app, login_as):
    with app.app_context():
        set_favorite(person("t2001"), Service.get(Service.slug == "weekly-report"), True)
    html = page(login_as("t2001"), "/me/items?box=favorites")
    [row] = rows_of(html, "favorites")
    assert "工作周报" in row and "取消收藏" in row and "我要办理" in row and "暂无评价" in row
    assert "工作周报" in page(login_as("t2001"), "/me/items?box=favorites&q=gzzb")
    assert "还没有收藏" in page(login_as("t2001"), "/me/items?box=favorites&q=zzzz")
    assert "还没有收藏" in page(login_as("t2002"), "/me/items?box=favorites")


def _fill(app, box, count):
    """``count`` instances in ``box`` for t2002 (leader) or t2001 (applicant)."""
    with app.app_context():
        for i in range(count):
            if box == "todo":
                weekly(text=f"第{i}")
            elif box == "done":
                completed_weekly(text=f"第{i}")
            elif box == "drafts":
                weekly(text=f"第{i}", submit=False)


@pytest.mark.parametrize("box, who", [("todo", "t2002"), ("done", "t2001"), ("drafts", "t2001"),
                                      ("in_progress", "t2001")])
def test_list_query_count_is_the_same_for_10_and_20_rows(app, login_as, box, who):
    client = login_as(who)
    fill = "todo" if box == "in_progress" else box
    _fill(app, fill, 10)
    url = f"/me/items?box={box}"
    ten = queries_of(lambda: client.get(url))
    assert len(rows_of(page(client, url), "items")) == 10
    _fill(app, fill, 10)
    twenty = queries_of(lambda: client.get(url))
    second = queries_of(lambda: client.get(url + "&page=2"))
    assert ten.count == twenty.count == second.count, "\n".join(twenty.queries)
    assert "共20条" in page(client, url)


def test_favorites_query_count_is_flat(app, login_as):
    client = login_as("t2001")
    with app.app_context():
        extra_services(20)
        services = list(Service.select().order_by(Service.id))
        for s in services[:2]:
            set_favorite(person("t2001"), s, True)
    small = lambda: client.get("/me/items?box=favorites")               # noqa: E731
    before = queries_of(small).count
    with app.app_context():
        for s in services[2:]:
            set_favorite(person("t2001"), s, True)
    assert_same_query_count(small, small)
    assert queries_of(small).count == before


def test_progress_view_has_milestones_and_task_table(app, login_as):
    with app.app_context():
        inst = weekly()
    html = page(login_as("t2001"), f"/instances/{inst.serial}")
    assert re.search(r'ms-done.*填写周报.*ms-current.*所在单位领导审批.*当前步骤.*ms-future.*完成', html, re.S)
    assert "您正在此步" not in html                     # the applicant is not the one at that step
    leader = page(login_as("t2002"), f"/instances/{inst.serial}")
    assert re.search(r'ms-current.*所在单位领导审批.*您正在此步', leader, re.S)
    for label in ("任务名", "状态", "办理时间", "办理用户", "办理中...", "张华", "李明", "提交"):
        assert label in html, label
    assert f"流水号: <b class=\"serial-no\">{inst.serial}</b>" in html


def test_progress_view_after_completion(app, login_as):
    with app.app_context():
        inst = completed_weekly()
        core.get_instance(inst.serial)
    html = page(login_as("t2001"), f"/instances/{inst.serial}")
    assert "您正在此步" not in html and html.count("ms-done") >= 3 and "通过" in html
