"""What a document is made of, once read: a title, paragraphs and tables of cells.

Both readers (Word, Excel) produce these; the layout rules read only these."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    tall: bool = False          # a blank meant for several lines (tall row, many empty lines)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    def to_json(self) -> dict:
        return {"text": self.text, "rowspan": self.rowspan, "colspan": self.colspan}


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)     # each row: the cells starting in it
    columns: int = 0

    def to_json(self) -> dict:
        return {"kind": "table", "rows": [[c.to_json() for c in row] for row in self.rows]}


@dataclass
class Paragraph:
    text: str
    title: bool = False

    def to_json(self) -> dict:
        return {"kind": "title" if self.title else "paragraph", "text": self.text}
