"""The audit log (SPEC §7.5): what is recorded, who reads it, the CSV export, keeping."""
import csv
import io
from datetime import timedelta

import pytest

from app.models import Task, utcnow
from app.models.audit import AppendOnly, AuditEvent
from tests.conftest import PASSWORD, login

ID_CARD = "370102199001011234"


def events(kind=None):
    query = AuditEvent.select().order_by(AuditEvent.id)
    if kind:
        query = query.where(AuditEvent.kind == kind)
    return list(query)


@pytest.fixture
def admin(login_as):
    return login_as("admin")


def filter_arg(app, column: str, kind: str) -> str:
    """Flask-Admin's query argument (``flt0_<index>``) of the audit view's filter of that class
    on that column, looked up rather than counted: the indexes move when filters are added."""
    admin = app.extensions["admin"][0]
    view = next(v for v in admin._views if v.endpoint == "designer_audit")
    with app.test_request_context():
        view._refresh_filters_cache()
        found = [view.get_filter_arg(i, f) for i, f in enumerate(view._filters)
                 if f.column.name == column and type(f).__name__ == kind]
    assert len(found) == 1, (column, kind, found)
    return f"flt0_{found[0]}"


def china_day(moment):
    """The China Standard Time day of a stored (naive UTC) time, as `flask audit export` counts days."""
    return (moment + timedelta(hours=8)).date()


def _weekly(app, user, service):
    from app.engine import core
    with app.app_context():
        return core.start(service("weekly-report"), user("t2001"), {"items": [{"text": "一"}]},
                          submit=True)


# ---------------------------------------------------------------- what is recorded

def test_logins_succeeded_and_failed_are_recorded_with_user_and_address(client):
    client.post("/login", data={"username": "t2001", "password": "wrong-one"})
    client.post("/login", data={"username": "nobody", "password": "x"})
    login(client, "t2001")
    failed = events("login_failed")
    assert [(e.username, e.detail) for e in failed] == [("t2001", "密码错误"), ("nobody", "用户名不存在")]
    assert [e.username for e in events("login")] == ["t2001"]
    assert all(e.address == "127.0.0.1" for e in failed)


def test_password_changes_and_resets_are_recorded(app, client, admin, user):
    from app.people.directory import add_user
    add_user("t0001", name="新教工", type="staff", department_name="宣传部", id_card=ID_CARD)
    login(client, "t0001", "011234")
    client.post("/password", data={"old_password": "011234", "new_password": "Qlu2024abc",
                                   "confirm": "Qlu2024abc"})
    assert [e.username for e in events("password_change")] == ["t0001"]
    admin.post(f"/designer/users/reset-password/{user('t0001').id}")
    reset = events("password_reset")
    assert len(reset) == 1 and reset[0].username == "admin" and "t0001" in reset[0].detail


def test_permission_denials_are_recorded(login_as, api_token):
    login_as("t2001").get("/designer/")
    client, token = api_token("t0003", activated=False)
    client.get("/api/v1/me/items", headers={"Authorization": f"Bearer {token}"})
    denied = events("denied")
    assert [(e.username, e.detail.split(":")[0]) for e in denied] == [
        ("t2001", "GET /designer/"), ("t0003", "GET /api/v1/me/items")]


@pytest.fixture
def api_token(app):
    def make(username, activated=True):
        from app.people.directory import add_user, new_token
        from app.models import User
        person = add_user(username, name="测试", type="staff", department_name="宣传部",
                          id_card=ID_CARD)
        User.update(activated=activated).where(User.id == person.id).execute()
        return app.test_client(), new_token(person)
    return make


def test_designer_changes_are_recorded(app, admin, user, service):
    weekly = service("weekly-report")
    admin.post(f"/designer/studio/service/{weekly.id}/enabled", data={"enabled": "0"})
    admin.post(f"/designer/studio/service/{weekly.id}/enabled", data={"enabled": "1"})
    admin.post("/designer/departments/new/", data={"name": "审计处", "code": "SJ"})
    base = admin.get(f"/designer/studio/service/{weekly.id}").headers["Location"]
    admin.post(base, data={"number": "59", "name": "工作周报", "category": "综合服务",
                           "department": "宣传部", "audience": ["staff"], "time_limit": "2w",
                           "title": "{service}_{applicant.name}", "form_title": "工作周报（新）"})
    admin.post(base + "publish")
    instance = _weekly(app, user, service)
    task = Task.get(Task.instance == instance, Task.status == "open")
    admin.post(f"/designer/instances/reassign/{instance.id}", data={"task": task.id, "to_user": "t9002"})
    got = [(e.kind, e.username, e.detail) for e in events()
           if e.kind in ("disable", "enable", "directory", "publish", "reassign")]
    assert got == [("disable", "admin", "weekly-report"), ("enable", "admin", "weekly-report"),
                   ("directory", "admin", "新建部门 审计处"),
                   ("publish", "admin", "weekly-report 版本 2"),
                   ("reassign", "admin", f"流水号 {instance.serial} 步骤 leader: t2002 → t9002")]


