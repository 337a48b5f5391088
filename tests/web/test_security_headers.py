"""Security headers on every response: pages, errors, the API, static files, the designer."""
import re

import pytest

PATHS = ["/", "/login", "/services", "/nowhere", "/api/v1/services", "/api/v1/nowhere",
         "/static/js/form.js", "/designer/"]


def check(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    return directives


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(client, path):
    check(client.get(path))


def test_signed_in_pages_and_the_designer_too(login_as):
    admin = login_as("admin")
    for path in ("/me/items", "/designer/", "/designer/audit/", "/designer/users/"):
        response = admin.get(path)
        assert response.status_code == 200, path
        check(response)


def test_each_response_has_its_own_nonce_and_inline_scripts_carry_it(login_as):
    admin = login_as("admin")
    pages = [admin.get("/designer/users/"), admin.get("/designer/users/")]
    nonces = [re.search(r"'nonce-([^']+)'", check(p)["script-src"]).group(1) for p in pages]
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 16
    html = pages[1].get_data(as_text=True)
    given = re.findall(r'<script[^>]*\bnonce="([^"]*)"', html)      # Flask-Admin's tags
    assert given and set(given) == {nonces[1]}
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all(f'nonce="{nonces[1]}"' in attrs for attrs in inline)
    assert not re.search(r"\son[a-z]+=", html)                    # no inline event handlers


@pytest.mark.parametrize("path", ["/", "/services/weekly-report/start", "/me/profile"])
def test_our_pages_have_no_inline_scripts_or_handlers(login_as, path):
    html = login_as("t2001").get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "javascript:" not in html


def test_form_action_allows_the_cas_server_that_logout_redirects_to(app_config):
    from app import create_app
    app = create_app({**app_config, "CAS_SERVER_URL": "https://cas.example.edu.cn/cas"})
    directives = check(app.test_client().get("/login"))
    assert directives["form-action"] == "'self' https://cas.example.edu.cn"

