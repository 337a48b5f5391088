"""SQLITE_SYNCHRONOUS: a site's SQLite files wait for the disk at each commit (``full``)
unless told otherwise; the tests' throw-away files say ``off``; a wrong value stops start-up."""
import pytest

from app import create_app
from app.db import db
from app.queue import huey
from tests.conftest import make_config


def synchronous_levels(app):
    with app.app_context():
        db.connect(reuse_if_open=True)
        database = db.execute_sql("PRAGMA synchronous").fetchone()[0]
        db.close()
    queue = huey.storage.conn.execute("PRAGMA synchronous").fetchone()[0]
    huey.storage.close()
    return database, queue


def test_a_site_commits_to_disk_by_default(tmp_path):
    config = make_config(tmp_path)
    del config["SQLITE_SYNCHRONOUS"]
    assert synchronous_levels(create_app(config)) == (2, 2)        # FULL, FULL


def test_the_tests_files_do_not_wait_for_the_disk(app):
    assert synchronous_levels(app) == (0, 0)                        # OFF, OFF


def test_normal_is_sqlites_normal(tmp_path):
    database, _ = synchronous_levels(create_app(make_config(tmp_path, SQLITE_SYNCHRONOUS="normal")))
    assert database == 1


def test_an_unknown_level_stops_start_up_naming_the_setting(tmp_path):
    with pytest.raises(ValueError, match="SQLITE_SYNCHRONOUS is one of off, normal, full, extra, not 'fast'"):
        create_app(make_config(tmp_path, SQLITE_SYNCHRONOUS="fast"))