def test_a_definition_import_is_recorded(admin):
    from tests.conftest import DEFINITIONS
    with open(f"{DEFINITIONS}/weekly-report.yaml", "rb") as f:
        text = f.read().replace(b"name: \xe5\xb7\xa5\xe4\xbd\x9c\xe5\x91\xa8\xe6\x8a\xa5", "name: 工作周报（导入）".encode(), 1)
    admin.post("/designer/studio/import", data={"files": (io.BytesIO(text), "weekly.yaml")},
               content_type="multipart/form-data")
    assert [e.detail for e in events("import")] == ["weekly.yaml: weekly-report 版本 2"]


def test_flask_defs_import_is_recorded_when_it_changes_something(app, tmp_path):
    from tests.conftest import DEFINITIONS
    changed = tmp_path / "weekly-report.yaml"
    changed.write_text(open(f"{DEFINITIONS}/weekly-report.yaml", encoding="utf-8").read()
                       .replace("time_limit: 2w", "time_limit: 1w"), encoding="utf-8")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["defs", "import", f"{DEFINITIONS}/weekly-report.yaml"]).exit_code == 0
    assert runner.invoke(args=["defs", "import", str(changed)]).exit_code == 0
    [event] = events("import")
    assert event.username is None and event.detail.endswith("weekly-report 版本 2")


def test_revealing_a_full_id_number_is_recorded_without_the_number(app, client):
    from app.people.directory import add_user
    from app.models import User
    add_user("t0001", name="新教工", type="staff", department_name="宣传部", id_card=ID_CARD)
    User.update(activated=True, password_hash=User.get(User.username == "t2001").password_hash).where(
        User.username == "t0001").execute()
    login(client, "t0001")
    client.get("/me/profile")
    assert events("id_reveal") == []
    assert ID_CARD in client.post("/me/profile").get_data(as_text=True)
    [reveal] = events("id_reveal")
    assert reveal.username == "t0001" and ID_CARD not in reveal.detail


def test_prints_and_exports_are_recorded(app, login_as, user, service):
    instance = _weekly(app, user, service)
    client = login_as("t2001")
    assert client.get(f"/instances/{instance.serial}/print").status_code == 200
    assert client.get(f"/instances/{instance.serial}/export.docx").status_code == 200
    assert [e.detail for e in events("export")] == [f"流水号 {instance.serial} print",
                                                     f"流水号 {instance.serial} docx"]


def test_a_designer_migration_is_recorded(app, user, login_as):
    from app.defs.store import import_text
    from app.engine import core
    from tests.engine.conftest import CHAIN
    from tests.lifecycle.test_migrate import V2_EXTRA
    service, _, _ = import_text(CHAIN.replace("department: 办公室", "department: 宣传部"), "c.yaml")
    core.start(service, user("t2001"), {"subject": "迁移"})
    import_text(V2_EXTRA.replace("department: 办公室", "department: 宣传部"), "c.yaml")
    login_as("t2002").post(f"/designer/studio/service/{service.id}/migrate", data={"to": "2"})
    [event] = events("migrate")
    assert event.username == "t2002" and event.detail.startswith(f"{service.slug} → v2")


def test_flask_retention_run_writes_one_audit_record(app):
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    dry = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0
    [run] = events("retention")
    assert "total:" in run.detail


def test_retention_runs_write_one_record_with_their_counts(app):
    from app import audit
    with app.app_context():
        audit.record_retention({"anonymized": 3, "deleted": 1, "held": 2})
    [run] = events("retention")
    assert run.detail == "anonymized 3, deleted 1, held 2"


# ---------------------------------------------------------------- append-only

def test_the_app_has_no_way_to_change_or_delete_an_event(app, client, admin):
    client.post("/login", data={"username": "t2001", "password": "wrong-one"})
    event = events("login_failed")[0]
    event.detail = "tampered"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        AuditEvent.update(detail="x").execute()
    with pytest.raises(AppendOnly):
        event.delete_instance()
    edit = admin.get(f"/designer/audit/edit/?id={event.id}")
    assert edit.status_code in (302, 403, 404)
    admin.post("/designer/audit/delete/", data={"id": event.id})
    admin.post("/designer/audit/action/", data={"action": "delete", "rowid": [event.id]})
    assert AuditEvent.get_by_id(event.id).detail == "密码错误"
    page = admin.get("/designer/audit/").get_data(as_text=True)
    assert "/designer/audit/edit/" not in page and "/designer/audit/delete/" not in page


# ---------------------------------------------------------------- reading

