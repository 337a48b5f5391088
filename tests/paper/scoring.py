"""Scoring a reading of a corpus form against what the form holds (labels, types, detail
tables, signature steps)."""
from __future__ import annotations

from dataclasses import dataclass, field

from app.paper import read_document

DEPARTMENTS = ["科研处", "财务处", "资产管理处", "办公室", "保卫处", "后勤管理处", "教务处", "学生工作处", "人事处",
               "网络信息中心", "宣传部", "组织部"]


@dataclass
class Score:
    labels: int = 0
    found: int = 0
    typed: int = 0
    tables: int = 0
    tables_found: int = 0
    steps: int = 0
    steps_found: int = 0
    misses: list = field(default_factory=list)


def _canon(label: str) -> str:
    return label.replace("（可多选）", "").replace("可多选", "")


def score(form, path, total: Score | None = None, departments=DEPARTMENTS) -> Score:
    total = total or Score()
    with open(path, "rb") as handle:
        reading = read_document(form.file, handle.read(), departments=departments, department="办公室")
    fields = [f for f in reading.definition["form"]["fields"] if f["type"] != "section"]
    by_label = {f["label"]: f for f in fields if f["type"] != "rows"}
    for label, kind in form.fields.items():
        total.labels += 1
        got = by_label.get(label) or by_label.get(_canon(label))
        if got is None:
            total.misses.append(f"{form.file}: 未找到「{label}」")
            continue
        total.found += 1
        if got["type"] == kind:
            total.typed += 1
        else:
            total.misses.append(f"{form.file}: 「{label}」应为 {kind}，读成 {got['type']}")
    tables = [f for f in fields if f["type"] == "rows"]
    for columns, kinds in form.tables.items():
        total.tables += 1
        match = next((t for t in tables if tuple(c["label"] for c in t["columns"]) == columns), None)
        if match is None:
            total.misses.append(f"{form.file}: 未找到明细表 {columns}")
            continue
        total.tables_found += 1
        for column, kind in zip(match["columns"], kinds):
            total.labels += 1
            total.found += 1
            total.typed += column["type"] == kind
            if column["type"] != kind:
                total.misses.append(f"{form.file}: 明细列「{column['label']}」应为 {kind}，读成 {column['type']}")
    steps = [s["name"] for s in reading.definition["steps"][1:]]
    total.steps += len(form.steps)
    total.steps_found += sum(1 for a, b in zip(form.steps, steps) if a == b) if len(steps) == len(form.steps) else 0
    if steps != form.steps:
        total.misses.append(f"{form.file}: 步骤应为 {form.steps}，读成 {steps}")
    return total
