"""An API submit and an API approve run a fixed, small number of SQL statements, however
many rows the form holds (the bench reports the same figures: api_submit_queries,
api_approve_queries)."""
import pytest

from bench.common import ROWS_DEFINITION
from tests.querycount import count_queries

# the bench's service with rows (bench/common.py), its approver a demo user
ROWS = ROWS_DEFINITION.replace("{user: b00002}", "{user: t2002}")


@pytest.fixture
def rows_service(app):
    from app.defs.store import import_text
    return import_text(ROWS, "bench-rows.yaml")[0]


def submit_and_approve(applicant, approver, rows):
    data = {"subject": "差旅", "items": [{"text": f"第{i}项", "amount": i} for i in range(rows)]}
    with count_queries() as submitted:
        response = applicant.start("bench-rows", data)
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
