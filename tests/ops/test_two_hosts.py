"""Two app processes (gunicorn) with different local instance folders, sharing one database
and one bucket, serve each other's files: upload on A, download on B, and back."""
import json
import os
import re
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import CHEAP_HASH, PASSWORD, ROOT, TEST_ID_CARD_KEY
from tests.e2e.walk import PDF
from tests.ops.s3server import bucket, free_port, keys, s3_config, s3_endpoint, wait_listening  # noqa: F401

SEAL = "/services/seal-request/start"
SEAL_FORM = {"phone": "13800000000", "seal_type": "学校公章", "document": "合作协议", "copies": "2",
             "purpose": "对外合作", "is_contract": "否"}


class Host:
    def __init__(self, name, tmp_path, shared_env):
        self.folder = tmp_path / name
        (self.folder / "instance").mkdir(parents=True)
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ONEHALL_", "STORAGE_", "S3_"))}
        env.update(shared_env, INSTANCE_PATH=str(self.folder / "instance"),
                   UPLOAD_DIR=str(self.folder / "uploads"), PYTHONPATH=ROOT)
        self.log = open(self.folder / "gunicorn.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        wait_listening(self.port, self.proc, seconds=60)
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()

    def get(self, path, **kw):
        return self.http.get(self.url + path, timeout=30, allow_redirects=False, **kw)

    def post(self, path, **kw):
        return self.http.post(self.url + path, timeout=30, allow_redirects=False, **kw)

    def login(self, username):
        token = csrf(self.get("/login").text)
        assert self.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token}).status_code == 302

    def submit_with(self, filename, content):
        page = self.get(SEAL).text
        hidden = {n: re.search(rf'name="{n}" value="([^"]*)"', page).group(1)
                  for n in ("csrf_token", "serial_token", "idempotency_key")}
        done = self.post(SEAL, data=dict(SEAL_FORM, op="submit", **hidden),
                         files={"attachments": (filename, content, "application/pdf")})
        assert done.status_code == 302, done.text[:500]
        return done.headers["Location"].rsplit("/", 1)[1]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def csrf(page):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def attachment_link(page, filename):
    return re.search(rf'href="(/attachments/[0-9a-f]+)"[^>]*>{re.escape(filename)}</a>', page).group(1)


@pytest.fixture
def hosts(tmp_path, seeded_db_file, s3_endpoint, bucket):
    import shutil
    name, s3 = bucket
    shutil.copy(seeded_db_file, tmp_path / "shared.db")
    shared = {"SECRET_KEY": "two-hosts-" + name, "ID_CARD_KEY": TEST_ID_CARD_KEY,
              "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}", "HUEY_URL": f"sqlite:///{tmp_path / 'huey.db'}",
              "PASSWORD_HASH": json.dumps(CHEAP_HASH), **s3_config(s3_endpoint, name, prefix="hall")}
    started = []
    try:
        for host in ("a", "b"):
            started.append(Host(host, tmp_path, shared))
        yield started[0], started[1], name, s3
    finally:
        for host in started:
            host.stop()


def test_upload_on_one_host_download_on_the_other(hosts):
    a, b, name, s3 = hosts
    for host in (a, b):
        host.login("t2001")
    content_a = PDF + b"% from host A " + str(time.time()).encode()
    serial = a.submit_with("甲机上传.pdf", content_a)
    link = attachment_link(b.get(f"/instances/{serial}").text, "甲机上传.pdf")   # B shows A's instance
    got = b.get(link)
    assert got.status_code == 200 and got.content == content_a

    content_b = PDF + b"% from host B"
    serial_b = b.submit_with("乙机上传.pdf", content_b)
    link_b = attachment_link(a.get(f"/instances/{serial_b}").text, "乙机上传.pdf")
    assert a.get(link_b).content == content_b

    leader = requests.Session()                 # another user, through A only, reads B's file
    a.http, mine = leader, a.http
    a.login("t2002")
    assert a.get(link_b).content == content_b
    a.http = mine

    stored = keys(s3, name)
    assert len(stored) == 2 and all(k.startswith("hall/uploads/") for k in stored)
    for host in (a, b):                          # nothing on either host's own disk
        uploads = host.folder / "uploads"
        assert not uploads.exists() or not [p for p in uploads.iterdir() if p.is_file()]
