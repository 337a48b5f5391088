"""The tamper-evident audit log (SPEC §8.3): an HMAC chain and ``flask audit verify``;
CSRF failures audited."""
import threading
from datetime import timedelta

import pytest

from app import audit
from app.db import db
from app.models import utcnow
from app.models.audit import AuditChain, AuditEvent
from tests.conftest import create_app, make_config


def table():
    return AuditEvent._meta.table_name


def verify(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    return result.exit_code, result.output


def some_events(app, n=5):
    with app.app_context():
        for i in range(n):
            audit.record("export", None, f"第{i}次导出", username=f"u{i}")
    return [e.id for e in AuditEvent.select().order_by(AuditEvent.id)]


def test_an_untouched_chain_verifies(app):
    some_events(app)
    code, out = verify(app)
    assert code == 0 and "审计日志完整" in out
    assert all(e.mac and len(e.mac) == 64 for e in AuditEvent.select())


def test_an_edited_event_is_named(app):
    ids = some_events(app)
    db.execute_sql(f"UPDATE {table()} SET detail = '无事发生' WHERE id = ?", (ids[2],))
    code, out = verify(app)
    assert code == 1 and f"事件 #{ids[2]} 被篡改" in out


def test_an_edited_time_or_user_is_named(app):
    ids = some_events(app)
    db.execute_sql(f"UPDATE {table()} SET username = 'admin' WHERE id = ?", (ids[0],))
    assert f"事件 #{ids[0]} 被篡改" in verify(app)[1]


def test_a_deleted_event_is_named(app):
    ids = some_events(app)
    db.execute_sql(f"DELETE FROM {table()} WHERE id = ?", (ids[2],))
    code, out = verify(app)
    assert code == 1 and f"#{ids[1]} 与 #{ids[3]} 之间的事件被删除" in out


def test_deleting_the_newest_or_the_first_events_is_noticed(app):
    ids = some_events(app)
    db.execute_sql(f"DELETE FROM {table()} WHERE id = ?", (ids[-1],))
    code, out = verify(app)
    assert code == 1 and "最新的事件被删除" in out
    db.execute_sql(f"DELETE FROM {table()} WHERE id = ?", (ids[0],))
    code, out = verify(app)
    assert code == 1 and f"事件 #{ids[1]} 之前的事件被删除" in out


def test_an_event_inserted_behind_the_apps_back_is_named(app):
    ids = some_events(app)
    db.execute_sql(f"INSERT INTO {table()} (at, kind, username, detail) VALUES (?, 'login', 'admin', '')",
                   (utcnow(),))
    code, out = verify(app)
    assert code == 1 and f"事件 #{ids[-1] + 1} 是绕过系统插入的" in out


def test_an_inserted_event_with_a_copied_mac_is_named(app):
    ids = some_events(app, 3)
    first = AuditEvent.get_by_id(ids[0])
    db.execute_sql(f"DELETE FROM {table()} WHERE id > ?", (ids[0],))     # room in the middle
    db.execute_sql(f"INSERT INTO {table()} (id, at, kind, username, detail, prev, mac) "
                   f"VALUES (?, ?, 'login', 'mallory', '', ?, ?)",
                   (ids[0] + 1, utcnow(), first.prev, first.mac))
    with app.app_context():
        audit.record("export", None, "之后的事件")
    code, out = verify(app)
    assert code == 1 and f"#{ids[0] + 1}" in out


def test_a_forged_head_is_refused(app):
    some_events(app)
    db.execute_sql(f"UPDATE {AuditChain._meta.table_name} SET last_id = 1")
    code, out = verify(app)
    assert code == 1 and "链头" in out


def test_events_from_before_the_chain_are_counted_not_checked(app):
    for i in range(3):
        db.execute_sql(f"INSERT INTO {table()} (at, kind, username, detail) VALUES (?, 'login', ?, '')",
                       (utcnow(), f"old{i}"))
    some_events(app, 2)
    code, out = verify(app)
    assert code == 0 and "另有 3 条早于链的事件未校验" in out


def test_a_wrong_key_fails(app, app_config):
    some_events(app)
    other = create_app(dict(app_config, AUDIT_KEY="another-key"))
    code, out = verify(other)
    assert code == 1


def test_the_prune_keeps_the_chain_verifiable(app):
    from app.audit import chain as audit_chain
    old = utcnow() - timedelta(days=400)
    with app.app_context():
        for i in range(3):                       # written 400 days ago, as the app writes
            audit_chain.append(audit.key(), at=old + timedelta(minutes=i), kind="export",
                               username=None, address=None, detail=f"旧{i}")
        for i in range(2):
            audit.record("export", None, f"新{i}")
        assert audit.prune(365) == 3
    code, out = verify(app)
    assert code == 0 and "2 条事件校验通过" in out, out
    first = AuditEvent.select().order_by(AuditEvent.id).first()
    db.execute_sql(f"DELETE FROM {table()} WHERE id = ?", (first.id,))
    code, out = verify(app)
    assert code == 1 and "之前的事件被删除" in out


def _writers(app, n_threads=2, each=25):
    errors = []

    def write(t):
        try:
            with app.app_context():
                db.connect(reuse_if_open=True)
                for i in range(each):
                    audit.record("export", None, f"线程{t} 第{i}条")
                db.close()
        except Exception as exc:                 # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=write, args=(t,)) for t in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_two_writers_at_once_keep_one_chain_on_sqlite(app):
    assert _writers(app) == []
    db.connect(reuse_if_open=True)
    assert AuditEvent.select().count() == 50
    code, out = verify(app)
    assert code == 0, out


def test_two_writers_at_once_keep_one_chain_on_postgres(postgres_url, tmp_path):
    from tests.conftest import seed_database
    app = create_app(make_config(tmp_path, DATABASE_URL=postgres_url))
    with app.app_context():
        seed_database()
    db.close()
    assert _writers(app, n_threads=3, each=20) == []
    db.connect(reuse_if_open=True)
    assert AuditEvent.select().where(AuditEvent.kind == "export").count() == 60
    code, out = verify(app)
    db.close()
    assert code == 0, out


# ---------------------------------------------------------------- CSRF

@pytest.fixture
def csrf_app(app_config):
    return create_app(dict(app_config, WTF_CSRF_ENABLED=True))


def test_a_csrf_failure_is_audited_with_the_path(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "t2001", "password": "x"})
    assert response.status_code == 400
    found = list(AuditEvent.select().where(AuditEvent.kind == "csrf_failure"))
    assert len(found) == 1 and "POST /login" in found[0].detail and found[0].username is None


def test_a_csrf_failure_names_the_signed_in_user(csrf_app):
    import re
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "t2001", "password": "demo1234",
                                       "csrf_token": token}).status_code == 302
    client.post("/me/delegations", data={"to_user": "t2002"})
    found = list(AuditEvent.select().where(AuditEvent.kind == "csrf_failure"))
    assert [(e.username, e.detail.split(":")[0]) for e in found] == [("t2001", "POST /me/delegations")]
    assert verify(csrf_app)[0] == 0
