"""Blocks → items in document order: fields (label/blank pairs, choices, blanks ``____``),
detail tables (rows), signature blocks (approval steps) and instruction text (sections)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.paper import rules
from app.paper.blocks import Paragraph, Table

SIGN_WORDS = ("签字", "签章", "盖章", "签名", "公章", "（章）", "(章)")
DATE_LINE = re.compile(r"年\s*月\s*日")
DATE_RANGE = re.compile(r"年\s*月\s*日[^年]*(至|到|—|~|－)[^年]*年\s*月\s*日")
OPINION = re.compile(r"意见|审核|审批|签批|批示")
APPLICANT = re.compile(r"(申请人|本人|经办人|报销人|借用人|领用人|承诺人|请假人|填表人|出差人|学生|项目负责人)"
                       r"\s*[（(]?\s*(签字|签名|签章|盖章)")
_BLANK_RUN = re.compile(r"(?:_{2,}|＿{2,})")
_DATE_BLANKS = re.compile(r"(?:_{2,}|＿{2,})\s*年\s*(?:_{2,}|＿{2,})\s*月\s*(?:_{2,}|＿{2,})\s*日")
_SEPARATORS = re.compile(r"[，,。；;、！!？?\s]")
_PAREN = re.compile(r"^\s*[（(]([^）)]{1,12})[）)]")


@dataclass
class Item:
    kind: str                      # field | rows | step | section
    label: str
    keys: dict = field(default_factory=dict)
    required: bool = False
    why: str = ""
    autofill: str | None = None
    columns: list = field(default_factory=list)
    by: object = None
    text: str = ""


def signed(text: str) -> bool:
    return any(w in text for w in SIGN_WORDS) or bool(DATE_LINE.search(text))


LEADER = re.compile(r"负责人|领导|主任|处长|院长|书记")


def is_step(text: str) -> bool:
    """…意见 with a signature or a date line; or a leader's own signature (部门负责人签字)."""
    if APPLICANT.search(text):
        return False
    first = text.strip().split("\n")[0]
    return (bool(OPINION.search(text)) and signed(text)) or (
        bool(LEADER.search(first)) and any(w in text for w in SIGN_WORDS))


def applicant_signature(text: str) -> bool:
    return bool(APPLICANT.search(text)) and not OPINION.search(text.split("\n")[0])


def step_name(text: str) -> str:
    first = text.strip().split("\n")[0]
    match = OPINION.search(first) or re.search(r"[（(]?(签字|签章|盖章|签名)", first)
    base = rules.clean_label(first[:match.start()] if match else first)[0]
    base = re.sub(r"[（(][^）)]*[）)]", "", base)
    return (base + "审批") if base else "审批"


