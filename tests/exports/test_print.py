"""The print model and the print page of an instance."""
import re

from renderers.print import PrintModel, fingerprint


def model_for(app, inst, username):
    from app.engine import core
    from app.models import Instance, User
    from app.exports.print_model import print_model
    with app.app_context():
        inst = Instance.get(Instance.serial == inst.serial)
        return print_model(inst, core.service_def(inst), User.get(User.username == username),
                           base_url="https://hall.example.edu.cn/")


def test_model_has_the_paper_form_content(app, contract):
    m = model_for(app, contract, "t2001")
    assert isinstance(m, PrintModel)
    assert m.title == "齐鲁工业大学技术合同审批表" and m.serial == contract.serial
    fields = {i.label: i.value for i in m.items if i.kind == "field"}
    assert fields["项目名称"] == "高强度纸基材料制备技术开发"
    assert fields["合同金额"] == "85.50万元" and fields["单位"] == "宣传部"
    assert fields["合同附件"] == "技术开发合同.pdf"
    section = next(i for i in m.items if i.kind == "section")
    assert section.label == "项目负责人承诺" and "保护学校的知识产权" in section.value
    assert [(a.step, a.action, a.user) for a in m.approvals] == [
        ("填写申请表", "提交", "李明"), ("所在单位负责人审核", "通过", "张华")]
    assert m.approvals[1].opinion == "同意，请科研处审批"
    assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", m.approvals[1].at)
    assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", m.printed_at)
    assert m.verify_url == f"https://hall.example.edu.cn/verify/{contract.serial}/{m.fingerprint}"
    assert m.fingerprint == fingerprint(m) and len(m.fingerprint) == 64


def test_fingerprint_ignores_print_date_but_not_content(app, contract):
    from dataclasses import replace
    m = model_for(app, contract, "t2001")
    assert fingerprint(replace(m, printed_at="2000-01-01 00:00", verify_url="x")) == m.fingerprint
    assert fingerprint(replace(m, status="已完成")) != m.fingerprint


def test_rows_hidden_fields_and_visible_when(app, start_trip):
    trip = start_trip()
    applicant, leader = model_for(app, trip, "t2001"), model_for(app, trip, "t2002")
    labels = [i.label for i in applicant.items]
    assert "内部备注" in labels and "会议地点" not in labels        # kind is 出差: place not shown
    assert "内部备注" not in [i.label for i in leader.items]          # hidden at the leader's step
    assert leader.hidden == ("secret",) and leader.fingerprint != applicant.fingerprint
    rows = next(i for i in applicant.items if i.kind == "rows")
    assert rows.columns == ("日期", "城市")
    assert rows.rows == (("2026-05-01", "济南"), ("2026-05-03", "青岛"))
    meeting = start_trip(kind="会议", place="山东大厦")
    assert "会议地点" in [i.label for i in model_for(app, meeting, "t2001").items]


def test_print_page_looks_like_the_paper_form(contract, login_as):
    response = login_as("t2001").get(f"/instances/{contract.serial}/print")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and '"Noto Sans CJK SC"' in html
    assert "@media print" in html and "@page { size: A4" in html
    assert '<h1 class="paper-title">齐鲁工业大学技术合同审批表</h1>' in html
    assert 'table class="paper fields"' in html and "border: 1px solid #000" in html
    assert f'<b class="serial-no">{contract.serial}</b>' in html
    assert "<svg" in html and "打印日期" in html and "同意，请科研处审批" in html
    assert "<button type=\"button\" data-print>打印</button>" in html   # the screen-only toolbar
    assert "js/print.js" in html and "onclick" not in html


def test_print_page_shows_a_subtable_for_rows(start_trip, login_as):
    trip = start_trip()
    html = login_as("t2001").get(f"/instances/{trip.serial}/print").get_data(as_text=True)
    assert 'table class="paper subtable"' in html
    assert "<th>日期</th><th>城市</th>" in html and "青岛" in html
    assert "请如实填写行程。" in html


def test_field_values_are_escaped(start_contract, login_as):
    inst = start_contract(project='<script>alert(1)</script><img src=x onerror=alert(2)>')
    html = login_as("t2001").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_print_is_recorded_for_verification(app, contract, login_as):
    from app.models.exports import PrintRecord
    login_as("t2002").get(f"/instances/{contract.serial}/print")
    with app.app_context():
        record = PrintRecord.get()
        assert record.user.username == "t2002" and record.format == "print"
        assert record.instance.serial == contract.serial and len(record.fingerprint) == 64


def test_printed_qr_code_encodes_the_verification_url(contract, login_as):
    """The QR drawn on the page is the code of the page's own verification URL, module for module."""
    import re

    import segno
    html = login_as("t2001").get(f"/instances/{contract.serial}/print").get_data(as_text=True)
    url = re.search(r'href="([^"]*/verify/[^"]+)"', html) or re.search(r"(https?://\S+/verify/[0-9a-f/]+)", html)
    assert url, "the verification URL is printed"
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', html).group(1))
    drawn = {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", html)}
    expected = segno.make(url.group(1), error="m").matrix_iter(scale=1, border=2)
    dark = {(x, y) for y, row in enumerate(expected) for x, on in enumerate(row) if on}
    assert size > 20 and drawn == dark
