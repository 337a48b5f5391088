"""The new-password policy, each refusal with its reason."""
import pytest

from app.auth.policy import common_passwords, password_problem
from tests.auth.conftest import GOOD, INITIAL, post_login, text


def change(client, new, old=INITIAL):
    return client.post("/password", data={"old_password": old, "new_password": new, "confirm": new})


@pytest.mark.parametrize("new, reason", [
    ("abc12", "密码长度必须大于6位"),
    ("abc123", "密码长度必须大于6位"),
    ("abcdefgh", "密码必须由英文字母和数字组成"),
    ("12345678", "密码必须由英文字母和数字组成"),
    ("abc_1234", "密码必须由英文字母和数字组成"),
    ("密码abc1234", "密码必须由英文字母和数字组成"),
    ("password1", "密码过于常见"),
    ("Woaini1314", "密码过于常见"),
    ("1qaz2wsx", "密码过于常见"),
    ("ab011234", "密码不能包含初始密码"),
    ("x20190001y", "密码不能包含用户名"),
    ("ab19900101", "密码不能包含身份证号中的出生日期"),
    ("ab900101c", "密码不能包含身份证号中的出生日期"),
])
def test_refused_passwords_say_why(client, newcomer, new, reason):
    post_login(client, "20190001", INITIAL)
    r = change(client, new)
    assert r.status_code == 200 and reason in text(r)
    assert client.get("/me/items").status_code == 302        # still not activated


def test_confirmation_must_match(client, newcomer):
    post_login(client, "20190001", INITIAL)
    r = client.post("/password", data={"old_password": INITIAL, "new_password": GOOD, "confirm": GOOD + "1"})
    assert "两次输入的密码不一致" in text(r)


def test_wrong_old_password_is_refused(client, newcomer):
    post_login(client, "20190001", INITIAL)
    r = change(client, GOOD, old="999999")
    assert "原密码不正确" in text(r)


def test_the_current_password_cannot_be_kept(login_as):
    r = change(login_as("t2001"), "demo1234", old="demo1234")
    assert "新密码不能与当前密码相同" in text(r)


def test_a_good_password_activates_the_account(client, newcomer):
    post_login(client, "20190001", INITIAL)
    r = change(client, GOOD)
    assert r.status_code == 302
    assert client.get("/me/items").status_code == 200


def test_the_page_states_the_rule(client, newcomer):
    post_login(client, "20190001", INITIAL)
    assert "密码必须由英文字母、数字组成并且密码长度必须大于6位" in text(client.get("/password"))


def test_fifteen_digit_id_cards_give_both_birth_date_forms():
    class Old:
        username, id_card, password_hash = "t1", "370102900101123", None
    assert password_problem(Old, "x19900101") == "密码不能包含身份证号中的出生日期"
    assert password_problem(Old, "ab900101c") == "密码不能包含身份证号中的出生日期"


def test_the_common_list_is_a_shipped_data_file_of_hundreds():
    common = common_passwords()
    assert len(common) >= 300
    assert {"password1", "abc123456", "qwerty123"} <= common
