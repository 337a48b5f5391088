"""找回密码 by SMS: a 6-digit code, 10 minutes, once, bound to account and purpose, voided
after 5 wrong guesses; sends limited per phone and per address; no account enumeration."""
import logging
import re
from datetime import timedelta

import pytest

from app.auth.recovery import check_code, issue_code, redeem_code
from app.db import db
from app.models import User, utcnow
from app.models.accounts import OneTimeCode, Throttle
from tests.auth.conftest import GOOD, PHONE, post_login, race, text

T2001_PHONE = "13800002001"
SENT = "如果帐号与手机号匹配，验证码已发送到该手机，10分钟内有效"


def send(client, username="t2001", phone=T2001_PHONE, addr="10.2.0.1"):
    return client.post("/password/forgot/sms/send", data={"username": username, "phone": phone},
                       environ_base={"REMOTE_ADDR": addr})


def reset(client, code, username="t2001", new=GOOD):
    return client.post("/password/forgot/sms", data={"username": username, "code": code,
                                                     "new_password": new, "confirm": new})


def test_a_code_resets_the_password_once(app, client, sms_inbox, login_as):
    other = login_as("t2001")
    r = send(client)
    assert r.status_code == 302
    assert SENT in text(client.get(r.headers["Location"]))
    code = sms_inbox.code()
    assert len(code) == 6 and code.isdigit()
    assert T2001_PHONE in sms_inbox.messages()[-1]
    r = reset(client, code)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
    assert other.get("/me/profile").status_code == 302          # sessions ended
    assert post_login(app.test_client(), "t2001", GOOD).status_code == 302
    again = reset(app.test_client(), code, new="Other2024x")
    assert "验证码错误或已失效" in text(again)


def test_the_log_gateway_never_writes_the_code_or_the_number_to_the_log(app, client, caplog):
    assert app.config["SMS_GATEWAY"] == "log"                  # the default
    caplog.set_level(logging.INFO)                             # (DEBUG: peewee's SQL parameters)
    assert send(client).status_code == 302
    assert OneTimeCode.select().count() == 1                   # a code was issued and sent
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert "138****2001" in logged
    assert T2001_PHONE not in logged
    assert not re.search(r"\d{6}", logged.replace(T2001_PHONE, "")), logged
    assert "验证码" not in logged


def test_the_code_is_stored_hashed(client, sms_inbox):
    send(client)
    row = OneTimeCode.get()
    assert sms_inbox.code() not in row.code_hash and len(row.code_hash) == 64


def test_unknown_account_and_wrong_phone_get_the_same_answer(client, sms_inbox):
    for username, phone in (("ghost", T2001_PHONE), ("t2001", "13999999999")):
        r = send(client, username, phone, addr=f"10.2.1.{len(username)}")
        assert r.status_code == 302 and SENT in text(client.get(r.headers["Location"]))
    assert sms_inbox.messages() == [] and OneTimeCode.select().count() == 0


def test_a_code_expires_after_ten_minutes(client, sms_inbox):
    send(client)
    OneTimeCode.update(expires=utcnow() - timedelta(seconds=1)).execute()
    assert "验证码错误或已失效" in text(reset(client, sms_inbox.code()))


def test_five_wrong_guesses_void_the_code(client, sms_inbox):
    send(client)
    code = sms_inbox.code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert "验证码错误或已失效" in text(reset(client, wrong))
    assert OneTimeCode.get().void
    assert "验证码错误或已失效" in text(reset(client, code))


def test_the_code_is_bound_to_the_account(app, client, sms_inbox):
    send(client)
    assert "验证码错误或已失效" in text(reset(client, sms_inbox.code(), username="t2002"))


def test_the_code_is_bound_to_the_purpose(app, user):
    with app.test_request_context():
        code = issue_code(user("t2001"), purpose="login")
        assert not redeem_code(user("t2001"), code, purpose="reset")
        assert redeem_code(user("t2001"), code, purpose="login")


