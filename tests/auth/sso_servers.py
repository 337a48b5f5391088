"""Real identity providers on loopback, started once per test session.

- CAS 3.0: django-mama-cas in its own virtualenv (``.venv-cas/``, Django 3.2 LTS, the last
  Django it supports; made by `make test` from tests/auth/cas-requirements.txt — a test never
  installs anything), serving a tiny Django project written here, with users, released
  attributes and single logout to our callback.
- OpenID Connect: oidc-provider-mock (authlib's server side, RS256 ID tokens, JWKS,
  discovery) from requirements-dev.txt, as its own process; a second one issues ID tokens
  that are already expired.

Each server binds port 0 and prints the port it got as its first line (no port is picked and
released before the server binds it). Under CI=true a server that cannot start fails the
test; elsewhere it is skipped.
"""
import hashlib
import json
import os
import selectors
import subprocess
import sys
import textwrap
import time
import urllib.request

import pytest

from tests.conftest import ROOT

CAS_VENV = os.path.join(ROOT, ".venv-cas")
CAS_REQUIREMENTS = os.path.join(ROOT, "tests", "auth", "cas-requirements.txt")
CAS_PASSWORD = "cas-Pass-2026"
CLIENT_ID, CLIENT_SECRET = "onehall-test", "onehall-test-secret"

# People the CAS server knows, with the attributes it releases to services.
CAS_PEOPLE = {
    "s2023001": {"name": "赵同学", "type": "student", "email": "s2023001@example.edu.cn"},
    "t2001": {"name": "李明", "type": "staff"},
    "newstaff": {"name": "钱新", "type": "staff", "department": "宣传部",
                 "email": "newstaff@example.edu.cn", "mobile": "13800001111"},
    "nodept": {"name": "孙无", "type": "staff", "department": "不存在学院"},
    "stranger": {"name": "周生", "type": "student"},
    "alias01": {"name": "李明", "employeeNumber": "t2001"},
}
# People the OIDC provider knows (sub → claims).
OIDC_PEOPLE = {
    "u-t2002": {"preferred_username": "t2002", "name": "张华", "email": "t2002@example.edu.cn"},
    "u-stranger": {"preferred_username": "oidcstranger", "name": "吴某"},
    "u-newbie": {"preferred_username": "oidcnew", "name": "郑新", "email": "oidcnew@example.edu.cn",
                 "phone_number": "13900002222", "department": "宣传部", "usertype": "student"},
}


def unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def serve(args, log_path, seconds: float = 30, **popen) -> tuple[int, subprocess.Popen]:
    """Start a server that binds port 0 and prints its port first; → (port, process)."""
    log = open(log_path, "wb")
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, **popen)
    log.close()
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(seconds)
    line = process.stdout.readline() if ready else b""
    if not line.strip().isdigit():
        stop(process)
        raise RuntimeError(f"no port reported within {seconds} s (got {line[:200]!r}); "
                           f"log: {open(log_path, encoding='utf-8', errors='replace').read()[-2000:]}")
    return int(line), process


def wait_for(url: str, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process) -> None:
    if process.stdout:
        process.stdout.close()
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


# ------------------------------------------------------------------ CAS

def cas_python() -> str:
    """The CAS virtualenv's python, made by `make test` (target .venv-cas/.installed-HASH)."""
    with open(CAS_REQUIREMENTS, "rb") as f:
        stamp = os.path.join(CAS_VENV, ".installed-" + hashlib.sha256(f.read()).hexdigest()[:12])
    if not os.path.exists(stamp):
        raise OSError(f"{CAS_VENV} is missing or older than {CAS_REQUIREMENTS}: "
                      "run `make test` (or `make test-servers`), which installs it")
    return os.path.join(CAS_VENV, "bin", "python")


# Django's own threaded development server (what runserver uses), on port 0.
CAS_SERVE = """
import django
django.setup()
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
server.set_app(get_wsgi_application())
print(server.server_port, flush=True)
server.serve_forever()
"""

# oidc-provider-mock's app on werkzeug's threaded server, on port 0; argv[1] holds its options.
OIDC_SERVE = """
import json, sys
from datetime import timedelta
import werkzeug.serving
from oidc_provider_mock import app
from oidc_provider_mock._storage import User
options = json.loads(sys.argv[1])
users = [User(sub=p["sub"], claims={k: v for k, v in p.items() if k != "sub"}) for p in options["people"]]
server = werkzeug.serving.make_server("127.0.0.1", 0, app(
    require_nonce=True, access_token_max_age=timedelta(seconds=options["token_max_age"]),
    user_claims=users), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


CAS_SETTINGS = """
SECRET_KEY = "mama-cas-test-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "casurls"
USE_TZ = True
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DB}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                  "django.contrib.messages", "mama_cas"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware",
              "django.middleware.common.CommonMiddleware",
              "django.middleware.csrf.CsrfViewMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware"]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [TEMPLATES_DIR],
              "APP_DIRS": True, "OPTIONS": {"context_processors": [
                  "django.template.context_processors.request",
                  "django.contrib.auth.context_processors.auth",
                  "django.contrib.messages.context_processors.messages"]}}]
