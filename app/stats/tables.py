"""The statistics as tables (headers + rows): the page's accessible tables and the CSV/XLSX
downloads read the same rows."""
from __future__ import annotations

import csv
import io

from app.exports.cells import neutralise as guard
from app.web.templating import N_

# Chinese in the downloads; the page shows them through gettext.
SERVICE_HEADER = [N_("服务"), N_("主办部门"), N_("发起"), N_("办结"), N_("终止"), N_("办理中"),
                  N_("逾期"), N_("办结用时中位数(小时)"), N_("办结用时P90(小时)"),
                  N_("预计时限(小时)"), N_("超出时限"), N_("平均评分"), N_("评价数")]
STEP_HEADER = [N_("服务"), N_("环节"), N_("等待中位数(小时)"), N_("等待P90(小时)"), N_("逾期待办")]
TREND_HEADER = [N_("周（周一）"), N_("发起"), N_("办结")]


def _n(value):
    return "" if value is None else value


def service_rows(fig) -> list[list]:
    return [[s["name"], s["department"], s["started"], s["completed"], s["terminated"],
             s["running"], s["overdue"], _n(s["hours_to_complete"]["median"]),
             _n(s["hours_to_complete"]["p90"]), _n(s["time_limit_hours"]),
             "是" if s["slow"] else "", _n(s["rating"]["average"]), s["rating"]["count"]]
            for s in fig.services]


def step_rows(fig) -> list[list]:
    return [[s["name"], step["name"], _n(step["median_hours"]), _n(step["p90_hours"]),
             step["overdue"]] for s in fig.services for step in s["steps"]]


def trend_rows(fig) -> list[list]:
    return [[w["week"], w["started"], w["completed"]] for w in fig.trend]


TABLES = {"services": ("按服务", SERVICE_HEADER, service_rows),
          "steps": ("按环节", STEP_HEADER, step_rows),
          "trend": ("按周趋势", TREND_HEADER, trend_rows)}


def to_csv(fig, table: str) -> bytes:
    _, header, rows = TABLES[table]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows(fig):
        writer.writerow([guard(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")       # BOM: Excel reads UTF-8


def to_xlsx(fig) -> bytes:
    """One sheet per table; text cells are always strings (never formulas)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    book = Workbook(write_only=True)
    for title, header, rows in TABLES.values():
        sheet = book.create_sheet(title)
        for row in [header, *rows(fig)]:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=guard(value) if isinstance(value, str) else value)
                if isinstance(value, str):
                    cell.data_type = "s"
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
