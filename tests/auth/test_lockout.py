"""Lock-out per account (5 failures → 15 minutes, the remaining time shown), a limit per
client address, and counters that stay right under concurrent attempts."""
import re
from datetime import timedelta

from app.db import db
from app.models import utcnow
from app.models.accounts import Throttle
from tests.auth.conftest import post_login, race, text

WRONG = "wrong-pass1"


def fail_times(client, username, n, **kw):
    return [post_login(client, username, WRONG, **kw) for _ in range(n)]


def test_five_failures_lock_the_account_with_the_time_left(client):
    answers = [text(r) for r in fail_times(client, "t2001", 5)]
    assert "用户名或密码错误" in answers[0]
    assert "再错1次账号将被锁定15分钟" in answers[3]
    assert "账号已锁定，请15分钟后再试" in answers[4]
    r = post_login(client, "t2001", "demo1234")               # even the right password
    assert r.status_code == 200 and "账号已锁定，请15分钟后再试" in text(r)


def test_the_remaining_minutes_count_down(client):
    fail_times(client, "t2001", 5)
    (Throttle.update(locked_until=utcnow() + timedelta(minutes=3, seconds=10))
     .where(Throttle.key == "login-account:t2001").execute())
    assert "账号已锁定，请4分钟后再试" in text(post_login(client, "t2001", "demo1234"))


def test_the_lock_ends_after_its_time(client):
    fail_times(client, "t2001", 5)
    past = utcnow() - timedelta(seconds=1)
    (Throttle.update(locked_until=past, window_start=past - timedelta(minutes=15))
     .where(Throttle.key == "login-account:t2001").execute())
    assert post_login(client, "t2001", "demo1234").status_code == 302


def test_a_success_resets_the_account_counter(client):
    fail_times(client, "t2001", 4)
    assert post_login(client, "t2001", "demo1234").status_code == 302
    client.post("/logout")
    answers = [text(r) for r in fail_times(client, "t2001", 4)]
    assert not any("锁定，请" in a for a in answers)


def test_unknown_usernames_lock_the_same_way(client):
    answers = [text(r) for r in fail_times(client, "no-such-user", 5)]
    assert "账号已锁定，请15分钟后再试" in answers[4]


def test_a_lock_is_per_account(app, client):
    fail_times(client, "t2001", 5)
    assert post_login(app.test_client(), "t2002", "demo1234").status_code == 302


def test_one_address_is_limited_across_accounts(app):
    client = app.test_client()
    addr = {"environ_base": {"REMOTE_ADDR": "10.0.0.9"}}
    for i in range(20):
        client.post("/login", data={"username": f"user{i}", "password": WRONG}, **addr)
    r = client.post("/login", data={"username": "t2001", "password": "demo1234"}, **addr)
    assert "该地址登录失败次数过多，请15分钟后再试" in text(r)
    other = app.test_client().post("/login", data={"username": "t2001", "password": "demo1234"},
                                   environ_base={"REMOTE_ADDR": "10.0.0.10"})
    assert other.status_code == 302


def test_successes_do_not_use_up_the_address(app):
    for _ in range(25):
        r = app.test_client().post("/login", data={"username": "t2001", "password": "demo1234"},
                                   environ_base={"REMOTE_ADDR": "10.0.0.11"})
        assert r.status_code == 302


def test_trusted_proxy_puts_the_real_client_address_in_remote_addr(app_config):
    from app import create_app
    app = create_app({**app_config, "TRUSTED_PROXIES": 1})
    for i in range(20):
        app.test_client().post("/login", data={"username": f"u{i}", "password": WRONG},
                               headers={"X-Forwarded-For": "203.0.113.5"})
    r = app.test_client().post("/login", data={"username": "t2001", "password": "demo1234"},
                               headers={"X-Forwarded-For": "203.0.113.6"})
    assert r.status_code == 302
    with app.app_context():
        assert Throttle.get(Throttle.key == "login-address:203.0.113.5").locked_until is not None


def racing_logins(app, n=10):
    """n wrong passwords for t2001 at once: exactly five are checked, the rest are locked out."""
    def work(i):
        try:
            r = app.test_client().post("/login", data={"username": "t2001", "password": WRONG},
                                       environ_base={"REMOTE_ADDR": f"10.1.0.{i}"})
            return text(r)
        finally:
            if not db.is_closed():
                db.close()
    answers = race(n, work)
    left = sorted(int(m.group(1)) for a in answers if (m := re.search(r"再错(\d)次", a)))
    plain = [a for a in answers if "用户名或密码错误" in a and "再错" not in a]
    locked = [a for a in answers if "账号已锁定" in a]
    assert len(plain) == 1 and left == [1, 2, 3], answers    # every count seen exactly once
    assert len(locked) == n - 4
    with app.app_context():
        assert Throttle.get(Throttle.key == "login-account:t2001").count >= 5
    r = app.test_client().post("/login", data={"username": "t2001", "password": "demo1234"})
    assert "账号已锁定" in text(r)


def test_counter_is_right_under_concurrent_attempts_sqlite(app):
    racing_logins(app)


def test_counter_is_right_under_concurrent_attempts_postgres(pg_app):
    racing_logins(pg_app)


def hits_are_never_lost(app, n=40):
    from app.auth import throttle

    def work(i):
        with app.app_context():
            try:
                return throttle.hit(throttle.SMS_ADDRESS_HOUR, "race").count
            finally:
                db.close()
    counts = race(n, work)
    assert sorted(counts) == list(range(1, n + 1))


def test_throttle_hits_are_never_lost_sqlite(app):
    hits_are_never_lost(app)


def test_throttle_hits_are_never_lost_postgres(pg_app):
    hits_are_never_lost(pg_app)