MAMA_CAS_SERVICES = [{"SERVICE": r"^http://127\\.0\\.0\\.1:\\d+/", "CALLBACKS": ["casattrs.attributes"],
                      "LOGOUT_ALLOW": True}]
MAMA_CAS_FOLLOW_LOGOUT_URL = True
"""

CAS_URLS = """
from django.urls import include, path
urlpatterns = [path("cas/", include("mama_cas.urls"))]
"""

CAS_ATTRS = """
PEOPLE = {people}

def attributes(user, service):
    return PEOPLE.get(user.get_username(), {{}})
"""

CAS_SETUP = """
import django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import User
call_command("migrate", verbosity=0)
for name in {names}:
    User.objects.create_user(name, password={password})
"""

# mama-cas's own page loads Bootstrap from a CDN; the test server must not reach out.
CAS_BASE_TEMPLATE = """{% load i18n %}<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>CAS</title></head>
<body><main>{% block content %}{% endblock content %}</main></body></html>
"""


def write_cas_project(folder) -> None:
    files = {
        "casurls.py": CAS_URLS,
        "casattrs.py": CAS_ATTRS.format(people=json.dumps(CAS_PEOPLE, ensure_ascii=False)),
        "settings.py": f"DB = {str(folder / 'cas.db')!r}\nTEMPLATES_DIR = {str(folder / 'templates')!r}\n"
                       + CAS_SETTINGS,
        "setup_cas.py": CAS_SETUP.format(names=sorted(CAS_PEOPLE), password=repr(CAS_PASSWORD)),
        "serve_cas.py": CAS_SERVE,
        "templates/mama_cas/__base.html": CAS_BASE_TEMPLATE,
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    """The CAS server's base URL (CAS_SERVER_URL), e.g. http://127.0.0.1:PORT/cas."""
    folder = tmp_path_factory.mktemp("cas")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings", "PYTHONPATH": str(folder)}
    try:
        python = cas_python()
        write_cas_project(folder)
        subprocess.run([python, "setup_cas.py"], cwd=folder, env=env, check=True, capture_output=True,
                       timeout=120)
    except (subprocess.SubprocessError, OSError) as e:
        detail = getattr(e, "stderr", b"") or b""
        unavailable(f"CAS server (django-mama-cas) could not be set up: {e} {detail.decode()[-2000:]}")
    try:
        port, process = serve([python, "serve_cas.py"], folder / "server.log", cwd=folder, env=env)
    except RuntimeError as e:
        unavailable(f"CAS server did not start: {e}")
    url = f"http://127.0.0.1:{port}/cas"
    try:
        wait_for(f"{url}/login", process)
    except RuntimeError as e:
        stop(process)
        unavailable(f"CAS server did not answer: {e}\n{(folder / 'server.log').read_text()[-2000:]}")
    yield url
    stop(process)


# ------------------------------------------------------------------ OIDC

def start_oidc_provider(folder, token_max_age=3600):
    options = {"token_max_age": token_max_age,
               "people": [{"sub": sub, **claims} for sub, claims in OIDC_PEOPLE.items()]}
    log = folder / "oidc.log"
    try:
        port, process = serve([sys.executable, "-c", OIDC_SERVE, json.dumps(options, ensure_ascii=False)],
                              log, env={**os.environ, "NO_COLOR": "1", "AUTHLIB_INSECURE_TRANSPORT": "1"})
    except RuntimeError as e:
        unavailable(f"OIDC provider did not start: {e}")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/.well-known/openid-configuration", process)
    except RuntimeError as e:
        stop(process)
        unavailable(f"OIDC provider did not answer: {e}\n{log}")
    return url, process


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The issuer URL (OIDC_ISSUER) of a running OpenID provider."""
    url, process = start_oidc_provider(tmp_path_factory.mktemp("oidc"))
    yield url
    stop(process)


@pytest.fixture(scope="session")
def expired_oidc_provider(tmp_path_factory):
    """A provider whose ID tokens expired an hour before they were issued."""
    url, process = start_oidc_provider(tmp_path_factory.mktemp("oidc-expired"), token_max_age=-3600)
    yield url
    stop(process)
