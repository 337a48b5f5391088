"""Username = 工号/学号; the initial password (last six of the ID card) opens only the
change-password page, and only until the account is activated."""
import time

import pytest

from app import create_app
from app.models import User
from app.people.passwords import hash_password, initial_password
from tests.auth.conftest import GOOD, INITIAL, activate, post_login, text

START = "/api/v1/services/weekly-report/instances"


def test_initial_password_is_stored_only_as_a_hash(newcomer):
    row = User.get(User.username == "20190001")
    assert INITIAL not in row.password_hash and row.password_hash.startswith("$argon2")
    assert not row.activated


def test_initial_password_session_reaches_only_the_password_page(client, newcomer):
    r = post_login(client, "20190001", INITIAL)
    assert r.status_code == 302 and "/password" in r.headers["Location"]
    for path in ("/", "/me/items", "/me/profile", "/me/security", "/services"):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].endswith("/password"), path
    assert client.get("/password").status_code == 200


def test_the_api_refuses_an_initial_password_session(client, newcomer):
    post_login(client, "20190001", INITIAL)
    for r in (client.get("/api/v1/me/items"), client.get("/api/v1/services"),
              client.post(START, json={"data": {}, "submit": False})):
        assert r.status_code == 403 and r.json["error"] == "password_change_required"
    activate_same = client.post("/password", data={"old_password": INITIAL, "new_password": GOOD,
                                                   "confirm": GOOD})
    assert activate_same.status_code == 302
    assert client.get("/api/v1/me/items").status_code == 200


def test_lower_case_x_in_the_id_card_is_the_same_initial_password(client, app):
    from app.people.directory import add_user
    add_user("20190002", name="赵六", type="staff", id_card="11010519491231002X")
    assert post_login(client, "20190002", "31002x").status_code == 302


def test_after_activation_the_initial_password_stops_working(client, app, newcomer):
    activate(client)
    client.post("/logout")
    r = post_login(app.test_client(), "20190001", INITIAL)
    assert r.status_code == 200 and "用户名或密码错误" in text(r)
    assert post_login(app.test_client(), "20190001", GOOD).status_code == 302


def test_initial_password_set_again_by_an_admin_still_fails(client, app, newcomer):
    activate(client)
    User.update(password_hash=hash_password(INITIAL)).where(User.username == "20190001").execute()
    r = post_login(app.test_client(), "20190001", INITIAL)
    assert r.status_code == 200 and "用户名或密码错误" in text(r)


def test_a_reset_to_not_activated_lets_the_initial_password_in_again(client, app, newcomer):
    """An administrator resetting the account (activated=False) is the way back."""
    activate(client)
    (User.update(password_hash=hash_password(INITIAL), activated=False)
     .where(User.username == "20190001").execute())
    r = post_login(app.test_client(), "20190001", INITIAL)
    assert r.status_code == 302 and "/password" in r.headers["Location"]


def test_known_and_unknown_usernames_get_the_same_answer(client):
    known = post_login(client, "t2001", "wrong-pass1")
    unknown = post_login(client, "nobody-here", "wrong-pass1")
    assert known.status_code == unknown.status_code == 200
    assert "用户名或密码错误" in text(known) and "用户名或密码错误" in text(unknown)


def test_a_disabled_account_cannot_log_in(client):
    User.update(is_active=False).where(User.username == "t2001").execute()
    r = post_login(client, "t2001", "demo1234")
    assert r.status_code == 200 and "用户名或密码错误" in text(r)


def test_empty_and_oversized_input_is_a_form_error_not_a_500(client):
    r = post_login(client, "", "")
    assert r.status_code == 200 and "请输入用户名" in text(r)
    r = post_login(client, "x" * 500, "y" * 5000)
    assert r.status_code == 200


def test_unknown_usernames_take_as_long_as_known_ones(app_config):
    """The same timing shape: an unknown name costs one argon2 verification too."""
    app = create_app({**app_config, "PASSWORD_HASH": {"time_cost": 2, "memory_cost": 32768,
                                                      "parallelism": 1}})
    with app.app_context():
        User.update(password_hash=hash_password("demo1234")).where(User.username == "t2001").execute()

    def median(username):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            post_login(app.test_client(), username, "wrong-pass1")
            times.append(time.perf_counter() - start)
        return sorted(times)[1]
    median("t2002")                                   # warm-up
    known, unknown = median("t2001"), median("nobody-at-all")
    assert unknown > known * 0.5, (known, unknown)


@pytest.mark.parametrize("id_card, expected", [("370102199001011234", "011234"),
                                               ("11010519491231002x", "31002X"),
                                               ("123", None), (None, None)])
def test_initial_password_is_the_last_six(id_card, expected):
    assert initial_password(id_card) == expected
