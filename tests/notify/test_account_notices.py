"""A password change or reset tells the account's owner: in-app and on their channels
(email here, through aiosmtpd), delivered by a real consumer from the outbox."""
import pytest

from app.models import User
from app.models.notify import Notification
from app.notify import prefs
from tests.notify.conftest import wait_until

N = Notification
GOOD = "Sdq2019x"


def notices(username):
    return list(N.select().join(User).where(User.username == username,
                                            N.kind.in_(("password_changed", "password_reset")))
                .order_by(N.channel))


def delivered(consumer, username, count=2):
    consumer.start()
    wait_until(lambda: len(notices(username)) == count and all(n.status == "sent" for n in notices(username)))
    return notices(username)


def test_changing_ones_password_notifies_in_app_and_by_email(app, login_as, smtp, consumer):
    client = login_as("t2001")
    r = client.post("/password", data={"old_password": "demo1234", "new_password": GOOD, "confirm": GOOD})
    assert r.status_code == 302
    rows = delivered(consumer, "t2001")
    assert [(n.channel, n.kind) for n in rows] == [("email", "password_changed"), ("inapp", "password_changed")]
    [mail] = smtp.to("t2001@example.edu.cn")
    assert mail["Subject"] == "【账号安全】您的登录密码已修改"
    body = mail.get_content()
    assert "李明" in body and "t2001" in body and "如非本人操作" in body
    assert GOOD not in body
    page = client.get("/me/notifications").get_data(as_text=True)
    assert "【账号安全】您的登录密码已修改" in page


def test_a_refused_change_notifies_nobody(app, login_as, smtp):
    client = login_as("t2001")
    r = client.post("/password", data={"old_password": "wrong-one1", "new_password": GOOD, "confirm": GOOD})
    assert r.status_code == 200 and notices("t2001") == []


def test_a_reset_by_sms_code_notifies_the_owner(app, client, smtp, consumer):
    from tests import smsinbox
    app.config["SMS_GATEWAY"] = "test-inbox"
    smsinbox.SENT.clear()
    client.post("/password/forgot/sms/send", data={"username": "t2001", "phone": "13800002001"})
    [(_, text)] = smsinbox.SENT
    code = text.split("验证码")[1][:6]
    r = client.post("/password/forgot/sms", data={"username": "t2001", "code": code,
                                                  "new_password": GOOD, "confirm": GOOD})
    assert r.status_code == 302
    rows = delivered(consumer, "t2001")
    assert {n.kind for n in rows} == {"password_reset"}
    [mail] = smtp.to("t2001@example.edu.cn")
    assert mail["Subject"] == "【账号安全】您的登录密码已重置" and "通过短信验证码重置" in mail.get_content()
    smsinbox.SENT.clear()


def test_an_admin_reset_notifies_the_owner(app, login_as, smtp, consumer):
    User.update(id_card="370102199001015678").where(User.username == "t2001").execute()
    admin = login_as("admin")
    user = User.get(User.username == "t2001")
    assert admin.post(f"/designer/users/reset-password/{user.id}").status_code == 302
    delivered(consumer, "t2001")
    [mail] = smtp.to("t2001@example.edu.cn")
    assert "由管理员重置为初始密码" in mail.get_content()


def test_a_department_group_robot_does_not_get_personal_account_notices(app, login_as, user, smtp):
    from app.models.notify import DepartmentWebhook
    DepartmentWebhook.create(department=user("t2001").department, wecom_webhook="http://127.0.0.1:9/hook")
    prefs.save(user("t2001"), ["email", "wecom"], "")
    assert "wecom" in prefs.channels_for(user("t2001"))
    client = login_as("t2001")
    client.post("/password", data={"old_password": "demo1234", "new_password": GOOD, "confirm": GOOD})
    assert [n.channel for n in notices("t2001")] == ["email", "inapp"]


@pytest.fixture(autouse=True)
def _no_leftover_gateway(app):
    yield
    app.config["SMS_GATEWAY"] = "log"
