"""企业微信 against a local HTTP server: the JSON body, retries with backoff, failure and 重试."""
import pytest

from app.engine import core
from app.models.notify import Notification
from app.notify import prefs
from tests.engine.conftest import CHAIN
from tests.notify.conftest import wait_until

N = Notification


@pytest.fixture
def chain(app):
    from app.defs.store import import_text
    return import_text(CHAIN, "test-chain.yaml")[0]


def wecom_row():
    return N.get(N.channel == "wecom")


def start_with_wecom(app, chain, user, url):
    prefs.save(user("t2002"), ["wecom"], url)
    with app.app_context():
        return core.start(chain, user("t2001"), {"subject": "采购"})


def test_the_webhook_receives_the_robot_json(app, chain, user, webhook, consumer):
    hook = webhook(200)
    inst = start_with_wecom(app, chain, user, hook.url)
    consumer.start()
    wait_until(lambda: wecom_row().status == "sent")
    assert len(hook.bodies) == 1
    path, content_type, body = hook.bodies[0]
    assert path == "/cgi-bin/webhook/send?key=test" and content_type.startswith("application/json")
    assert body["msgtype"] == "text" and set(body) == {"msgtype", "text"}
    content = body["text"]["content"]
    assert content.startswith(f"【待办】{inst.title}")
    assert str(inst.serial) in content and "单位领导审批" in content
    assert f"https://hall.example.edu.cn/instances/{inst.serial}" in content


def test_a_channel_failing_twice_then_succeeding_is_sent_once(app, chain, user, webhook, consumer):
    hook = webhook(500, 500, 200)
    start_with_wecom(app, chain, user, hook.url)
    consumer.start()
    wait_until(lambda: wecom_row().status == "sent")
    row = wecom_row()
    assert row.attempts == 3 and len(hook.bodies) == 3
    assert row.last_error == ""                           # cleared once it went through


def test_a_channel_that_always_fails_ends_failed_and_an_admin_retries_it(app, chain, user, webhook,
                                                                         consumer, login_as):
    hook = webhook(500)
    inst = start_with_wecom(app, chain, user, hook.url)
    consumer.start()
    wait_until(lambda: wecom_row().status == "failed")
    row = wecom_row()
    assert row.attempts == 3 and "HTTP 500" in row.last_error
    assert len(hook.bodies) == 3

    assert login_as("t2002").get("/admin/notifications").status_code == 403
    admin = login_as("admin")
    page = admin.get("/admin/notifications").get_data(as_text=True)
    assert "发送失败 (1)" in page and "HTTP 500" in page and inst.title in page and "重试" in page
    assert login_as("t2002").post(f"/admin/notifications/{row.id}/retry").status_code == 403

    hook.statuses = [200]
    response = admin.post(f"/admin/notifications/{row.id}/retry")
    assert response.status_code == 302
    wait_until(lambda: wecom_row().status == "sent")
    assert len(hook.bodies) == 4
    assert admin.post(f"/admin/notifications/{row.id}/retry").status_code == 404   # not failed now


def test_a_webhook_host_outside_the_allowed_list_is_refused_without_a_request(app, chain, user, webhook):
    hook = webhook(200)
    start_with_wecom(app, chain, user, hook.url)
    app.config["WECOM_WEBHOOK_HOSTS"] = "qyapi.weixin.qq.com"
    from app.notify import delivery
    with app.app_context():
        outcome, _ = delivery.deliver(wecom_row().id, app.config)
    assert outcome == "retry" and "不在允许的列表中" in wecom_row().last_error
    assert hook.bodies == []


def test_sms_goes_through_the_gateway_interface(app, chain, user):
    from tests import smsinbox
    app.config["SMS_GATEWAY"] = "test-inbox"
    smsinbox.SENT.clear()
    prefs.save(user("t2002"), ["sms"], "")
    with app.app_context():
        inst = core.start(chain, user("t2001"), {"subject": "短信"})
    from app.notify import delivery
    row = N.get(N.channel == "sms")
    with app.app_context():
        assert delivery.deliver(row.id, app.config)[0] == "sent"
    [(phone, body)] = smsinbox.SENT
    assert phone == user("t2002").phone and str(inst.serial) in body
    smsinbox.SENT.clear()


@pytest.mark.parametrize("subject", ["第一行\r第二行", "第一行\r\n第二行", "行\u2028分隔\x0b符"])
def test_a_line_break_typed_into_a_field_of_the_title_does_not_stop_the_email(app, chain, user, smtp, subject):
    with app.app_context():
        inst = core.start(chain, user("t2001"), {"subject": subject})
    from app.notify import delivery
    row = N.get(N.channel == "email")
    with app.app_context():
        assert delivery.deliver(row.id, app.config)[0] == "sent", N.get_by_id(row.id).last_error
    [mail] = smtp.to("t2002@example.edu.cn")
    flat = " ".join(subject.split())
    assert mail["Subject"] == f"【待办】测试审批_李明_{flat}"
    assert str(inst.serial) in mail.get_content()


def test_the_email_channel_puts_every_header_on_one_line(app, smtp):
    from plugins.channels import CHANNELS, Message
    config = dict(app.config, MAIL_FROM="一网通\r\nBcc: x@evil.example <hall@example.edu.cn>")
    CHANNELS.get("email").send("t2002@example.edu.cn", Message("主题\r\nBcc: x@evil.example", "正文", "https://h/"),
                               config)
    [mail] = smtp.to("t2002@example.edu.cn")
    assert mail["Subject"] == "主题 Bcc: x@evil.example" and mail["Bcc"] is None
    assert [rcpts for rcpts, _ in smtp.messages] == [["t2002@example.edu.cn"]]
