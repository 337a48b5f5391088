"""/stats: who may read it, the figures and flags shown, charts without scripts, downloads."""
import csv
import io

import pytest

from tests.querycount import assert_same_query_count
from tests.stats import history

CUSTOM = {"period": "custom", **history.WINDOW}


def test_admin_page_shows_figures_charts_and_flags(login_as, seeded):
    response = login_as("admin").get("/stats", query_string=CUSTOM)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<dd class="kpi-started">11</dd>' in html
    assert '<dd class="kpi-overdue">1</dd>' in html
    assert "15.0小时" in html and "58.0小时" in html
    assert '<li class="slow-service">网络及多媒体故障报修（P90 76.0 小时 &gt; 时限 48.0 小时）</li>' in html
    assert html.count("<svg") >= 3 and 'class="chart-svg"' in html
    assert "<script" not in html.split("<footer")[0].replace('<script src="', "")  # no inline script
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html           # a remark, escaped
    assert "<script>alert(1)</script>" not in html
    assert "统计分析" in html and 'name="ranking"' in html


def test_slow_service_is_flagged(login_as, seeded):
    html = login_as("t1001").get("/stats", query_string=CUSTOM).get_data(as_text=True)
    assert '<tr class=slow data-service="network-repair">' in html
    assert 'data-service="feedback">' in html and '<tr class=slow data-service="feedback">' not in html
    assert 'name="ranking"' not in html                              # the setting is for admins


def test_nav_link_only_for_those_who_may_read(login_as):
    assert "/stats" in login_as("t2002").get("/").get_data(as_text=True)
    assert 'href="/stats"' not in login_as("t2001").get("/").get_data(as_text=True)


@pytest.mark.parametrize("username,query,status", [
    ("t2001", {}, 403), ("s2023001", {}, 403), ("t1001", {"department": "宣传部"}, 403),
    ("t1001", {}, 200), ("t2002", {"period": "week"}, 200), ("admin", {"period": "month"}, 200)])
def test_who_may_read(login_as, username, query, status):
    assert login_as(username).get("/stats", query_string=query).status_code == status


def test_bad_custom_dates_fall_back_with_a_message(login_as):
    response = login_as("admin").get("/stats", query_string={"period": "custom", "from": "x"})
    assert response.status_code == 200
    assert "日期格式应为 YYYY-MM-DD" in response.get_data(as_text=True)


def test_csv_download_is_guarded_against_formulas(login_as, seeded, app):
    from app.models import Service
    with app.app_context():
        Service.update(name="=HYPERLINK(\"x\")").where(Service.slug == "feedback").execute()
    response = login_as("admin").get("/stats/export.csv", query_string={**history.WINDOW, "table": "services"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["服务", "主办部门", "发起"]
    named = {r[0]: r for r in rows[1:]}
    assert "'=HYPERLINK(\"x\")" in named
    net = named["网络及多媒体故障报修"]
    assert net[2:7] == ["8", "5", "1", "2", "1"] and net[7:11] == ["30.0", "76.0", "48.0", "是"]


def test_xlsx_download_has_every_table(login_as, seeded):
    from openpyxl import load_workbook
    response = login_as("t1001").get("/stats/export.xlsx", query_string=history.WINDOW)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["按服务", "按环节", "按周趋势"]
    steps = list(book["按环节"].values)
    assert steps[0] == ("服务", "环节", "等待中位数(小时)", "等待P90(小时)", "逾期待办")
    assert ("网络及多媒体故障报修", "网络工程师处理", 29.0, 75.0, 1) in steps


def test_exports_are_scoped_too(login_as):
    assert login_as("t2001").get("/stats/export.csv").status_code == 403
    assert login_as("t1001").get("/stats/export.xlsx", query_string={"department": "宣传部"}).status_code == 403


def test_page_runs_a_fixed_number_of_queries(login_as, seeded):
    client = login_as("admin")
    client.get("/stats", query_string=CUSTOM)
    assert_same_query_count(lambda: client.get("/stats", query_string={**CUSTOM, "service": "feedback"}),
                            lambda: client.get("/stats", query_string=CUSTOM))
