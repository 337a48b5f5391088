"""The bell, my notifications, my channel settings and the admin's department webhooks."""
import pytest

from app.engine import core
from app.models.notify import DepartmentWebhook, Notification, NotifySetting
from app.notify import delivery
from tests.engine.conftest import CHAIN

N = Notification


@pytest.fixture
def delivered(app, user):
    """Two delivered in-app messages for 张华 (t2002), one for nobody else."""
    from app.defs.store import import_text
    chain = import_text(CHAIN, "test-chain.yaml")[0]
    instances = [core.start(chain, user("t2001"), {"subject": s}) for s in ("一", "二")]
    with app.app_context():
        for row in N.select().where(N.channel == "inapp"):
            assert delivery.deliver(row.id, app.config)[0] == "sent"
    return instances


def test_the_bell_counts_unread_messages_and_the_list_marks_them_read(delivered, login_as):
    client = login_as("t2002")
    home = client.get("/").get_data(as_text=True)
    assert 'class="badge notify-unread">2<' in home
    page = client.get("/me/notifications").get_data(as_text=True)
    assert "未读 2 条" in page and delivered[0].title in page

    first = N.get(N.channel == "inapp", N.instance == delivered[0])
    response = client.post(f"/me/notifications/{first.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/instances/{delivered[0].serial}")
    assert N.get_by_id(first.id).read_at is not None
    assert 'notify-unread">1<' in client.get("/").get_data(as_text=True)

    client.post("/me/notifications/read-all")
    assert "notify-unread" not in client.get("/").get_data(as_text=True)


def test_someone_elses_message_is_not_found(delivered, login_as):
    row = N.get(N.channel == "inapp")
    other = login_as("t2001")
    assert other.post(f"/me/notifications/{row.id}/read").status_code == 404
    assert other.post(f"/me/notifications/{row.id}/open").status_code == 404
    assert N.get_by_id(row.id).read_at is None
    assert "暂无消息" in other.get("/me/notifications").get_data(as_text=True)


def test_pending_messages_are_not_shown_until_delivered(app, user, login_as):
    from app.defs.store import import_text
    chain = import_text(CHAIN, "test-chain.yaml")[0]
    core.start(chain, user("t2001"), {"subject": "未送达"})
    assert "暂无消息" in login_as("t2002").get("/me/notifications").get_data(as_text=True)


def test_pages_need_a_login(client):
    for path in ("/me/notifications", "/me/notifications/settings", "/admin/notifications"):
        assert client.get(path).status_code == 302


def test_settings_default_and_save(app, login_as, user):
    client = login_as("t2002")
    page = client.get("/me/notifications/settings").get_data(as_text=True)
    assert "站内消息（始终开启）" in page
    assert 'id="ch_email" name="ch_email" type="checkbox" value="y"' in page and "checked" in page
    response = client.post("/me/notifications/settings",
                           data={"ch_sms": "y", "wecom_webhook": "http://127.0.0.1:9/hook"})
    assert response.status_code == 302
    setting = NotifySetting.get(NotifySetting.user == user("t2002"))
    assert setting.channels == ["sms"] and setting.wecom_webhook == "http://127.0.0.1:9/hook"
    from app.notify.prefs import channels_for
    assert channels_for(user("t2002")) == ["inapp", "sms"]


@pytest.mark.parametrize("url, message", [
    ("ftp://127.0.0.1/x", "只支持 http:// 或 https:// 地址"),
    ("javascript:alert(1)", "只支持 http:// 或 https:// 地址"),
    ("http://169.254.169.254/latest", "不在允许的列表中"),
    ("https://" + "a" * 600, "地址过长"),
])
def test_a_bad_webhook_is_refused_with_a_message(app, login_as, user, url, message):
    response = login_as("t2002").post("/me/notifications/settings", data={"ch_wecom": "y", "wecom_webhook": url})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert NotifySetting.get_or_none(NotifySetting.user == user("t2002")) is None


def test_admin_sets_a_department_webhook(app, login_as, user):
    dept = user("t2002").department
    assert login_as("t2002").post("/admin/notifications/webhooks",
                                  data={"department": dept.id, "wecom_webhook": "http://127.0.0.1/x"}).status_code == 403
    admin = login_as("admin")
    assert admin.get("/admin/notifications/webhooks").status_code == 200
    bad = admin.post("/admin/notifications/webhooks", data={"department": dept.id, "wecom_webhook": "gopher://x"})
    assert bad.status_code == 422 and DepartmentWebhook.select().count() == 0
    assert admin.post("/admin/notifications/webhooks", data={"department": 99999, "wecom_webhook": ""}).status_code == 404
    ok = admin.post("/admin/notifications/webhooks", data={"department": dept.id, "wecom_webhook": "http://127.0.0.1/x"})
    assert ok.status_code == 302
    assert DepartmentWebhook.get(DepartmentWebhook.department == dept).wecom_webhook == "http://127.0.0.1/x"


def test_admin_list_filters_by_status(app, delivered, login_as):
    N.update(status="failed", last_error="boom <b>x</b>", attempts=3).where(N.channel == "email").execute()
    page = login_as("admin").get("/admin/notifications?status=failed").get_data(as_text=True)
    assert "boom &lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
    assert "发送失败 (2)" in page
    assert login_as("admin").get("/admin/notifications?status=nonsense").status_code == 200


def test_forms_need_the_csrf_token(app_config):
    import re

    from app import create_app
    app_config["WTF_CSRF_ENABLED"] = True
    app = create_app(app_config)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(r'name="csrf-token" content="([^"]+)"', page)
    client.post("/login", data={"username": "t2002", "password": "demo1234", "csrf_token": token.group(1)})
    assert client.post("/me/notifications/read-all").status_code == 400
    assert client.post("/me/notifications/settings", data={"ch_sms": "y"}).status_code == 400
