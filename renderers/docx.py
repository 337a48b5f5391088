"""Print model → Word (.docx) with python-docx: the same content and table structure as the print."""
from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renderers.print import PrintModel, qr_png

FONT = "宋体"
APPROVAL_HEADERS = ("步骤", "操作", "意见", "办理人", "时间")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value) -> str:
    """Text Word can store: control characters a user typed are dropped."""
    return _XML_INVALID.sub("", "" if value is None else str(value))


def render_docx(model: PrintModel) -> bytes:
    doc = Document()
    _page_setup(doc)
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(xml_text(model.title))
    doc.add_paragraph(xml_text(_meta_line(model)))
    _fields_table(doc, model)
    doc.add_heading("审批意见", level=2)
    _approvals_table(doc, model)
    _footer(doc, model)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin, section.bottom_margin = Mm(16), Mm(18)
    for name in ("Normal", "Title", "Heading 2"):
        style = doc.styles[name]
        style.font.name = FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)


def _meta_line(m: PrintModel) -> str:
    parts = [f"流水号：{m.serial}", f"状态：{m.status}",
             f"申请人：{m.applicant}" + (f"（{m.department}）" if m.department else "")]
    if m.submitted:
        parts.append(f"提交时间：{m.submitted}")
    return "　".join(parts)


def _grid(container, rows, cols):
    table = container.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _set(cell, text, bold=False):
    cell.text = ""
    run = cell.paragraphs[0].add_run(xml_text(text))
    run.bold = bold


def _fields_table(doc, m: PrintModel):
    table = _grid(doc, 0, 2)
    for item in m.items:
        row = table.add_row().cells
        if item.kind == "section":
            merged = row[0].merge(row[1])
            _set(merged, item.label, bold=True)
            if item.value:
                merged.add_paragraph(xml_text(item.value))
            continue
        if item.kind == "wide":
            _set(row[0].merge(row[1]), f"{item.value}　{item.label}")
            continue
        _set(row[0], item.label, bold=True)
        if item.kind == "rows":
            _subtable(row[1], item)
        else:
            _set(row[1], item.value)
    for row in table.rows:
        row.cells[0].width = Mm(35)


def _subtable(cell, item):
    sub = _grid(cell, 1, len(item.columns) + 1)
    for cell_, text in zip(sub.rows[0].cells, ("序号",) + item.columns):
        _set(cell_, text, bold=True)
    for i, values in enumerate(item.rows, start=1):
        cells = sub.add_row().cells
        for cell_, text in zip(cells, (str(i),) + tuple(values)):
            _set(cell_, text)


def _approvals_table(doc, m: PrintModel):
    table = _grid(doc, 1, len(APPROVAL_HEADERS))
    for cell, text in zip(table.rows[0].cells, APPROVAL_HEADERS):
        _set(cell, text, bold=True)
    if not m.approvals:
        merged = table.add_row().cells
        _set(merged[0].merge(merged[-1]), "（暂无审批记录）")
    for a in m.approvals:
        for cell, text in zip(table.add_row().cells, (a.step, a.action, a.opinion, a.user, a.at)):
            _set(cell, text)


def _footer(doc, m: PrintModel):
    doc.add_paragraph()
    doc.add_picture(io.BytesIO(qr_png(m.verify_url)), width=Mm(26))
    doc.add_paragraph(f"流水号：{m.serial}　打印日期：{m.printed_at}")
    doc.add_paragraph("扫描二维码或访问以下地址核验本件：")
    doc.add_paragraph(xml_text(m.verify_url))
    doc.add_paragraph(f"校验码：{m.fingerprint}")
