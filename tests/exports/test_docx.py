"""Word export: the print's content and table structure, read back with python-docx."""
from io import BytesIO

from docx import Document


def export(client, serial):
    response = client.get(f"/instances/{serial}/export.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    return Document(BytesIO(response.data))


def cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_word_has_the_title_fields_and_approvals(contract, login_as):
    doc = export(login_as("t2001"), contract.serial)
    assert doc.paragraphs[0].text == "齐鲁工业大学技术合同审批表"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"流水号：{contract.serial}" in text and "打印日期" in text and "/verify/" in text
    fields, approvals = doc.tables
    rows = {r[0]: r[1] for r in cells(fields) if r[0] != r[1]}
    assert rows["项目名称"] == "高强度纸基材料制备技术开发" and rows["合同金额"] == "85.50万元"
    section = next(r for r in cells(fields) if r[0].startswith("项目负责人承诺"))
    assert section[0] == section[1] and "保护学校的知识产权" in section[0]   # merged across the row
    assert cells(approvals)[0] == ["步骤", "操作", "意见", "办理人", "时间"]
    assert cells(approvals)[2][:4] == ["所在单位负责人审核", "通过", "同意，请科研处审批", "张华"]
    assert len(doc.inline_shapes) == 1                                       # the QR code
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_rows_become_a_nested_table_and_hidden_fields_stay_out(start_trip, login_as):
    trip = start_trip()
    doc = export(login_as("t2002"), trip.serial)
    fields = doc.tables[0]
    labels = [r[0] for r in cells(fields)]
    assert "内部备注" not in labels and "事由" in labels
    row = next(r for r in fields.rows if r.cells[0].text == "行程")
    nested = row.cells[1].tables[0]
    assert cells(nested) == [["序号", "日期", "城市"], ["1", "2026-05-01", "济南"], ["2", "2026-05-03", "青岛"]]


def test_control_characters_and_markup_are_kept_as_text(start_contract, login_as):
    inst = start_contract(project="合同\x07<w:t>注入</w:t>")
    doc = export(login_as("t2001"), inst.serial)
    rows = {r[0]: r[1] for r in cells(doc.tables[0])}
    assert rows["项目名称"] == "合同<w:t>注入</w:t>"
