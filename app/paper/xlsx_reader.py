"""An .xlsx → blocks: its first visible sheet as one table (merged ranges as one cell),
the merged title rows on top as the title. openpyxl reads values only (no formulas run,
macros and external links ignored)."""
from __future__ import annotations

import datetime
import io

from app.paper.blocks import Cell, Paragraph, Table
from app.paper.errors import PaperError
from app.paper.safety import DAMAGED

MAX_CELLS = 20000
TALL_POINTS = 40


def read(data: bytes) -> list:
    import openpyxl         # here: ~90 ms to import, and only a paper-form import reads a workbook
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_vba=False, keep_links=False)
    except Exception:            # openpyxl raises many kinds on a broken part
        raise PaperError(DAMAGED)
    sheets = [s for s in book.worksheets if s.sheet_state == "visible"] or book.worksheets
    sheet = book.active if book.active in sheets else sheets[0]
    return _blocks(sheet)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _blocks(sheet) -> list:
    top, left = sheet.min_row, sheet.min_column
    bottom, right = sheet.max_row, sheet.max_column
    if (bottom - top + 1) * (right - left + 1) > MAX_CELLS:
        raise PaperError("表格过大（超过两万个单元格），不像一张表单")
    spans, covered = {}, set()
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = (merged.max_row - merged.min_row + 1,
                                                   merged.max_col - merged.min_col + 1)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) != (merged.min_row, merged.min_col):
                    covered.add((r, c))
    rows = []
    for r in range(top, bottom + 1):
        cells = []
        for c in range(left, right + 1):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            height = sum((sheet.row_dimensions[i].height or 15) for i in range(r, r + rowspan))
            cells.append(Cell(_text(sheet.cell(r, c).value), r - top, c - left, rowspan, colspan,
                              tall=height >= TALL_POINTS or rowspan >= 3))
        rows.append(cells)
    while rows and all(c.blank for c in rows[-1]):
        rows.pop()
    blocks, width = [], right - left + 1
    while rows and _title_row(rows[0], width):          # merged title rows and notes on top
        text = next(c.text for c in rows[0] if not c.blank)
        blocks.append(Paragraph(text, title=True))
        rows.pop(0)
    while rows and all(c.blank for c in rows[0]):
        rows.pop(0)
    tail = []
    while rows and _title_row(rows[-1], width) and _note(rows[-1]):
        tail.insert(0, Paragraph(next(c.text for c in rows[-1] if not c.blank)))
        rows.pop()
    table = Table([row for row in rows], width)
    return blocks + ([table] if rows else []) + tail


def _title_row(row, width) -> bool:
    filled = [c for c in row if not c.blank]
    return len(filled) == 1 and (filled[0].colspan >= max(2, width // 2) or len(row) == 1) \
        and "□" not in filled[0].text and "意见" not in filled[0].text


def _note(row) -> bool:
    text = next(c.text for c in row if not c.blank)
    return text.startswith(("注", "说明", "备注：", "填表说明")) or len(text) > 30
