"""deploy/: the nginx upload limit matches MAX_CONTENT_LENGTH; the units run what exists."""
import os
import re

from app.config import Defaults
from tests.conftest import ROOT

DEPLOY = os.path.join(ROOT, "deploy")


def read(name):
    with open(os.path.join(DEPLOY, name), encoding="utf-8") as f:
        return f.read()


def test_nginx_upload_limit_matches_the_apps():
    site = read("nginx-onehall.conf")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 1024 * 1024 == Defaults.MAX_CONTENT_LENGTH
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "Host"):
        assert f"proxy_set_header {header}" in site
    static = re.search(r"alias /srv/onehall/(\S+);", site).group(1)
    assert os.path.isdir(os.path.join(ROOT, static))


def test_units_start_the_web_and_the_worker_with_files_that_exist():
    web, worker = read("onehall-web.service"), read("onehall-worker.service")
    assert "gunicorn -c deploy/gunicorn.conf.py wsgi:app" in web
    assert os.path.isfile(os.path.join(ROOT, "deploy", "gunicorn.conf.py"))
    assert "flask --app wsgi worker" in worker
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/onehall/onehall.env" in unit and "RestartPreventExitStatus=3" in unit


def test_the_example_environment_names_only_real_settings():
    from app.config import settings
    names = re.findall(r"^([A-Z_]+)=", read("onehall.env.example"), re.M)
    assert names and set(names) <= set(settings())
