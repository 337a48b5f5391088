"""A .docx → blocks, in document order. python-docx reads the XML parts only: macros are
never run and external relationships (linked images, templates) are never fetched."""
from __future__ import annotations

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from app.paper.blocks import Cell, Paragraph, Table
from app.paper.errors import PaperError
from app.paper.safety import DAMAGED

TALL_ROW = Cm(2)
TITLE_SIZE = Pt(14)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Wingdings boxes Word inserts as symbols (Insert → Symbol), not as text: □ and ☑ / ☒
SYMBOLS = {"F0A8": "□", "F06F": "□", "F071": "□", "F0A1": "○", "F0FE": "☑", "F078": "☒", "F0FD": "☒"}


def read(data: bytes) -> list:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:            # python-docx raises many kinds on a broken part
        raise PaperError(DAMAGED)
    blocks = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = DocxParagraph(element, document)
            text = paragraph_text(element).strip()
            if text:
                blocks.append(Paragraph(text, _looks_like_title(paragraph)))
        elif tag == "tbl":
            blocks.append(_table(DocxTable(element, document)))
    return blocks


def paragraph_text(element) -> str:
    """A paragraph's text as printed: runs (also inside content controls and hyperlinks),
    tabs, breaks and Wingdings box symbols; deleted text and field codes left out."""
    out = []
    for node in element.iter():
        tag = node.tag
        if tag == W + "t":
            out.append(node.text or "")
        elif tag == W + "tab":
            out.append(" ")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "sym":
            code = (node.get(W + "char") or "").upper()
            out.append(SYMBOLS.get(code, ""))
    return "".join(out)


def _looks_like_title(paragraph) -> bool:
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    if style.startswith(("Heading", "Title", "标题")):
        return True
    centred = paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    runs = [r for r in paragraph.runs if r.text.strip()]
    big = any(r.font.size and r.font.size >= TITLE_SIZE for r in runs)
    bold = runs and all(r.bold for r in runs)
    return bool(centred and (big or bold) and len(paragraph.text.strip()) <= 40)


def _table(table) -> Table:
    """Merged cells as one: python-docx repeats a merged cell's element in every grid slot
    it covers, so the first slot holding an element is its top-left."""
    seen, out = {}, Table()
    rows = table.rows
    for r, row in enumerate(rows):
        cells = []
        try:
            slots = row.cells
        except (IndexError, ValueError):
            raise PaperError(DAMAGED)
        out.columns = max(out.columns, len(slots))
        for c, cell in enumerate(slots):
            key = cell._tc             # the element itself: the dict keeps its proxy alive
            if key in seen:
                first = seen[key]
                first.rowspan = max(first.rowspan, r - first.row + 1)
                if r == first.row:
                    first.colspan = c - first.col + 1
                continue
            texts = [paragraph_text(p._p) for p in cell.paragraphs]
            text = "\n".join(texts).strip()
            tall = (row.height is not None and row.height >= TALL_ROW) or sum(1 for t in texts if not t.strip()) >= 3
            seen[key] = Cell(text, r, c, tall=tall)
            cells.append(seen[key])
        out.rows.append(cells)
    for cells in out.rows:
        for cell in cells:
            cell.tall = cell.tall or cell.rowspan >= 3
    return out
