"""Bulk export of a service's instances: one row per instance, one column per field.

Rows fields become one text cell (a line per row, cells joined by " / "). Every text cell
that a spreadsheet could take for a formula gets a leading apostrophe (app.exports.cells).
Writers are registered by format name.
"""
from __future__ import annotations

import csv
import os
import secrets
from datetime import date, timedelta

from peewee import JOIN

from app.engine.core import STATUS_LABELS
from app.engine.states import ACTIVE, Status
from app.exports.cells import DANGEROUS_FIRST, neutralise
from app.models import Department, Instance, User
from app.models.base import day_start_utc
from app.web.templating import local_time
from plugins import masking
from plugins.registry import Registry

FORMULA_PREFIXES = DANGEROUS_FIRST
WRITERS = Registry("export format")
STATUS_CHOICES = [("", "全部（不含草稿）")] + [(k, v) for k, v in STATUS_LABELS.items() if k != Status.DRAFT] + [
    (Status.DRAFT, STATUS_LABELS[Status.DRAFT])]
PROGRESS_EVERY = 50


guard = neutralise                  # the name the other writers import


# ---------------------------------------------------------------- which instances

def parse_date(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def filtered(service, filters: dict):
    """Instances of ``service`` matching status, department of the applicant and 申请日期 range."""
    query = (Instance.select(Instance, User, Department)
             .join(User, on=(Instance.applicant == User.id))
             .join(Department, JOIN.LEFT_OUTER, on=(User.department == Department.id))
             .where(Instance.service == service))
    status = filters.get("status") or ""
    query = query.where(Instance.status == status) if status else query.where(Instance.status != Status.DRAFT)
    if filters.get("department"):
        query = query.where(Department.name == filters["department"])
    start, end = parse_date(filters.get("date_from")), parse_date(filters.get("date_to"))
    if start:
        query = query.where(Instance.created >= day_start_utc(start))
    if end:
        query = query.where(Instance.created < day_start_utc(end + timedelta(days=1)))
    return query.order_by(Instance.serial)


# ---------------------------------------------------------------- columns

FIXED = (
    ("流水号", lambda inst, sdef: inst.serial),
    ("标题", lambda inst, sdef: inst.title),
    ("申请人", lambda inst, sdef: inst.applicant.name),
    ("工号/学号", lambda inst, sdef: inst.applicant.username),
    ("申请人部门", lambda inst, sdef: inst.applicant.department.name if inst.applicant.department_id else ""),
    ("状态", lambda inst, sdef: STATUS_LABELS.get(inst.status, inst.status)),
    ("当前步骤", lambda inst, sdef: _step_name(inst, sdef)),
    ("申请时间", lambda inst, sdef: local_time(inst.created)),
    ("提交时间", lambda inst, sdef: local_time(inst.submitted)),
    ("办结时间", lambda inst, sdef: local_time(inst.finished)),
)


def _step_name(inst, sdef):
    if inst.status not in ACTIVE or not inst.step:
        return ""
    step = sdef.step(inst.step)
    return step.name if step else ""


def field_columns(sdefs) -> list:
    """Input fields of the given definitions (newest first), each name once."""
    seen, fields = set(), []
    for sdef in sdefs:
        for f in sdef.form.input_fields():
            if f.name not in seen:
                seen.add(f.name)
                fields.append(f)
    return fields


def header(fields) -> list[str]:
    names = [label for label, _ in FIXED]
    for f in fields:
        label = f.label or f.name
        if f.columns:
            label += "（" + " / ".join(c.label or c.name for c in f.columns) + "）"
        names.append(label)
    return names


def cell_text(field, value, reveal: bool = True) -> str:
    if value is None:
        return ""
    return masking.shown(field, value, reveal, "export_value")


def row(inst, sdef, fields, reveal: bool = True) -> list[str]:
    """One instance's cells; ``reveal=False`` masks sensitive values (ID numbers)."""
    data = inst.data or {}
    values = [fn(inst, sdef) for _, fn in FIXED]
    values += [cell_text(f, data.get(f.name), reveal) for f in fields]
    from renderers.docx import xml_text     # python-docx loads when an export runs, not at start-up
    return [guard(xml_text(v)) for v in values]


# ---------------------------------------------------------------- writers

@WRITERS.register("csv")
class CsvWriter:
    extension, mimetype = "csv", "text/csv"

    def __init__(self, path):
        self.file = open(path, "w", newline="", encoding="utf-8-sig")     # BOM: Excel reads UTF-8
        self.writer = csv.writer(self.file)

    def write(self, values):
        self.writer.writerow([guard(v) for v in values])

    def close(self):
        self.file.close()


@WRITERS.register("xlsx")
class XlsxWriter:
    extension = "xlsx"
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def __init__(self, path):
        from openpyxl import Workbook
        self.path, self.book = path, Workbook(write_only=True)
        self.sheet = self.book.create_sheet("导出")

    def write(self, values):
        from openpyxl.cell import WriteOnlyCell
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet, value=guard(value))
            cell.data_type = "s"            # never a formula, whatever the text
            cells.append(cell)
        self.sheet.append(cells)

    def close(self):
        self.book.save(self.path)


def new_path(directory, job_id, fmt) -> str:
    os.makedirs(directory, exist_ok=True)
    return os.path.join(directory, f"export-{job_id}-{secrets.token_hex(8)}.{WRITERS.get(fmt).extension}")
