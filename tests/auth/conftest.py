"""Account fixtures: a newcomer still on the initial password, helpers for forms and codes."""
import re
import threading

import pytest

ID_CARD = "370102199001011234"          # born 1990-01-01; initial password 011234
INITIAL = "011234"
PHONE = "13912345678"
GOOD = "Sdq2019x"                        # passes the policy


@pytest.fixture
def newcomer(app):
    """A staff member added with an ID card and a phone, not yet activated."""
    from app.people.directory import add_user
    return add_user("20190001", name="王五", type="staff", department_name="宣传部",
                    id_card=ID_CARD, phone=PHONE)


def post_login(client, username, password, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


def text(response) -> str:
    return response.get_data(as_text=True)


def activate(client, username="20190001", old=INITIAL, new=GOOD):
    """Log in with ``old`` and change it to ``new``; returns the client, signed in."""
    assert post_login(client, username, old).status_code == 302
    r = client.post("/password", data={"old_password": old, "new_password": new, "confirm": new})
    assert r.status_code == 302, text(r)
    return client


@pytest.fixture
def sms_inbox(app):
    """Messages sent through the stand-in gateway (tests/smsinbox.py); ``.code()`` is the
    latest code."""
    from tests import smsinbox
    app.config["SMS_GATEWAY"] = "test-inbox"
    smsinbox.SENT.clear()

    class Inbox:
        def messages(self):
            return [f"{phone}: {text}" for phone, text in smsinbox.SENT]

        def code(self):
            found = [re.search(r"验证码(\d{6})", m) for m in self.messages()]
            found = [m.group(1) for m in found if m]
            assert found, "no SMS code was sent"
            return found[-1]
    yield Inbox()
    smsinbox.SENT.clear()


def race(n, work):
    """Run ``work(i)`` in ``n`` threads released together; return their results in order."""
    barrier = threading.Barrier(n)
    results = [None] * n
    errors = []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as e:                      # reported by the assertion below
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


from tests.auth.sso_servers import cas_server, expired_oidc_provider, oidc_provider  # noqa: E402,F401


@pytest.fixture
def sso_site(tmp_path, seeded_db_file):
    """start(**config) → the app on a free port (a fresh copy of the seeded database) with
    the given 统一身份认证 settings."""
    import shutil

    from app import create_app
    from tests.browser import LiveServer
    from tests.conftest import make_config
    servers = []

    def start(**config):
        shutil.copy(seeded_db_file, tmp_path / "onehall.db")
        app = create_app(make_config(tmp_path, TESTING=False, WTF_CSRF_ENABLED=True, **config))
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.__exit__(None, None, None)
