"""Prepared list queries (app/db/prepared.py): SQL written once, the rows peewee's own query gives,
for whoever asks — the SQL built for one user never answers for another."""
import pytest
from peewee import fn

from app.engine import queries
from app.models import Task
from app.db.prepared import PreparedQuery
from tests.hall.helpers import completed_weekly, person, weekly


def shown(result):
    rows, total, page_no = result
    return ([(r.id, r.serial, r.title, r.service.slug, r.status,
              getattr(getattr(r, "todo_task", None), "step_name", None)) for r in rows],
            total, page_no)


def test_box_pages_are_the_rows_of_the_query_they_prepare(app):
    with app.app_context():
        for i in range(12):
            weekly(text=f"第{i}周")
        for i in range(3):
            completed_weekly(text=f"完成{i}")
        weekly(text="草稿", submit=False)
        weekly("t2002", text="他人的")
        for who in ("t2002", "t2001", "t9003"):
            user = person(who)
            for box in queries.BOXES:
                for q in ("", "李明", "周报_张华", "无此事项", "%"):
                    for page_no in (1, 2, 9):
                        expected = queries.page(queries.search_box(user, box, q), page_no)
                        assert shown(queries.box_page(user, box, q, page_no)) == shown(expected), (who, box, q)


def test_each_user_sees_their_own_to_dos(app):
    with app.app_context():
        serials = [weekly(text=f"第{i}周").serial for i in range(3)]
        leader_rows, leader_total, _ = queries.box_page(person("t2002"), "todo")
        applicant_rows, applicant_total, _ = queries.box_page(person("t2001"), "todo")
    assert [r.serial for r in leader_rows] == serials[::-1] and leader_total == 3
    assert applicant_rows == [] and applicant_total == 0


def test_page_size_and_page_number_are_parameters(app):
    with app.app_context():
        serials = [weekly(text=f"第{i}周").serial for i in range(5)][::-1]
        leader = person("t2002")
        assert [r.serial for r in queries.box_page(leader, "todo", size=2)[0]] == serials[:2]
        assert [r.serial for r in queries.box_page(leader, "todo", page_no=3, size=2)[0]] == serials[4:]
        assert [r.serial for r in queries.box_page(leader, "todo", size=20)[0]] == serials


def test_a_parameter_the_query_leaves_out_is_refused(app):
    unused = PreparedQuery(lambda user, limit: Task.select(fn.COUNT(Task.id)).where(Task.assignee == user),
                           user=int, limit=int)
    with app.app_context(), pytest.raises(ValueError, match="limit"):
        unused(user=1, limit=10)

