"""找回密码 by 密保问题: set after login, answers normalised and hashed, shares the login's
lock-out, switchable off in configuration."""
import pytest

from app import create_app
from app.auth.recovery import QUESTIONS, normalise_answer
from app.models.accounts import SecurityQuestion
from tests.auth.conftest import GOOD, post_login, text

Q = QUESTIONS[2]              # 您的出生地是？


def set_question(client, answer="山东 济南", password="demo1234", question=Q):
    return client.post("/me/security", data={"question": question, "answer": answer, "password": password})


def recover(client, username="t2001", answer="山东济南", question=Q, new=GOOD, confirm=None):
    return client.post("/password/forgot/question", data={
        "username": username, "question": question, "answer": answer,
        "new_password": new, "confirm": confirm or new})


def test_setting_a_question_needs_the_current_password(login_as):
    client = login_as("t2001")
    r = set_question(client, password="not-mine1")
    assert "当前密码不正确" in text(r)
    assert SecurityQuestion.select().count() == 0
    assert set_question(client).status_code == 302
    assert Q in text(client.get("/me/profile"))


def test_the_answer_is_stored_only_as_a_hash(login_as):
    set_question(login_as("t2001"))
    row = SecurityQuestion.get()
    assert "济南" not in row.answer_hash and row.answer_hash.startswith("$argon2")


def test_a_second_setting_replaces_the_first(login_as):
    client = login_as("t2001")
    set_question(client)
    set_question(client, question=QUESTIONS[0], answer="王芳")
    assert SecurityQuestion.select().count() == 1 and SecurityQuestion.get().question == QUESTIONS[0]


@pytest.mark.parametrize("typed", ["山东济南", " 山东  济南 ", "山東济南".replace("東", "东"), "ＳＤ"])
def test_answers_are_normalised(typed):
    assert normalise_answer(typed) in ("山东济南", "sd")


def test_recovery_resets_the_password_and_ends_sessions(app, login_as, client):
    other = login_as("t2001")
    set_question(other, answer="Jinan City")
    r = recover(client, answer="  jinan   city")
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
    assert other.get("/me/profile").status_code == 302
    assert post_login(app.test_client(), "t2001", "demo1234").status_code == 200
    assert post_login(app.test_client(), "t2001", GOOD).status_code == 302


def test_wrong_answer_wrong_question_and_unknown_account_look_the_same(login_as, client):
    set_question(login_as("t2001"))
    answers = [recover(client, answer="北京"), recover(client, question=QUESTIONS[0]),
               recover(client, username="ghost"), recover(client, username="t2002")]
    for r in answers:
        assert r.status_code == 200 and "帐号、密保问题或答案不正确" in text(r)


def test_recovery_shares_the_login_lockout(login_as, client):
    set_question(login_as("t2001"))
    for _ in range(4):
        recover(client, answer="北京")
    r = post_login(client, "t2001", "wrong-pass1")
    assert "账号已锁定，请15分钟后再试" in text(r)
    r = recover(client)                                          # the right answer, too late
    assert "账号已锁定" in text(r)


def test_the_new_password_policy_applies_after_the_answer(login_as, client):
    set_question(login_as("t2001"))
    r = recover(client, new="t2001abcd")
    assert "密码不能包含用户名" in text(r)
    r = recover(client, new="short1")
    assert "密码长度必须大于6位" in text(r)


def test_an_account_without_a_question_cannot_recover_this_way(client):
    assert "请输入密保答案" in text(recover(client, answer=""))
    assert "帐号、密保问题或答案不正确" in text(recover(client, answer="任何答案"))


def test_a_tampered_question_is_a_form_error(client):
    r = recover(client, question="<script>x</script>")
    assert r.status_code == 200 and "<script>x</script>" not in text(r)


def test_the_page_has_both_tabs_and_the_guide_fields(client):
    page = text(client.get("/password/forgot/question"))
    for label in ("通过密保问题找回密码", "通过电话找回密码", "帐号", "密保问题", "密保答案",
                  "新密码", "确认密码", "返回登录", "修改密码",
                  "密码必须由英文字母、数字组成并且密码长度必须大于6位"):
        assert label in page, label


def test_questions_can_be_switched_off(app_config, user):
    app = create_app({**app_config, "RECOVERY_QUESTIONS_ENABLED": False})
    client = app.test_client()
    assert client.get("/password/forgot").headers["Location"].endswith("/password/forgot/sms")
    assert client.get("/password/forgot/question").status_code == 404
    assert "通过密保问题找回密码" not in text(client.get("/password/forgot/sms"))
    signed_in = app.test_client()
    post_login(signed_in, "t2001", "demo1234")
    assert signed_in.get("/me/security").status_code == 404
    assert "密保设置" not in text(signed_in.get("/me/profile"))
