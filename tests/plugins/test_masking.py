"""Masking in one place: a type that defines only ``mask()`` (no ``sensitive``) is masked for
a viewer who may not see it — an approver who is also the department's admin — on every
output: the page, lists, the API's data and titles, prints, exports and notifications;
the owner and admins see it in full. A rows column of that type is masked cell by cell."""
import csv
import io
import re

import pytest

from app.defs.store import import_text
from plugins.api import FieldType, field_type_class
from plugins.fields import FIELD_TYPES

PHONE, MASKED = "13912345678", "139****5678"
SECOND, SECOND_MASKED = "13800001111", "138****1111"

DEFINITION = """
format: 1
id: phone-proof
number: 951
name: 联系方式登记
category: 综合服务
department: 宣传部
audience: [staff]
title: "{service}_{applicant.name}_{form.mobile}"
form:
  title: 联系方式登记
  fields:
    - {name: reason, label: 事由, type: text, required: true}
    - {name: mobile, label: 手机号, type: mobile_only_mask, required: true}
    - name: contacts
      label: 紧急联系人
      type: rows
      columns:
        - {name: who, label: 姓名, type: text}
        - {name: phone, label: 电话, type: mobile_only_mask}
steps:
  - {id: fill, name: 填写, by: applicant}
  - {id: leader, name: 领导审批, by: {role: dept_leader, of: applicant}}
"""
DATA = {"reason": "登记", "mobile": PHONE, "contacts": [{"who": "王五", "phone": SECOND}]}


@pytest.fixture
def masked_service(app):
    @field_type_class("mobile_only_mask")
    class MobileOnlyMask(FieldType):            # no `sensitive`, no display(): only mask()
        label = "手机号（测试）"

        def mask(self, field, value):
            return value[:3] + "****" + value[-4:] if isinstance(value, str) else value

    try:
        service, _, _ = import_text(DEFINITION, "phone-proof.yaml")
        yield service
    finally:
        FIELD_TYPES.unregister("mobile_only_mask")


@pytest.fixture
def inst(masked_service, user):
    from app.engine import core
    return core.start(masked_service, user("t2001"), DATA)


def full_and_masked(text):
    return (PHONE in text or SECOND in text), (MASKED in text and SECOND_MASKED in text)


def docx_text(tables) -> str:
    """Every cell's text, nested tables (a rows field) included."""
    return "\n".join(c.text + "\n" + docx_text(c.tables) for t in tables for r in t.rows for c in r.cells)


def test_the_instance_page(inst, login_as):
    approver = login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert MASKED in approver and SECOND_MASKED in approver
    assert PHONE not in approver and SECOND not in approver
    for who in ("t2001", "admin"):
        page = login_as(who).get(f"/instances/{inst.serial}").get_data(as_text=True)
        assert PHONE in page and SECOND in page


def test_lists_and_the_apis_titles(inst, login_as):
    todo = login_as("t2002").get("/me/items?box=todo").get_data(as_text=True)
    assert MASKED in todo and PHONE not in todo
    items = login_as("t2002").get("/api/v1/me/items?box=todo").get_json()["items"]
    assert [i["title"] for i in items if i["serial"] == inst.serial][0].endswith(MASKED)


def test_the_apis_data(inst, login_as):
    theirs = login_as("t2002").get(f"/api/v1/instances/{inst.serial}").get_json()
    assert theirs["data"]["mobile"] == MASKED
    assert theirs["data"]["contacts"] == [{"who": "王五", "phone": SECOND_MASKED}]
    assert PHONE not in theirs["title"]
    for who in ("t2001", "admin"):
        data = login_as(who).get(f"/api/v1/instances/{inst.serial}").get_json()["data"]
        assert data["mobile"] == PHONE and data["contacts"][0]["phone"] == SECOND


def test_prints_and_documents(inst, login_as):
    from docx import Document
    printed = login_as("t2002").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    assert full_and_masked(printed) == (False, True)
    owner = login_as("t2001").get(f"/instances/{inst.serial}/print").get_data(as_text=True)
    assert PHONE in owner and SECOND in owner
    docx = login_as("t2002").get(f"/instances/{inst.serial}/export.docx")
    assert docx.status_code == 200
    assert full_and_masked(docx_text(Document(io.BytesIO(docx.data)).tables)) == (False, True)


