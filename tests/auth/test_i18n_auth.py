"""The accounts pages in English (cookie lang=en) still work; Chinese stays the default."""
from app.models import User
from tests.auth.conftest import GOOD, INITIAL, PHONE, activate, post_login, text


def english(client):
    client.set_cookie("lang", "en")
    return client


def test_chinese_is_the_default_on_the_login_page(client):
    html = text(client.get("/login"))
    for label in ("统一身份认证登录", "用户名（工号/学号）", "记住我（14天）", "找回密码", "身份证后六位"):
        assert label in html, label
    assert "Unified identity login" not in html and "Forgot password?" not in html
    r = post_login(client, "t2001", "wrong-1")
    assert "用户名或密码错误" in text(r)


def test_english_login_page_shows_english_labels(client):
    html = text(english(client).get("/login"))
    assert '<html lang="en">' in html
    for label in ("Unified identity login", "Username (staff/student no.)", "Password",
                  "Remember me (14 days)", "Forgot password?", "last six characters of your ID card"):
        assert label in html, label
    assert "统一身份认证登录" not in html and "记住我" not in html


def test_logging_in_in_english_works(client):
    r = post_login(english(client), "t2001", "demo1234", next="/me/items")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert "To do" in text(client.get("/me/items"))


def test_a_wrong_password_in_english_says_so_in_english_and_counts(client):
    english(client)
    html = text(post_login(client, "t2001", "wrong-1"))
    assert "Wrong username or password" in html and "用户名或密码错误" not in html
    post_login(client, "t2001", "wrong-2")
    html = text(post_login(client, "t2001", "wrong-3"))          # 2 tries left of 5
    assert "Wrong username or password. 2 more wrong attempts lock the account for 15 min" in html
    html = text(post_login(client, "t2001", "wrong-4"))
    assert "1 more wrong attempt locks the account" in html
    post_login(client, "t2001", "wrong-5")
    html = text(post_login(client, "t2001", "demo1234"))         # locked: even the right one fails
    assert "Account locked, try again in 15 minutes" in html
    assert post_login(client, "t2001", "demo1234").status_code == 200


def test_empty_login_form_errors_are_english(client):
    html = text(english(client).post("/login", data={"username": "", "password": ""}))
    assert "Enter your username" in html and "Enter your password" in html


def test_first_login_and_password_policy_in_english(client, newcomer):
    english(client)
    r = post_login(client, "20190001", INITIAL)
    assert r.status_code == 302
    html = text(client.get(r.headers["Location"]))
    assert "First login: please change your initial password" in html
    assert "letters and digits and be longer than 6 characters" in html        # the rule text
    bad = {"old_password": INITIAL, "new_password": "x20190001y", "confirm": "x20190001y"}
    html = text(client.post("/password", data=bad))
    assert "The password may not contain the username (staff/student no.)" in html
    html = text(client.post("/password", data={**bad, "new_password": "short1", "confirm": "other"}))
    assert "The password must be longer than 6 characters" in html and "do not match" in html
    r = client.post("/password", data={"old_password": INITIAL, "new_password": GOOD, "confirm": GOOD})
    assert r.status_code == 302 and User.get(User.username == "20190001").activated


def test_forgot_password_in_english(client, newcomer):
    r = english(client).get("/password/forgot")
    assert r.status_code == 302
    html = text(client.get(r.headers["Location"]))
    for label in ("Forgot password?", "Reset with security question", "Reset by phone",
                  "Security question", "Where were you born?", "Back to login", "Change password"):
        assert label in html, label
    assert 'value="您的出生地是？"' in html                        # the stored value stays Chinese
    answer = {"username": "20190001", "question": "您的出生地是？", "answer": "北京",
              "new_password": GOOD, "confirm": GOOD}
    html = text(client.post("/password/forgot/question", data=answer))
    assert "Wrong username, security question or answer" in html


def test_reset_by_security_question_in_english(client, newcomer):
    activate(english(client))
    client.post("/me/security", data={"question": "您的出生地是？", "answer": "济南", "password": GOOD})
    client.post("/logout")
    reset = {"username": "20190001", "question": "您的出生地是？", "answer": "济南",
             "new_password": "Qlu7Lake9", "confirm": "Qlu7Lake9"}
    r = client.post("/password/forgot/question", data=reset)
    assert r.status_code == 302
    assert "Password reset; log in with your new password" in text(client.get(r.headers["Location"]))
    assert post_login(client, "20190001", "Qlu7Lake9").status_code == 302


def test_sms_recovery_in_english(client, newcomer, sms_inbox):
    english(client)
    html = text(client.get("/password/forgot/sms"))
    assert "Step 1: get an SMS code" in html and "Send code" in html
    r = client.post("/password/forgot/sms/send", data={"username": "20190001", "phone": PHONE})
    html = text(client.get(r.headers["Location"]))
    assert "a code was sent to that phone; it is valid for 10 minutes" in html
    assert "您正在找回密码" in sms_inbox.messages()[-1]               # the SMS itself stays Chinese
    r = client.post("/password/forgot/sms/send", data={"username": "20190001", "phone": PHONE})
    assert r.status_code == 429 and "Too many codes requested, try again in" in text(r)
    reset = {"username": "20190001", "code": sms_inbox.code(), "new_password": GOOD, "confirm": GOOD}
    r = client.post("/password/forgot/sms", data=reset)
    assert r.status_code == 302
    assert "Password reset; log in with your new password" in text(client.get(r.headers["Location"]))
    assert post_login(client, "20190001", GOOD).status_code == 302


def test_profile_security_and_notification_pages_in_english(client, newcomer):
    activate(english(client))
    html = text(client.get("/me/profile"))
    for label in ("My profile", "Department", "ID card no.", "Show full number", "Not set"):
        assert label in html, label
    html = text(client.get("/me/security"))
    assert "No security question yet" in html and ">Where were you born?</option>" in html
    r = client.post("/me/security", data={"question": "您的出生地是？", "answer": "济南", "password": GOOD})
    assert r.status_code == 302
    html = text(client.get(r.headers["Location"]))
    assert "Security question set" in html and "Where were you born?" in html
    assert "Current security question: Where were you born?" in text(client.get("/me/security"))
    html = text(client.get("/me/notifications"))
    assert "My notifications" in html and "unread" in html and "Notification settings" in html
    html = text(client.get("/me/notifications/settings"))
    assert "In-app message (always on)" in html and "WeCom bot webhook URL" in html
    assert "站内消息" not in html


def test_login_required_message_follows_the_language(client):
    client.set_cookie("lang", "en")
    page = client.get("/me/items", follow_redirects=True).get_data(as_text=True)
    assert "Please log in first" in page and "请先登录" not in page
    client.set_cookie("lang", "zh_CN")
    assert "请先登录" in client.get("/me/items", follow_redirects=True).get_data(as_text=True)
