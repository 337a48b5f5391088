"""`flask init-db` creates the schema, runs again harmlessly, and adds columns new models gained."""
import peewee

from app.db import db
from app.models import User


def test_init_db_is_idempotent_and_upgrades(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    db.execute_sql("ALTER TABLE user DROP COLUMN session_epoch")   # an older schema
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "session_epoch" in {c.name for c in db.get_columns("user")}
    assert User.get(User.username == "t2001").session_epoch == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert isinstance(db.obj, peewee.SqliteDatabase)
