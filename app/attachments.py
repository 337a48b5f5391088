"""Uploads: size- and type-checked, stored under UPLOAD_DIR with a random name.

The user's filename is kept for display only; the file on disk is ``uuid4().hex`` and the
form data refers to it by an opaque token, so no request ever names a path.
"""
from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import unicodedata
import uuid

from app.models import Attachment

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
DEFAULT_ACCEPT = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".zip", ".txt")
CHUNK = 64 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
MAGIC = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".zip": _ZIP,
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".doc": (_OLE,),
    ".xls": (_OLE,),
}
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class AttachmentError(Exception):
    """A refused upload or an attachment the user may not open; the message is for the user."""


class AttachmentNotFound(AttachmentError):
    pass


def clean_filename(name: str | None) -> str:
    """The display name, or AttachmentError when it is empty or tries to name a path."""
    name = unicodedata.normalize("NFC", name or "").strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    if not name or "/" in name or "\\" in name or name.strip(". ") == "":
        raise AttachmentError("文件名无效")
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[:200 - len(ext)] + ext
    return name


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def allowed_extensions(field) -> tuple[str, ...]:
    accept = field.accept or DEFAULT_ACCEPT
    return tuple(a.lower() if a.startswith(".") else "." + a.lower() for a in accept)


def check_type(name: str, field) -> str:
    ext = extension(name)
    allowed = allowed_extensions(field)
    if ext not in allowed:
        raise AttachmentError("不支持的文件类型，仅允许：" + "、".join(allowed))
    return ext


def check_content(ext: str, head: bytes) -> None:
    """Reject a file whose first bytes contradict its extension (e.g. an .exe named .pdf)."""
    prefixes = MAGIC.get(ext)
    if prefixes and not head.startswith(prefixes):
        raise AttachmentError("文件内容与扩展名不符")
    if ext == ".txt" and b"\x00" in head:
        raise AttachmentError("文件内容与扩展名不符")


def _copy_limited(stream, path: str, limit: int):
    """Copy ``stream`` to ``path``; return (size, sha256, head) or raise when over ``limit``."""
    digest, size, head = hashlib.sha256(), 0, b""
    with open(path, "xb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise AttachmentError(f"文件过大，最大 {_human(limit)}")
            if len(head) < 16:
                head = (head + chunk)[:16]
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest(), head


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


def save_upload(file_storage, field, owner, upload_dir) -> Attachment:
    """Check and store one uploaded file for ``field``; raise AttachmentError when refused."""
    name = clean_filename(getattr(file_storage, "filename", None))
    ext = check_type(name, field)
    os.makedirs(upload_dir, exist_ok=True)
    stored_name = uuid.uuid4().hex
    path = os.path.join(upload_dir, stored_name)
    try:
        limit = field.max_size or DEFAULT_MAX_SIZE
        if getattr(file_storage.stream, "overflow", False):      # cut short past the request cap
            raise AttachmentError(f"文件过大，最大 {_human(limit)}")
        size, sha256, head = _copy_limited(file_storage.stream, path, limit)
        if size == 0:
            raise AttachmentError("不能上传空文件")
        check_content(ext, head)
    except BaseException:
        _remove(path)
        raise
    return Attachment.create(
        owner=owner, token=uuid.uuid4().hex, field=field.name, filename=name,
        stored_name=stored_name, size=size, sha256=sha256,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def open_attachment(token: str, user, upload_dir=None, *, can_view=None):
    """(path, filename) of the attachment ``token`` when ``user`` may read it.

    The owner may always read it; anyone else only when ``can_view(instance, user)`` says
    so for its instance (default: the engine's rule, participants and admins). Missing and
    forbidden attachments raise the same AttachmentNotFound so tokens cannot be probed.
    """
    attachment = Attachment.get_or_none(Attachment.token == str(token))
    if attachment is None or not _may_read(attachment, user, can_view):
        raise AttachmentNotFound("附件不存在")
    if not _STORED_NAME.match(attachment.stored_name):
        raise AttachmentNotFound("附件不存在")
    path = os.path.join(upload_dir or _configured_dir(), attachment.stored_name)
    if not os.path.isfile(path):
        raise AttachmentNotFound("附件不存在")
    return path, attachment.filename


def _may_read(attachment, user, can_view) -> bool:
    if user is None:
        return False
    if attachment.owner_id == getattr(user, "id", None):
        return True
    if can_view is None:
        from app.engine.queries import can_view
    return bool(attachment.instance_id and can_view(attachment.instance, user))


def _configured_dir() -> str:
    from flask import current_app
    return current_app.config["UPLOAD_DIR"]
