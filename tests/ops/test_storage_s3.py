"""STORAGE_URL=s3://…: attachments, exports and kept originals in a real S3-compatible server
(moto over HTTP); a storage failure refuses the upload in the form; a bad storage stops start-up."""
import io
import os
import re
import subprocess
import sys

import pytest

from app import create_app
from app.models import Attachment, Instance
from tests.conftest import ROOT, login, make_config
from tests.e2e.walk import PDF
from tests.ops.s3server import bucket, client, keys, moto_server, s3_config, s3_endpoint  # noqa: F401

SEAL = "/services/seal-request/start"
SEAL_FORM = {"phone": "13800000000", "seal_type": "学校公章", "document": "合作协议", "copies": "2",
             "purpose": "对外合作", "is_contract": "否"}


@pytest.fixture
def s3_app(app_config, s3_endpoint, bucket):
    name, s3 = bucket
    app = create_app(dict(app_config, **s3_config(s3_endpoint, name)))
    return app, name, s3


def post_seal(client, **changes):
    data = dict(SEAL_FORM, op="submit", attachments=[(io.BytesIO(PDF), "合同.pdf")], **changes)
    return client.post(SEAL, data=data, content_type="multipart/form-data")


def test_an_attachment_lives_in_the_bucket_and_downloads_from_it(s3_app, tmp_path):
    app, name, s3 = s3_app
    me = login(app.test_client(), "t2001")
    done = post_seal(me)
    assert done.status_code == 302
    with app.app_context():
        attachment = Attachment.get(Attachment.filename == "合同.pdf")
    assert keys(s3, name) == [f"onehall/uploads/{attachment.stored_name}"]
    assert not os.path.exists(os.path.join(app.config["UPLOAD_DIR"], attachment.stored_name))
    got = me.get(f"/attachments/{attachment.token}")
    assert got.status_code == 200 and got.data == PDF


def test_a_storage_failure_answers_in_the_form_and_saves_nothing(s3_app):
    app, name, s3 = s3_app
    with app.app_context():
        before = (Instance.select().count(), Attachment.select().count())
    s3.delete_bucket(Bucket=name)                       # the bucket is gone under the running app
    response = post_seal(login(app.test_client(), "t2001"), document="我的合作协议")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "文件存储暂时不可用" in page and 'value="我的合作协议"' in page
    with app.app_context():
        assert (Instance.select().count(), Attachment.select().count()) == before


def test_a_download_while_the_server_is_down_is_503_not_a_traceback(app_config):
    with moto_server() as endpoint:
        client(endpoint).create_bucket(Bucket="onehall")
        app = create_app(dict(app_config, **s3_config(endpoint, "onehall")))
        me = login(app.test_client(), "t2001")
        assert post_seal(me).status_code == 302
    with app.app_context():
        token = Attachment.get(Attachment.filename == "合同.pdf").token
    response = me.get(f"/attachments/{token}")                  # the server has stopped
    assert response.status_code == 503 and "文件存储暂时不可用" in response.get_data(as_text=True)
    refused = post_seal(me, document="第二份")
    assert refused.status_code == 422 and "文件存储暂时不可用" in refused.get_data(as_text=True)


def test_exports_and_user_import_originals_go_to_the_bucket(s3_app, tmp_path):
    from app.exports import jobs
    from app.models import Service, User
    from app.storage import current
    from designer import accounts
    app, name, s3 = s3_app
    with app.app_context():
        admin = User.get(User.username == "admin")
        job = jobs.create_job(Service.get(Service.slug == "seal-request"), admin, "csv", {})
        jobs.run_job(job.id, current())
        job = type(job).get_by_id(job.id)
        assert job.status == "done" and job.file_path.startswith("exports/export-")
        imported = accounts.new_import_job("users.csv", "username,name,type\nx1,某人,staff\n".encode(), admin)
        plan = accounts.preview_job(imported)            # read back from the bucket
        assert [r.username for r in plan.rows] + [e[1] for e in plan.errors] == ["x1"]
    stored = keys(s3, name)
    assert f"onehall/{job.file_path}" in stored and f"onehall/{imported.path}" in stored
    admin_client = login(app.test_client(), "admin")
    download = admin_client.get(f"/exports/jobs/{job.id}/download")
    assert download.status_code == 200 and "流水号".encode("utf-8") in download.data
    with app.app_context():
        assert jobs.purge_old_exports(app.config, now=job.finished + jobs.timedelta(days=8)) == 1
    assert f"onehall/{job.file_path}" not in keys(s3, name)


def start_app(env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("STORAGE_URL", "S3_ENDPOINT_URL")}
    env.update(INSTANCE_PATH=str(tmp_path / "instance"), SECRET_KEY="x", PYTHONPATH=ROOT,
               DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", HUEY_URL=f"sqlite:///{tmp_path / 'h.db'}",
               **env_extra)
    code = "from app import create_app; create_app(); print('started')"
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=90)


@pytest.mark.parametrize("url, says", [
    ("ftp://files.example.edu.cn/x", "scheme must be file:// or s3://"),
    ("s3://", "use s3://bucket/prefix"),
    ("file://host/x", "use file:///absolute/path"),
])
def test_a_wrong_storage_url_stops_start_up_with_one_line(tmp_path, url, says):
    out = start_app({"STORAGE_URL": url}, tmp_path)
    assert out.returncode == 3 and "started" not in out.stdout
    assert out.stderr.strip().count("\n") == 0 and says in out.stderr and "Traceback" not in out.stderr


def test_a_missing_or_unreachable_bucket_stops_start_up_with_one_line(tmp_path, s3_endpoint):
    missing = start_app(s3_config(s3_endpoint, "no-such-bucket"), tmp_path)
    assert missing.returncode == 3 and missing.stderr.strip().count("\n") == 0
    assert "s3://no-such-bucket/onehall" in missing.stderr and "404" in missing.stderr
    closed = start_app(s3_config("http://127.0.0.1:9", "onehall"), tmp_path)
    assert closed.returncode == 3 and closed.stderr.strip().count("\n") == 0
    assert "onehall: cannot start: file storage unusable" in closed.stderr and "127.0.0.1:9" in closed.stderr
