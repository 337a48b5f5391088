"""An API submit and an API approve run a fixed, small number of SQL statements, however
many rows the form holds (the bench reports the same figures: api_submit_queries,
api_approve_queries)."""
import pytest

from tests.querycount import count_queries

ROWS = """
format: 1
id: budget-rows
number: 9301
name: 明细审批
category: 测试
department: 办公室
audience: [staff]
time_limit: 3d
title: "{service}_{applicant.name}_{form.subject}"
form:
  title: 明细审批表
  fields:
    - {name: unit, label: 单位, type: text, autofill: user.department, readonly: true}
    - {name: subject, label: 事由, type: text, required: true, max_length: 100}
    - name: items
      label: 明细
      type: rows
      min_rows: 1
      max_rows: 50
      columns:
        - {name: text, label: 内容, type: text, required: true, max_length: 100}
        - {name: amount, label: 金额, type: number, minimum: 0}
steps:
  - {id: fill, name: 填写申请, by: applicant}
  - {id: approve, name: 审批, by: {user: t2002}, actions: [approve, return]}
"""


@pytest.fixture
def rows_service(app):
    from app.defs.store import import_text
    return import_text(ROWS, "budget-rows.yaml")[0]


def submit_and_approve(applicant, approver, rows):
    data = {"subject": "差旅", "items": [{"text": f"第{i}项", "amount": i} for i in range(rows)]}
    with count_queries() as submitted:
        response = applicant.start("budget-rows", data)
    assert response.status_code == 201, response.get_json()
    serial = response.get_json()["serial"]
    with count_queries() as approved:
        response = approver.act(serial, "approve", opinion="同意")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "completed", body
    assert [r["action"] for r in body["records"]] == ["submit", "approve", "complete"]
    assert len(body["data"]["items"]) == rows
    return submitted, approved


def test_submit_and_approve_stay_within_twelve_statements_for_any_number_of_rows(
        api, rows_service):
    applicant, approver = api("t2001"), api("t2002")
    submit_and_approve(applicant, approver, 1)                # compiles the definition once
    one = submit_and_approve(applicant, approver, 1)
    twenty = submit_and_approve(applicant, approver, 20)
    assert [c.count for c in one] == [c.count for c in twenty], twenty[1].queries
    submitted, approved = one
    assert submitted.count <= 12, submitted.queries
    assert approved.count <= 12, approved.queries
