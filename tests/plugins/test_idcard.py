"""The example plugin's `idcard` field type through validate, the form, the API, print and export."""
import csv
import io
import os

import pytest

from app.defs import validate_text
from app.people.directory import new_token

GOOD, BAD = "11010519491231002X", "110105194912310021"
MASKED = "1101**********002X"

DEFINITION = """
format: 1
id: id-proof
number: 950
name: 身份证明开具
category: 综合服务
department: 宣传部
audience: [staff]
title: "{service}_{applicant.name}_{form.idno}"
form:
  title: 身份证明开具申请
  fields:
    - {name: reason, label: 事由, type: text, required: true}
    - {name: idno, label: 身份证号, type: idcard, required: true}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: leader, name: 领导审批, by: {role: dept_leader, of: applicant}}
"""


@pytest.fixture
def id_service(app):
    from app.defs.store import import_text
    service, _, status = import_text(DEFINITION, "id-proof.yaml")
    assert status == "created"
    return service


def bearer(app, user, username):
    token = new_token(user(username))
    return lambda method, path, **kw: getattr(app.test_client(), method)(
        path, headers={"Authorization": f"Bearer {token}"}, **kw)


def test_defs_validate_accepts_the_plugin_type(tmp_path):
    sdef = validate_text(DEFINITION)
    assert sdef.form.field("idno").type == "idcard"


def test_the_form_renders_an_input_for_it(id_service, login_as):
    page = login_as("t2001").get("/services/id-proof/start").get_data(as_text=True)
    assert 'name="idno"' in page and 'maxlength="18"' in page and "身份证号" in page


def test_api_refuses_a_bad_check_digit_and_accepts_a_good_one(app, id_service, user):
    call = bearer(app, user, "t2001")
    bad = call("post", "/api/v1/services/id-proof/instances", json={"data": {"reason": "签证", "idno": BAD}})
    assert bad.status_code == 422 and bad.get_json()["fields"] == {"idno": ["校验码不正确"]}
    good = call("post", "/api/v1/services/id-proof/instances",
                json={"data": {"reason": "签证", "idno": GOOD.lower()}})
    assert good.status_code == 201, good.get_json()
    serial = good.get_json()["serial"]
    mine = call("get", f"/api/v1/instances/{serial}").get_json()
    assert mine["data"]["idno"] == GOOD                        # normalised (x → X), in full for the owner
    theirs = bearer(app, user, "t2002")("get", f"/api/v1/instances/{serial}").get_json()
    assert theirs["data"]["idno"] == MASKED                    # the approver sees it masked
    assert theirs["title"].endswith(MASKED)                    # and so does every list's title


def test_web_form_shows_the_check_digit_error_at_the_field(id_service, login_as):
    page = login_as("t2001").post("/services/id-proof/start",
                                  data={"reason": "签证", "idno": BAD, "op": "submit"})
    assert page.status_code == 422 and "校验码不正确" in page.get_data(as_text=True)


def test_print_and_exports_mask_it_except_for_the_owner_and_admins(app, id_service, user, login_as):
    from app.engine import core
    inst = core.start(id_service, user("t2001"), {"reason": "签证", "idno": GOOD})
    owner = login_as("t2001").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    approver = login_as("t2002").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    admin = login_as("admin").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    assert GOOD in owner and GOOD in admin
    assert MASKED in approver and GOOD not in approver
    page = login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert MASKED in page and GOOD not in page
    docx = login_as("t2002").get(f"/instances/{inst.serial}/export.docx")
    assert docx.status_code == 200
    from docx import Document
    text = "\n".join(c.text for t in Document(io.BytesIO(docx.data)).tables
                     for r in t.rows for c in r.cells)
    assert MASKED in text and GOOD not in text


def test_bulk_export_masks_for_a_department_admin_not_for_an_admin(app, id_service, user, tmp_path):
    from app.engine import core
    from app.exports import jobs
    from app.exports.jobs import create_job
    from app.models.exports import ExportJob
    core.start(id_service, user("t2001"), {"reason": "签证", "idno": GOOD})
    texts = {}
    for who in ("t2002", "admin"):
        job = create_job(id_service, user(who), "csv", {})
        jobs.run_job(job.id, str(tmp_path))
        job = ExportJob.get_by_id(job.id)
        assert job.status == "done", job.error
        with open(tmp_path / os.path.basename(job.file_path), encoding="utf-8-sig") as handle:
            texts[who] = handle.read()
    assert MASKED in texts["t2002"] and GOOD not in texts["t2002"]
    assert GOOD in texts["admin"]
