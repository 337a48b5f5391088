"""Every export writer neutralises a cell that starts dangerously (SPEC §8.3), with one
function: app.exports.cells.neutralise."""
import csv
import io

import pytest
from openpyxl import load_workbook

from app.exports.cells import neutralise
from tests.exports.test_bulk import as_dicts, csv_rows, download, export, job_id

DANGEROUS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", " =1+2", "＝1+2", "＋1", "－1",
             "＠SUM(A1)", "|cmd"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_each_dangerous_first_character_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text
    assert neutralise(neutralise(text)) == "'" + text          # never twice


@pytest.mark.parametrize("text", ["普通文本", "123", "a=b", "合同-1", "", None, "'已引用"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == ("" if text is None else text)


@pytest.fixture
def admin(login_as, huey_immediate):
    return login_as("admin")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_bulk_export_neutralises_lf_space_fullwidth_and_pipe(admin, start_contract, fmt):
    start_contract(project="\nLF开头", party_a=" =1+2", party_b="＝1+2", contract_no="|cmd")
    response = download(admin, job_id(export(admin, format=fmt)))
    if fmt == "csv":
        rows = as_dicts(csv_rows(response))
    else:
        sheet = load_workbook(io.BytesIO(response.data)).active
        rows = as_dicts([[c.value for c in r] for r in sheet.iter_rows()])
    (row,) = rows
    assert (row["甲方"], row["乙方"], row["合同编号"]) == ("' =1+2", "'＝1+2", "'|cmd")
    assert row["项目名称"].startswith("'")


@pytest.mark.parametrize("name", ["csv", "xlsx"])
def test_the_writers_themselves_neutralise(tmp_path, name):
    from app.exports.bulk import WRITERS
    path = tmp_path / f"x.{name}"
    writer = WRITERS.get(name)(str(path))
    writer.write(["|cmd", "＠x", "ok"])
    writer.close()
    if name == "csv":
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    else:
        rows = [[c.value for c in r] for r in load_workbook(path).active.iter_rows()]
    assert rows == [["'|cmd", "'＠x", "ok"]]


def test_the_audit_export_neutralises_its_cells(app):
    from datetime import timedelta
    from app import audit
    from app.audit.cli import write_csv
    from app.models import utcnow
    china_today = (utcnow() + timedelta(hours=8)).date()
    with app.app_context():
        audit.record("export", None, "|calc", username="＝evil")
        out = io.StringIO()
        write_csv(audit.between(china_today, china_today), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[-1][2:4] == ["'＝evil", "'|calc"]
