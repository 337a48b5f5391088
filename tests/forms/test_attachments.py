"""Uploads are size-, type- and content-checked and stored under a random name."""
import hashlib
import io
import os
import re

import pytest
from werkzeug.datastructures import FileStorage

from app.storage.attachments import AttachmentError, AttachmentNotFound, open_attachment, save_upload
from app.defs.model import Field
from tests.forms import fresh_db, make_user

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture
def owner(tmp_path):
    fresh_db(tmp_path)
    return make_user()


@pytest.fixture
def upload_dir(tmp_path):
    return str(tmp_path / "uploads")


def upload(content, name):
    return FileStorage(stream=io.BytesIO(content), filename=name, content_type="application/pdf")


def field(**kw):
    return Field(name="docs", type="file", **kw)


def test_stored_under_upload_dir_with_random_name(owner, upload_dir):
    att = save_upload(upload(PDF, "合同.pdf"), field(), owner, upload_dir)
    assert re.fullmatch(r"[0-9a-f]{32}", att.stored_name)
    path = os.path.join(upload_dir, att.stored_name)
    assert os.path.isfile(path) and os.listdir(upload_dir) == [att.stored_name]
    with open(path, "rb") as f:
        assert f.read() == PDF
    assert att.filename == "合同.pdf" and att.size == len(PDF)
    assert att.sha256 == hashlib.sha256(PDF).hexdigest()
    assert att.content_type == "application/pdf" and att.token != att.stored_name
    assert att.owner_id == owner.id and att.field == "docs"


def test_too_large_refused_and_nothing_left(owner, upload_dir):
    with pytest.raises(AttachmentError, match="文件过大"):
        save_upload(upload(PDF + b"x" * 100, "a.pdf"), field(max_size=50), owner, upload_dir)
    assert not os.path.exists(upload_dir) or os.listdir(upload_dir) == []


def test_default_limit_is_ten_megabytes(owner, upload_dir):
    with pytest.raises(AttachmentError, match="10 MB"):
        save_upload(upload(b"a" * (10 * 1024 * 1024 + 1), "big.txt"), field(), owner, upload_dir)


@pytest.mark.parametrize("name", ["virus.exe", "page.html", "script.svg", "noext"])
def test_type_outside_default_list_refused(owner, upload_dir, name):
    with pytest.raises(AttachmentError, match="不支持的文件类型"):
        save_upload(upload(PDF, name), field(), owner, upload_dir)


def test_field_accept_list(owner, upload_dir):
    with pytest.raises(AttachmentError, match="不支持的文件类型"):
        save_upload(upload(PDF, "a.pdf"), field(accept=(".png",)), owner, upload_dir)
    assert save_upload(upload(PNG, "A.PNG"), field(accept=(".png",)), owner, upload_dir).filename == "A.PNG"


def test_empty_file_refused(owner, upload_dir):
    with pytest.raises(AttachmentError, match="空文件"):
        save_upload(upload(b"", "a.txt"), field(), owner, upload_dir)
    assert not os.path.exists(upload_dir) or os.listdir(upload_dir) == []


def test_content_must_match_extension(owner, upload_dir):
    with pytest.raises(AttachmentError, match="不符"):
        save_upload(upload(b"MZ\x90\x00binary", "report.pdf"), field(), owner, upload_dir)
    with pytest.raises(AttachmentError, match="不符"):
        save_upload(upload(b"abc\x00def", "notes.txt"), field(), owner, upload_dir)


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "..\\..\\boot.ini.txt", "a/b.pdf",
                                  "", "..", " . ", None])
def test_path_like_or_empty_names_refused(owner, upload_dir, name):
    with pytest.raises(AttachmentError, match="文件名无效"):
        save_upload(upload(PDF, name), field(), owner, upload_dir)
    assert not os.path.exists(upload_dir) or os.listdir(upload_dir) == []


def test_open_attachment_for_owner_only(owner, upload_dir):
    att = save_upload(upload(PDF, "合同.pdf"), field(), owner, upload_dir)
    data, filename = open_attachment(att.token, owner, upload_dir)
    with data:
        assert data.read() == PDF and filename == "合同.pdf"
    assert os.path.isfile(os.path.join(upload_dir, att.stored_name))
    stranger = make_user("eve")
    with pytest.raises(AttachmentNotFound):
        open_attachment(att.token, stranger, upload_dir)
    with pytest.raises(AttachmentNotFound):
        open_attachment("missing", owner, upload_dir)
