"""Bulk export of a service's instances to CSV / XLSX as a background job."""
import csv
import io
import time
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from app.stats.periods import today_local


def export(client, **form):
    data = {"service": "tech-contract", "format": "csv", "status": "", "department": "",
            "date_from": "", "date_to": ""}
    data.update(form)
    return client.post("/exports/", data=data)


def job_id(response):
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def download(client, jid):
    state = client.get(f"/exports/jobs/{jid}.json").get_json()
    assert state["status"] == "done", state
    response = client.get(state["download_url"])
    assert response.status_code == 200
    return response


def csv_rows(response):
    text = response.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def as_dicts(rows):
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture
def admin(login_as, huey_immediate):
    return login_as("admin")


def test_csv_one_row_per_instance_one_column_per_field(admin, contract, start_trip):
    rows = csv_rows(download(admin, job_id(export(admin))))
    header = rows[0]
    assert header[:3] == ["流水号", "标题", "申请人"]
    for label in ("项目名称", "甲方", "合同金额", "合同附件", "本人已认真阅读，并同意以上全部内容。"):
        assert label in header
    assert "项目负责人承诺" not in header                    # sections are not data
    (row,) = as_dicts(rows)                                   # the trip is another service
    assert row["流水号"] == str(contract.serial) and row["项目名称"] == "高强度纸基材料制备技术开发"
    assert row["申请人部门"] == "宣传部" and row["状态"] == "办理中" and row["当前步骤"] == "科研处审批"
    assert row["合同金额"] == "85.50万元"


def test_rows_fields_are_flattened(admin, start_trip):
    start_trip()
    rows = as_dicts(csv_rows(download(admin, job_id(export(admin, service="trip-print")))))
    assert rows[0]["行程（日期 / 城市）"] == "2026-05-01 / 济南\n2026-05-03 / 青岛"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_injection_is_guarded(admin, start_contract, fmt):
    start_contract(project='=HYPERLINK("http://evil.example","点我")', party_a="+1+2", party_b="-3",
                   contract_no="@SUM(A1)")
    start_contract(project="\tTAB", party_a="\rCR", party_b="普通文本")
    response = download(admin, job_id(export(admin, format=fmt)))
    if fmt == "csv":
        rows = as_dicts(csv_rows(response))
    else:
        sheet = load_workbook(io.BytesIO(response.data)).active
        values = [[c.value for c in r] for r in sheet.iter_rows()]
        assert all(c.data_type == "s" for r in sheet.iter_rows() for c in r if c.value is not None)
        rows = as_dicts(values)
    first, second = rows
    assert first["项目名称"] == '\'=HYPERLINK("http://evil.example","点我")'
    assert (first["甲方"], first["乙方"], first["合同编号"]) == ("'+1+2", "'-3", "'@SUM(A1)")
    assert (second["项目名称"], second["甲方"], second["乙方"]) == ("'\tTAB", "'\rCR", "普通文本")


def test_xlsx_reads_back(admin, contract):
    response = download(admin, job_id(export(admin, format="xlsx")))
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = as_dicts([[c.value for c in r] for r in sheet.iter_rows()])
    assert rows[0]["项目名称"] == "高强度纸基材料制备技术开发" and rows[0]["流水号"] == str(contract.serial)


def test_filters_status_department_and_dates(app, admin, start_contract, user):
    from app.engine import core
    from app.models import Instance
    mine = start_contract()
    alice = start_contract(applicant="t7001")
    with app.app_context():
        old = start_contract()
        old_day = today_local() - timedelta(days=400)            # China time, from the app's clock
        noon_china = datetime.combine(old_day, datetime.min.time()) + timedelta(hours=4)   # naive UTC
        Instance.update(created=noon_china).where(Instance.id == old.id).execute()
        core.act(core.get_instance(mine.serial), user("t2002"), "terminate", opinion="不符合要求")
        core.start(core.get_instance(mine.serial).service, user("t2001"), None, submit=False)

    def serials(**form):
        return [int(r["流水号"]) for r in as_dicts(csv_rows(download(admin, job_id(export(admin, **form)))))]

    assert serials() == [mine.serial, alice.serial, old.serial]          # drafts left out
    assert serials(status="terminated") == [mine.serial]
    assert len(serials(status="draft")) == 1
    assert serials(department="计算机科学与技术学院") == [alice.serial]
    assert serials(date_from=str(old_day - timedelta(days=10)), date_to=str(old_day)) == [old.serial]
    assert serials(date_from=str(old_day + timedelta(days=1))) == [mine.serial, alice.serial]


def test_bad_filters_are_refused_not_crashed(admin):
    for bad in ({"status": "bogus"}, {"format": "exe"}, {"service": "nope"}, {"date_from": "2024-13-40"},
                {"date_from": "2024-05-02", "date_to": "2024-05-01"}):
        response = export(admin, **bad)
        assert response.status_code == 422, bad


def test_dept_admin_exports_only_their_department_s_services(login_as, huey_immediate, app, user):
    from app.engine import core
    from app.models import Service
    with app.app_context():
        core.start(Service.get(Service.slug == "weekly-report"), user("t2001"), None, submit=False)
    client = login_as("t2002")                                        # dept_admin of 宣传部
    page = client.get("/exports/").get_data(as_text=True)
    assert 'value="weekly-report"' in page and 'value="tech-contract"' not in page
    assert export(client, service="tech-contract").status_code == 403
    jid = job_id(export(client, service="weekly-report", status="draft"))
    assert len(csv_rows(download(client, jid))) == 2
    other = login_as("t9004")                                          # dept_admin of 组织部
    assert other.get(f"/exports/jobs/{jid}").status_code == 404
    assert other.get(f"/exports/jobs/{jid}/download").status_code == 404


def test_people_who_are_not_admins_cannot_export(login_as):
    client = login_as("t2001")
    assert client.get("/exports/").status_code == 403
    assert export(client).status_code == 403


def test_a_job_waits_while_the_consumer_is_down_and_finishes_when_it_is_back(app, login_as, contract):
    from app.queue import huey
    assert not huey.immediate
    client = login_as("admin")
    jid = job_id(export(client, format="xlsx"))
    assert client.get(f"/exports/jobs/{jid}.json").get_json()["status"] == "queued"
    page = client.get(f"/exports/jobs/{jid}").get_data(as_text=True)
    assert "排队中" in page and "progress" in page
    assert client.get(f"/exports/jobs/{jid}/download").status_code == 409
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
    consumer.start()
    try:
        deadline = time.monotonic() + 20
        while client.get(f"/exports/jobs/{jid}.json").get_json()["status"] != "done":
            assert time.monotonic() < deadline, "the consumer did not run the export"
            time.sleep(0.1)
    finally:
        consumer.stop(graceful=True)
    sheet = load_workbook(io.BytesIO(download(client, jid).data)).active
    assert sheet.max_row == 2


def test_a_large_export_reports_progress(app, admin, contract):
    from app.models import Instance
    with app.app_context():
        base = Instance.get(Instance.serial == contract.serial)
        rows = [dict(serial=900000 + i, service=base.service_id, version=base.version_id,
                     applicant=base.applicant_id, title=f"合同{i}", status="completed",
                     data=dict(base.data, project=f"项目{i}")) for i in range(130)]
        Instance.insert_many(rows).execute()
    jid = job_id(export(admin))
    state = admin.get(f"/exports/jobs/{jid}.json").get_json()
    assert (state["progress"], state["total"]) == (131, 131)
    assert len(csv_rows(download(admin, jid))) == 132
