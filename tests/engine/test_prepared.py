"""Prepared statements (app.db.prepared) read and write exactly what peewee would, on
SQLite and on PostgreSQL, and the engine's transitions stay within their statement budget."""
import time

import pytest

from app.engine import core, rows
from app.db.prepared import Insert, SelectRows
from app.models import FlowRecord, Instance, InstanceRevision, Task
from tests.engine.conftest import CHAIN
from tests.querycount import count_queries


def _chain(app_obj):
    from app.defs.store import import_text
    with app_obj.app_context():
        return import_text(CHAIN, "test-chain.yaml")[0]


def check_reads_like_peewee(user, service):
    inst = core.start(service, user("t2001"), {"subject": "打印机“硒鼓”", "amount": 12.5,
                                               "note": "多行\n备注 <b>"})
    prepared = rows.LOCK.first(id=inst.id)
    plain = Instance.get_by_id(inst.id)
    assert prepared.__data__ == plain.__data__          # JSON data, datetimes, ids alike
    assert prepared.data["note"] == "多行\n备注 <b>"
    assert not prepared.is_dirty()
    assert rows.LOCK.first(id=10 ** 9) is None


def check_defaults_are_taken_per_call(user, service):
    inst = core.start(service, user("t2001"), {"subject": "默认值"})
    first = rows.INSERT_RECORD.create(instance=inst, step="fill", step_name="填写",
                                      action="remind", user=user("t2001"))
    time.sleep(0.002)
    second = rows.INSERT_RECORD.create(instance=inst, step="fill", step_name="填写",
                                       action="remind", user=user("t2001"))
    stored = {r.id: r for r in FlowRecord.select().where(FlowRecord.id.in_([first.id, second.id]))}
    assert stored[first.id].at < stored[second.id].at   # utcnow() called at each insert
    assert stored[first.id].opinion == "" and stored[first.id].notes is None
    assert first.instance.serial == inst.serial          # the object listeners get is whole


def test_prepared_statements_read_and_write_like_peewee_on_sqlite(app, user, chain):
    check_reads_like_peewee(user, chain)
    check_defaults_are_taken_per_call(user, chain)


def test_prepared_statements_read_and_write_like_peewee_on_postgres(pg_app, user):
    chain = _chain(pg_app)
    with pg_app.app_context():
        check_reads_like_peewee(user, chain)
        check_defaults_are_taken_per_call(user, chain)


def test_a_statement_is_built_once_per_kind_of_database(app, user, chain):
    inst = core.start(chain, user("t2001"), {"subject": "一次"})
    statement = SelectRows(Task, lambda q, s: q.where(Task.instance == s.instance),
                       instance=Task.instance)
    sql = statement.sql()
    found = statement.all(instance=inst.id)
    assert sorted((t.assignee.username, t.status) for t in found) == [("t2001", "done"),
                                                                      ("t2002", "open")]
    assert statement.sql() is sql                        # the same string, not rebuilt


def test_a_slot_the_query_forgets_is_refused_when_built(app):
    statement = SelectRows(Task, lambda q, s: q.where(Task.id == 1), id=Task.id)
    with pytest.raises(ValueError, match="slots not used"):
        statement.sql()


def test_an_insert_of_a_model_names_every_column(app):
    sql = Insert(InstanceRevision).sql()
    for column in ("instance_id", "number", "data", "at", "by_id"):
        assert f'"{column}"' in sql


def test_revisions_are_numbered_per_instance_by_one_statement(app, user, chain):
    inst = core.start(chain, user("t2001"), {"subject": "修改", "amount": 1})
    inst = core.act(inst, user("t2002"), "return", opinion="请补充")
    inst = core.submit(inst, user("t2001"), {"subject": "已修改"})
    other = core.start(chain, user("t2001"), {"subject": "另一件"})
    numbers = [(r.instance_id, r.number, r.data["subject"]) for r in
               InstanceRevision.select().where(InstanceRevision.instance.in_([inst.id, other.id]))
               .order_by(InstanceRevision.id)]
    assert numbers == [(inst.id, 1, "修改"), (inst.id, 2, "已修改"), (other.id, 1, "另一件")]


def test_transitions_stay_within_their_statement_budget(app, user, chain):
    """The bench's figures as a guard: a draft, its submission to a one-person step and the
    final approval; an N+1 or a lazily loaded row would show here first."""
    applicant, leader, keeper = user("t2001"), user("t2002"), user("t3002")
    with count_queries() as started:
        inst = core.start(chain, applicant, {"subject": "预算", "amount": 10}, submit=False)
    with count_queries() as submitted:
        inst = core.submit(inst, applicant, None)
    with count_queries() as approved:
        inst = core.act(inst, leader, "approve", opinion="同意")
    from app.web.lookups import visible_instance
    with count_queries() as finished:
        inst = visible_instance(inst.serial, keeper)          # as the pages and the API read it
        inst = core.act(inst, keeper, "approve", opinion="已办")
    assert inst.status == "completed"
    assert not [q for q in started.queries + submitted.queries + approved.queries
                + finished.queries if '"service_version"."source"' in q or '"source"' in q]
    # version; serial; instance; record
    assert started.count <= 6, started.queries
    # lock; task; record; revision; assignees; delegation; task; instance; outbox
    assert submitted.count <= 12, submitted.queries
    # read; lock; claim; record; open to-dos; 完成 record; instance; outbox (2)
    assert finished.count <= 9, finished.queries