class Reader:
    def __init__(self, idcard: bool = False):
        self.items: list[Item] = []
        self.idcard = idcard

    # ------------------------------------------------------------ fields
    def add_field(self, text: str, tall: bool = False, options=(), date=False, help_text=None, multiple=False,
                  unit=None):
        label, required = rules.clean_label(text)
        label = re.sub(r"[（(]?可?多选[）)]?", "", label) if options else label
        if not label:
            return
        keys, why = rules.field_keys(text, tall=tall, options=options, idcard=self.idcard, multiple=multiple) \
            if options else rules.field_keys(label, tall=tall, idcard=self.idcard)
        if date and keys["type"] in ("text", "textarea", "datetime"):
            keys, why = {"type": "date"}, "空白为“年 月 日”→ 日期"
        if unit and keys["type"] not in ("money", "number"):
            keys, why = dict(rules.UNIT_CELLS[unit]), f"空白后写着“{unit}”→ {rules.TYPE_NAMES[rules.UNIT_CELLS[unit]['type']]}"
        item = Item("field", label, keys, required, why)
        source = rules.profile_source(label)
        if source and keys["type"] in ("text", "textarea"):
            item.autofill, item.keys["type"] = source, "text"
            item.keys.pop("pattern", None) if source != "user.phone" else None
        if help_text:
            item.keys["help"] = help_text[:200]
        self.items.append(item)

    def add_blanks(self, text: str):
        """``label：____`` and ``____（label）`` inside a paragraph or a cell → fields."""
        text = _DATE_BLANKS.sub("＿＿〔日期〕", text)
        parts = _BLANK_RUN.split(text)
        for k in range(len(parts) - 1):
            before, after = parts[k], parts[k + 1]
            date = after.startswith("〔日期〕")
            after = after[len("〔日期〕"):] if date else after
            paren = _PAREN.match(after)
            if paren and not before.rstrip(" 　").endswith(("：", ":")):
                label = paren.group(1)
            else:
                label = _SEPARATORS.split(before.rstrip(" 　"))[-1]
                label = re.sub(r"^[（(].*?[）)]", "", label)
            label = label.strip("：: ")
            if len(rules.clean_label(label)[0]) < 2 or any(w in label for w in SIGN_WORDS):
                continue
            self.add_field(label, date=date)

    # ------------------------------------------------------------ steps
    def add_step(self, text: str):
        self.items.append(Item("step", step_name(text), text=text.strip()))

    # ------------------------------------------------------------ blocks
    def paragraph(self, block: Paragraph):
        text = block.text
        if is_step(text):
            self.add_step(text)
        elif applicant_signature(text):
            return
        elif _BLANK_RUN.search(text):
            self.add_blanks(text)
        elif rules.has_choices(text) and rules.clean_label(_before_choice(text))[0]:
            self.add_field(_before_choice(text), options=rules.choices(text), multiple="多选" in text)
        elif DATE_LINE.search(text) and "：" in text and len(text) < 30:
            self.add_field(text.split("：")[0], date=True)
        else:
            self.items.append(Item("section", "说明" if text.startswith(("说明", "注", "填表说明")) else "",
                                   text=text))

    def table(self, table: Table):
        rows, i = table.rows, 0
        caption = None
        while i < len(rows):
            body = detail_body(rows, i)
            if body:
                self.rows_field(caption or "明细", rows[i])
                caption = None
                i += 1 + body
                continue
            caption = None
            cells = rows[i]
            filled = [c for c in cells if not c.blank]
            if len(filled) == 1 and len(cells) == 1 and rules.is_label(filled[0].text) \
                    and not filled[0].tall and not filled[0].text.rstrip().endswith(("：", ":")):
                if detail_body(rows, i + 1):
                    caption = rules.clean_label(filled[0].text)[0]
                    i += 1
                    continue
                below = rows[i + 1] if i + 1 < len(rows) else None
                if below and len(below) == 1 and below[0].blank:
                    self.add_field(filled[0].text, tall=True)
                    i += 2
                    continue
            self.row(cells, rows[i + 1] if i + 1 < len(rows) else None)
            i += 1

    def rows_field(self, label: str, header):
        columns = []
        for cell in header:
            name, required = rules.clean_label(cell.text)
            if not name or name in ("序号", "编号", "No.", "No"):
                continue
            keys, why = rules.field_keys(name, idcard=self.idcard, column=True)
            columns.append(Item("field", name, keys, required, why))
        if columns:
            self.items.append(Item("rows", label, {"type": "rows"}, False, f"表头 {len(columns)} 列、下方空行 → 明细表",
                                   columns=columns))

    def row(self, cells, below):
        j = 0
        while j < len(cells):
            cell = cells[j]
            nxt = cells[j + 1] if j + 1 < len(cells) else None
            text = cell.text
            j += 1
            if cell.blank or applicant_signature(text):
                continue
            if is_step(text):
                self.add_step(text)
                continue
            if OPINION.search(text) and rules.is_label(text) and nxt is not None \
                    and (signed(nxt.text) or (nxt.blank and _signed_below(below, nxt))):
                self.add_step(text + "\n" + nxt.text)
                j += 1
                continue
            if rules.has_choices(text):
                head = re.split(f"[{rules.CHOICE_MARKS}]", text, maxsplit=1)[0]
                if rules.clean_label(head)[0]:
                    self.add_field(head, options=rules.choices(text), multiple="多选" in text)
                continue
            if _BLANK_RUN.search(text):
                self.add_blanks(text)
                continue
            if not rules.is_label(text):
                if "\n" not in text and len(text) > 20 or "\n" in text:
                    self._long_cell(text, cell)
                continue
            if nxt is None:
                self.add_field(text, tall=cell.tall or len(cells) == 1)
            elif nxt.blank:
                self.add_field(text, tall=nxt.tall)
                j += 1
            elif rules.clean_label(nxt.text)[0] in rules.UNIT_CELLS:
                self.add_field(text, unit=rules.clean_label(nxt.text)[0])
                j += 1
            elif rules.has_choices(nxt.text) and not rules.clean_label(
                    re.split(f"[{rules.CHOICE_MARKS}]", nxt.text, maxsplit=1)[0])[0]:
                self.add_field(text, options=rules.choices(nxt.text), multiple="多选" in text + nxt.text)
                j += 1
            elif DATE_RANGE.search(nxt.text) and not signed(text):
                label = rules.clean_label(text)[0]
                self.add_field(label + "（开始）", date=True)
                self.add_field(label + "（结束）", date=True)
                j += 1
            elif DATE_LINE.search(nxt.text) and not rules.clean_label(DATE_LINE.sub("", nxt.text))[0]:
                self.add_field(text, date=True)
                j += 1
            elif not rules.is_label(nxt.text) and not _BLANK_RUN.search(nxt.text) and not signed(nxt.text):
                self.add_field(text, help_text=nxt.text)
                j += 1
            else:
                self.add_field(text)

    def _long_cell(self, text, cell):
        """``申请理由：`` over empty lines is a field; other long text is an instruction."""
        first, _, rest = text.partition("\n")
        if len(re.sub(r"\s", "", text)) <= 10 and not text.rstrip().endswith(("：", ":")):
            return                      # a group heading written over lines (申请人\n信息)
        if rules.is_label(first) and first.rstrip().endswith(("：", ":")) and not rest.strip():
            self.add_field(first, tall=True)
        elif rules.is_label(first) and first.rstrip().endswith(("：", ":")) and len(rest) < 60:
            self.add_field(first, tall=True, help_text=rest.strip())
        else:
            self.items.append(Item("section", "", text=text))


