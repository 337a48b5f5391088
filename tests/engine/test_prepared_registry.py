"""Every registered prepared statement (app.db.prepared.STATEMENTS) gives, on SQLite and on
PostgreSQL, the rows plain peewee gives for the same query built with the same values."""
import hashlib
from datetime import timedelta
from types import SimpleNamespace

import peewee
import pytest

from app.db import db
from app.engine import core
from app.models import ApiToken, Delegation, utcnow
from app.models.accounts import AccountSession
from app.db.prepared import STATEMENTS, Insert, PreparedQuery, Statement
from tests.engine.test_prepared import _chain

EXPECTED = {"auth.session_row", "directory.token_row", "engine.lock", "engine.save",
            "engine.claim_own", "engine.insert_instance", "engine.history.snapshot",
            "engine.box_counts", "engine.box.todo.search.rows", "lookups.instance_for_viewer",
            "notify.unread", "roles.holdings", "engine.bump_serial"}


def sample_world(user, chain):
    applicant, leader = user("t2001"), user("t2002")
    instance = core.start(chain, applicant, {"subject": "样例 打印机", "amount": 3})
    now = utcnow()
    digest = hashlib.sha256(b"sample").hexdigest()
    AccountSession.create(sid_hash=digest, user=leader)
    ApiToken.create(user=leader, token_hash=digest)
    Delegation.create(delegator=leader, delegate=applicant, start=now - timedelta(days=1),
                      end=now + timedelta(days=1), created=now)
    return SimpleNamespace(instance=instance, user=applicant.id, leader=leader.id, now=now,
                           session_digest=digest, token_digest=digest)


def example_values(statement, world) -> dict:
    missing = set(statement.slots()) - set(statement.examples)
    if not isinstance(statement, Insert):
        assert not missing, f"{statement.name}: no example for {sorted(missing)}"
    values = {k: v(world) if callable(v) else v for k, v in statement.examples.items()}
    return statement.complete(values)


def outcome(query, cursor):
    """What a caller sees: the rows (sorted, as tuples), the content of the rows an INSERT
    made (their new ids differ run to run on PostgreSQL: sequences ignore a rollback), or the
    number of rows an UPDATE changed."""
    if cursor.description is None:
        return ("rowcount", cursor.rowcount)
    found = sorted((tuple(r) for r in cursor.fetchall()), key=repr)
    if isinstance(query, peewee.Insert):
        model = query.model
        return ("inserted", [{k: v for k, v in model.select().where(model.id == r[0]).dicts()
                              .get().items() if k != "id"} for r in found])
    return ("rows", found)


def run_rolled_back(run):
    with db.atomic() as transaction:
        result = run()
        transaction.rollback()
    return result


def check_every_statement(user, chain):
    world = sample_world(user, chain)
    assert EXPECTED <= set(STATEMENTS)
    compared = non_empty = 0
    for name, statement in sorted(STATEMENTS.items()):
        values = example_values(statement, world)
        query = statement.plain(**values)
        prepared = run_rolled_back(lambda: outcome(query, statement.execute(**values)))
        plain = run_rolled_back(lambda: outcome(query, db.execute(query)))
        assert prepared == plain, name
        compared += 1
        non_empty += prepared[0] == "rowcount" and prepared[1] > 0 or bool(prepared[1])
    assert compared == len(STATEMENTS)
    assert non_empty >= len(STATEMENTS) - 8      # the examples reach real rows, not only ∅


def test_every_registered_statement_is_plain_peewee_on_sqlite(app, user, chain):
    with app.app_context():
        check_every_statement(user, chain)


def test_every_registered_statement_is_plain_peewee_on_postgres(pg_app, user):
    chain = _chain(pg_app)
    with pg_app.app_context():
        check_every_statement(user, chain)


def test_a_name_is_registered_once_and_examples_name_real_slots():
    taken = next(iter(STATEMENTS))
    with pytest.raises(ValueError, match="registered twice"):
        Statement(lambda s: None).named(taken)
    with pytest.raises(ValueError, match="nope"):
        PreparedQuery(lambda user: None, user=int).named("test.unknown-slot", nope=1)
    assert "test.unknown-slot" not in STATEMENTS