def test_bulk_exports_mask_for_a_department_admin_not_for_an_admin(inst, masked_service, user, tmp_path):
    from app.exports import jobs
    from app.models.exports import ExportJob
    texts = {}
    for who in ("t2002", "admin"):
        job = jobs.create_job(masked_service, user(who), "csv", {})
        jobs.run_job(job.id, str(tmp_path))
        job = ExportJob.get_by_id(job.id)
        assert job.status == "done", job.error
        with open(tmp_path / job.file_path.split("/")[-1], encoding="utf-8-sig") as handle:  # key exports/NAME
            texts[who] = "\n".join(",".join(row) for row in csv.reader(handle))
    assert full_and_masked(texts["t2002"]) == (False, True)
    assert PHONE in texts["admin"] and SECOND in texts["admin"]


def test_notifications(app, inst, user):
    from app.models.notify import Notification
    from app.notify.messages import render
    sent = list(Notification.select().where(Notification.user == user("t2002"),
                                            Notification.instance == inst))
    assert sent, "the approver is notified of the new item"
    with app.app_context():
        for notification in sent:
            message = render(notification, app.config)
            assert MASKED in message.subject + message.text
            assert PHONE not in message.subject + message.text + notification.title


def test_a_type_that_masks_says_so():
    from plugins.fields import FieldType as Base

    class OnlyMask(Base):
        def mask(self, field, value):
            return "*"

    class OnlySensitive(Base):
        sensitive = True

    assert OnlyMask().masks and OnlySensitive().masks and not Base().masks


def test_what_changed_between_submissions(inst, user, login_as):
    from app.engine import core
    from app.models import Instance
    core.act(Instance.get_by_id(inst.id), user("t2002"), "return", opinion="请核对号码")
    changed = dict(DATA, mobile="13700002222", contacts=[{"who": "王五", "phone": "13600003333"}])
    core.act(Instance.get_by_id(inst.id), user("t2001"), "submit", data=changed)
    changes = login_as("t2002").get(f"/api/v1/instances/{inst.serial}/diff?from=1&to=2").get_json()["changes"]
    assert {"field": "mobile", "label": "手机号", "before": MASKED, "after": "137****2222"} in changes
    assert {"field": "contacts.0", "label": "紧急联系人（第1行）", "before": {"who": "王五", "phone": SECOND_MASKED},
            "after": {"who": "王五", "phone": "136****3333"}} in changes
    page = login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    assert "137****2222" in page and "13700002222" not in page and PHONE not in page
    mine = login_as("t2001").get(f"/api/v1/instances/{inst.serial}/diff?from=1&to=2").get_json()["changes"]
    assert {"field": "mobile", "label": "手机号", "before": PHONE, "after": "13700002222"} in mine


def test_an_approver_who_may_edit_a_masked_field_cannot_overwrite_it_with_the_mask(app, masked_service, user, login_as):
    from app.defs.store import import_text
    from app.engine import core
    from app.models import Instance
    text = DEFINITION.replace("by: {role: dept_leader, of: applicant}}",
                              "by: {role: dept_leader, of: applicant}, edit: [mobile, reason]}")
    service, _, _ = import_text(text, "phone-proof.yaml")
    inst = core.start(service, user("t2001"), DATA)
    page = login_as("t2002").get(f"/instances/{inst.serial}").get_data(as_text=True)
    mobile = re.search(r'<input[^>]*name="mobile"[^>]*>', page).group(0)
    reason = re.search(r'<input[^>]*name="reason"[^>]*>', page).group(0)
    assert "disabled" in mobile and "disabled" not in reason and PHONE not in page
    step = Instance.get_by_id(inst.id).step
    done = login_as("t2002").post(f"/instances/{inst.serial}/act",
                                  data={"action": "approve", "step": step, "reason": "登记（已核）",
                                        "mobile": MASKED, "opinion": "同意"})
    assert done.status_code == 302
    stored = Instance.get_by_id(inst.id).data
    assert stored["mobile"] == PHONE and stored["reason"] == "登记（已核）"