def test_admins_read_and_filter_the_log_at_designer_audit(client, admin, login_as):
    client.post("/login", data={"username": "zzz-unknown", "password": "x"})
    login_as("t2001").get("/designer/")
    page = admin.get("/designer/audit/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "审计日志" in text and "zzz-unknown" in text and "登录失败" in text and "拒绝访问" in text
    kind_is, user_is = filter_arg(admin.application, "kind", "FilterEqual"), \
        filter_arg(admin.application, "username", "FilterEqual")
    at_between = filter_arg(admin.application, "at", "DateTimeBetweenFilter")
    by_kind = admin.get("/designer/audit/", query_string={kind_is: "denied"}).get_data(as_text=True)
    assert "GET /designer/" in by_kind and "zzz-unknown" not in by_kind
    by_user = admin.get("/designer/audit/", query_string={user_is: "zzz-unknown"}).get_data(as_text=True)
    assert "zzz-unknown" in by_user and "GET /designer/" not in by_user
    at = AuditEvent.get(AuditEvent.username == "zzz-unknown").at     # the clock is the event's own
    fmt = "%Y-%m-%d %H:%M:%S"

    def between(lo, hi):
        span = f"{lo.strftime(fmt)} to {hi.strftime(fmt)}"
        return admin.get("/designer/audit/", query_string={at_between: span}).get_data(as_text=True)
    assert "zzz-unknown" in between(at - timedelta(minutes=1), at + timedelta(minutes=1))
    assert "zzz-unknown" not in between(at - timedelta(days=400), at - timedelta(days=399))
    assert "zzz-unknown" not in between(at + timedelta(seconds=2), at + timedelta(days=1))


@pytest.mark.parametrize("username", ["t2002", "t2001"])     # a dept_admin, an applicant
def test_nobody_but_system_admins_reads_the_log(login_as, username):
    client = login_as(username)
    assert client.get("/designer/audit/").status_code == 403
    assert client.get("/designer/audit/details/?id=1").status_code == 403


def test_the_log_page_needs_a_login(client):
    response = client.get("/designer/audit/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_flask_audit_export_writes_one_csv_row_per_event(app, client, tmp_path):
    client.post("/login", data={"username": "=cmd|' /C calc'!A0", "password": "x"})
    login(client, "t2001")
    written = [e.at for e in events()]
    # the days (China time) the events were written on: one day, or two if midnight fell between
    first, today = china_day(min(written)).isoformat(), china_day(max(written)).isoformat()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "export", "--from", first, "--to", today])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["time", "kind", "user", "detail", "address"]
    assert [r[1] for r in rows[1:]] == ["login_failed", "login"]
    assert rows[1][2] == "'=cmd|' /C calc'!A0"                  # never a spreadsheet formula
    assert rows[2][0].endswith("Z") and rows[2][2] == "t2001"
    out = tmp_path / "audit.csv"
    result = runner.invoke(args=["audit", "export", "--from", first, "--to", today, "-o", str(out)])
    assert result.exit_code == 0 and len(out.read_text(encoding="utf-8-sig").splitlines()) == 3
    long_ago = china_day(min(written)) - timedelta(days=400)
    old = runner.invoke(args=["audit", "export", "--from", long_ago.isoformat(),
                              "--to", (long_ago + timedelta(days=30)).isoformat()])
    assert old.stdout.splitlines() == ["time,kind,user,detail,address"]
    bad = runner.invoke(args=["audit", "export", "--from", "yesterday", "--to", today])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


# ---------------------------------------------------------------- keeping

def test_the_worker_prunes_old_events_but_keeps_at_least_180_days(app_config):
    from app import create_app
    from app.audit.cli import prune_task
    app = create_app({**app_config, "AUDIT_KEEP_DAYS": 30})
    assert app.config["AUDIT_KEEP_DAYS"] == 180
    now = utcnow()
    for days in (400, 181, 179, 100, 0):
        AuditEvent.insert(kind="login", username=f"d{days}", at=now - timedelta(days=days)).execute()
    prune_task.call_local()
    assert sorted(e.username for e in events()) == ["d0", "d100", "d179"]


def test_init_db_creates_the_audit_table(tmp_path):
    from app import create_app
    from app.db import db
    from tests.conftest import make_config
    app = create_app(make_config(tmp_path))
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "audit_event" in db.get_tables()


def test_a_refused_sso_sign_in_is_recorded(app_config, tmp_path):
    from app import create_app
    sso = create_app({**app_config, "CAS_SERVER_URL": "http://127.0.0.1:9/cas", "SSO_TIMEOUT": 2})
    response = sso.test_client().get("/login/cas/callback?next=%2F&ticket=ST-1-abc")
    assert response.status_code == 400
    [event] = events("login_failed")
    assert event.username is None and "CAS" in event.detail.upper()