def test_a_new_code_voids_the_previous_one(app, user):
    with app.test_request_context():
        first = issue_code(user("t2001"))
        second = issue_code(user("t2001"))
        assert first == second or not redeem_code(user("t2001"), first)
        assert redeem_code(user("t2001"), second)


def test_a_policy_refusal_does_not_spend_the_code(client, sms_inbox):
    send(client)
    assert "密码不能包含用户名" in text(reset(client, sms_inbox.code(), new="t2001abcd"))
    assert reset(client, sms_inbox.code()).status_code == 302


def test_a_malformed_code_is_a_form_error(client):
    r = reset(client, "12ab")
    assert r.status_code == 200 and "验证码为6位数字" in text(r)


def test_sends_are_limited_per_phone_per_minute(client, sms_inbox):
    assert send(client).status_code == 302
    r = send(client, addr="10.2.0.2")
    assert r.status_code == 429 and "验证码发送过于频繁" in text(r)
    assert len(sms_inbox.messages()) == 1


def test_sends_are_limited_per_phone_per_hour(client, sms_inbox):
    for i in range(5):
        assert send(client, addr=f"10.3.0.{i}").status_code == 302
        Throttle.delete().where(Throttle.key.startswith("sms-phone-minute")).execute()
    r = send(client, addr="10.3.0.9")
    assert r.status_code == 429 and "分钟后再试" in text(r)
    assert len(sms_inbox.messages()) == 5


def test_sends_are_limited_per_address(client, sms_inbox):
    for i in range(10):
        assert send(client, username=f"u{i}", phone=f"1370000{i:04d}", addr="10.4.0.1").status_code == 302
    r = send(client, addr="10.4.0.1")
    assert r.status_code == 429
    assert sms_inbox.messages() == []          # and t2001 got no code from this address


def test_the_limit_counts_unknown_accounts_too(client):
    send(client, username="ghost")
    assert send(client, username="ghost", addr="10.2.0.3").status_code == 429


def test_a_new_user_can_activate_through_sms(app, client, newcomer, sms_inbox):
    send(client, "20190001", PHONE)
    assert reset(client, sms_inbox.code(), username="20190001").status_code == 302
    assert User.get(User.username == "20190001").activated


def test_a_successful_reset_lifts_the_account_lock(app, client, sms_inbox):
    for _ in range(5):
        post_login(client, "t2001", "wrong-pass1")
    send(client)
    reset(client, sms_inbox.code())
    assert post_login(app.test_client(), "t2001", GOOD).status_code == 302


def _guess_race(app, n=12):
    with app.test_request_context():
        u = User.get(User.username == "t2001")
        code = issue_code(u)
        wrong = f"{(int(code) + 1) % 10**6:06d}"

    def work(i):
        with app.test_request_context():
            try:
                return check_code(User.get(User.username == "t2001"), wrong)
            finally:
                db.close()
    race(n, work)
    with app.app_context():
        row = OneTimeCode.get()
        assert row.guesses == 5 and row.void
    with app.test_request_context():
        assert not redeem_code(User.get(User.username == "t2001"), code)


def test_parallel_guesses_never_exceed_five_sqlite(app):
    _guess_race(app)


def test_parallel_guesses_never_exceed_five_postgres(pg_app):
    _guess_race(pg_app)


@pytest.mark.parametrize("gateway", ["log"])
def test_the_gateway_registry(gateway):
    from plugins.registry import RegistryError
    from plugins.sms import GATEWAYS
    assert gateway in GATEWAYS
    with pytest.raises(RegistryError):
        GATEWAYS.register(gateway, lambda phone, text: None)


def test_an_unknown_gateway_is_an_error_not_a_silent_drop(app_config):
    from app import create_app
    from plugins.registry import RegistryError
    from plugins.sms import send_sms
    app = create_app({**app_config, "SMS_GATEWAY": "nope"})
    with app.app_context(), pytest.raises(RegistryError):
        send_sms(T2001_PHONE, "x", app.config)