def _before_choice(text: str) -> str:
    return re.split(f"[{rules.CHOICE_MARKS}]", text, maxsplit=1)[0]


def _signed_below(below, cell) -> bool:
    return below is not None and any(c.col == cell.col and signed(c.text) for c in below)


def detail_body(rows, i) -> int:
    """How many empty body rows follow a header row at ``i`` (0 when it is not one)."""
    if i >= len(rows):
        return 0
    header = rows[i]
    if len(header) < 2 or any(c.blank or not rules.is_label(c.text) for c in header):
        return 0
    count = 0
    for row in rows[i + 1:]:
        if len(row) >= 2 and all(c.blank for c in row):
            count += 1
        else:
            break
    return count if count >= 2 else 0


def read_items(blocks, idcard: bool = False) -> tuple[str | None, list[Item]]:
    """(title, items) of a document's blocks."""
    titles = [b.text for b in blocks if isinstance(b, Paragraph) and b.title]
    title = next((t for t in titles if _title_like(t)), titles[0] if titles else None)
    reader = Reader(idcard)
    for block in blocks:
        if isinstance(block, Paragraph):
            if block.title and (block.text == title or len(block.text) <= 20):
                continue
            if title is None and not reader.items and _title_like(block.text):
                title = block.text
                continue
            reader.paragraph(block)
        elif isinstance(block, Table):
            if title is None and block.rows:
                first = [c for c in block.rows[0] if not c.blank]
                if len(first) == 1 and _title_like(first[0].text) and len(block.rows[0]) == 1:
                    title = first[0].text
                    block = Table(block.rows[1:], block.columns)
            reader.table(block)
    return title, reader.items


def _title_like(text: str) -> bool:
    return len(text) <= 40 and "\n" not in text and text.rstrip().endswith(("表", "单", "书", "申请", "登记"))
