"""Who may call the API: tokens, sessions, CSRF, and JSON errors for everything."""
import re

import pytest

from app import create_app
from app.db import db
from tests.conftest import login

WEEKLY = {"data": {"items": [{"text": "完成接口开发"}]}, "submit": True}
START = "/api/v1/services/weekly-report/instances"


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/me/items"), ("get", "/api/v1/instances/1"),
    ("post", "/api/v1/instances/1/actions"), ("post", START),
])
def test_private_endpoints_need_auth(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer", "Basic dXNlcjpwdw=="])
def test_a_bad_authorization_header_is_401(client, header):
    response = client.get("/api/v1/me/items", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"


def test_a_token_of_a_deactivated_user_is_401(api):
    from app.models import User
    client = api("t2001")
    User.update(is_active=False).where(User.username == "t2001").execute()
    assert client.get("/api/v1/me/items").status_code == 401


def test_session_callers_may_read(login_as):
    response = login_as("t2001").get("/api/v1/me/items")
    assert response.status_code == 200
    assert response.json["total"] == 0


def test_a_session_on_the_initial_password_is_refused(app, client):
    from app.people.directory import add_user
    add_user("t0001", name="新教工", type="staff", department_name="宣传部",
             id_card="370102199001011234")
    login(client, "t0001", "011234")
    for response in (client.get("/api/v1/me/items"), client.get("/api/v1/services"),
                     client.post(START, json=WEEKLY)):
        assert response.status_code == 403
        assert response.json["error"] == "password_change_required"


def test_a_token_of_an_account_on_its_initial_password_is_refused(app):
    """A token issued before the first login must not bypass the forced password change."""
    from app.people.directory import add_user, new_token
    token = new_token(add_user("t0002", name="新教工", type="staff", department_name="宣传部",
                               id_card="370102199001011234"))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for response in (client.get("/api/v1/me/items", headers=headers),
                     client.post(START, json=WEEKLY, headers=headers)):
        assert response.status_code == 403
        assert response.json["error"] == "password_change_required"
        assert "修改初始密码" in response.json["message"]
    from app.models import User
    User.update(activated=True).where(User.username == "t0002").execute()
    assert client.get("/api/v1/me/items", headers=headers).status_code == 200


# ---------------------------------------------------------------- CSRF

@pytest.fixture
def csrf_app(app_config):
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        db.connect(reuse_if_open=True)
        yield app
        if not db.is_closed():
            db.close()


def csrf_login(app, username="t2001"):
    """Sign in through the real form; return (client, its CSRF token)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": "demo1234",
                                           "csrf_token": token})
    assert response.status_code == 302
    return client, token


def test_session_post_without_csrf_token_is_refused(csrf_app):
    client, _ = csrf_login(csrf_app)
    response = client.post(START, json=WEEKLY)
    assert response.status_code == 400
    assert response.json["error"] == "csrf"
    assert client.post(START, json=WEEKLY, headers={"X-CSRFToken": "forged"}).status_code == 400


def test_session_post_with_csrf_token_is_accepted(csrf_app):
    client, token = csrf_login(csrf_app)
    response = client.post(START, json=WEEKLY, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.json


def test_session_get_needs_no_csrf_token(csrf_app):
    client, _ = csrf_login(csrf_app)
    assert client.get("/api/v1/me/items").status_code == 200


def test_bearer_post_needs_no_csrf_token(csrf_app, user):
    from app.people.directory import new_token
    token = new_token(user("t2001"))
    response = csrf_app.test_client().post(START, json=WEEKLY,
                                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.json


# ---------------------------------------------------------------- JSON errors

@pytest.mark.parametrize("raw", ['{"data": ', "not json", '{"a": 1}}'])
def test_malformed_json_is_a_json_400(api, raw):
    response = api("t2001").post(START, data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.is_json
    assert set(response.json) == {"error", "message", "fields"}


@pytest.mark.parametrize("raw", ["[" * 100_000, '{"data": ' * 50_000, "[" * 100_000 + "]" * 100_000])
def test_over_deep_json_is_a_json_400_not_a_500(api, raw):
    client = api("t2001")
    serial = client.post(START, json=WEEKLY).json["serial"]
    for path in (START, f"/api/v1/instances/{serial}/actions"):
        response = client.post(path, data=raw, content_type="application/json")
        assert response.status_code == 400, response.get_data(as_text=True)[:200]
        assert set(response.json) == {"error", "message", "fields"}
        assert "嵌套过深" in response.json["message"] or "JSON" in response.json["message"]


@pytest.mark.parametrize("raw", ["[]", '"text"', "null", "1"])
def test_json_that_is_not_an_object_is_422(api, raw):
    response = api("t2001").post(START, data=raw, content_type="application/json")
    assert response.status_code == 422
    assert "body" in response.json["fields"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.is_json and response.json["error"] == "not_found"


def test_wrong_method_is_json_405(api):
    response = api("t2001").get("/api/v1/instances/1/actions")
    assert response.status_code == 405
    assert response.is_json and response.json["error"] == "method_not_allowed"
    assert api("t2001").client.delete("/api/v1/services").status_code == 405


def test_non_numeric_serial_is_json_404(api):
    response = api("t2001").get("/api/v1/instances/abc")
    assert response.status_code == 404 and response.is_json
