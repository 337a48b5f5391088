"""Uploads: size- and type-checked, kept in the storage (``app.storage``) under a random name.

The user's filename is kept for display only; the stored file is ``uploads/<uuid4().hex>``
and the form data refers to it by an opaque token, so no request ever names a path. The
file is checked in a local spool first and reaches the storage whole, before its row exists:
a storage failure refuses the upload in the form and leaves nothing behind.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import tempfile
import unicodedata
import uuid

from app.models import Attachment
from app.storage import StorageError, for_directory

log = logging.getLogger(__name__)
SPOOL_BYTES = 1024 * 1024
STORAGE_DOWN = "附件保存失败：文件存储暂时不可用，请稍后重试"

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


def _copy_limited(stream, out, limit: int):
    """Copy ``stream`` to ``out``; return (size, sha256, head) or raise when over ``limit``."""
    digest, size, head = hashlib.sha256(), 0, b""
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


def save_upload(file_storage, field, owner, store=None) -> Attachment:
    """Check and store one uploaded file for ``field``; raise AttachmentError when refused.

    ``store``: a Storage, a folder (tests), or None for the app's storage."""
    name = clean_filename(getattr(file_storage, "filename", None))
    ext = check_type(name, field)
    store = _storage(store)
    stored_name = uuid.uuid4().hex
    key = "uploads/" + stored_name
    limit = field.max_size or DEFAULT_MAX_SIZE
    if getattr(file_storage.stream, "overflow", False):          # cut short past the request cap
        raise AttachmentError(f"文件过大，最大 {_human(limit)}")
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        size, sha256, head = _copy_limited(file_storage.stream, spool, limit)
        if size == 0:
            raise AttachmentError("不能上传空文件")
        check_content(ext, head)
        spool.seek(0)
        try:
            store.put(key, spool)
        except StorageError as exc:
            log.error("upload refused, storage failed: %s", exc)
            raise AttachmentError(STORAGE_DOWN) from None
    try:
        return Attachment.create(
            owner=owner, token=uuid.uuid4().hex, field=field.name, filename=name,
            stored_name=stored_name, size=size, sha256=sha256,
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    except BaseException:
        _forget(store, key)
        raise


def _forget(store, key) -> None:
    try:
        store.delete(key)
    except StorageError as exc:
        log.error("could not delete %s after a failed upload: %s", key, exc)


def open_attachment(token: str, user, store=None, *, can_view=None):
    """(binary file, filename) of the attachment ``token`` when ``user`` may read it.

    The owner may always read it; anyone else only when ``can_view(instance, user)`` says
    so for its instance (default: the engine's rule, participants and admins). Missing and
    forbidden attachments raise the same AttachmentNotFound so tokens cannot be probed.
    A storage that cannot be reached raises StorageError.
    """
    attachment = Attachment.get_or_none(Attachment.token == str(token))
    if attachment is None or not _may_read(attachment, user, can_view):
        raise AttachmentNotFound("附件不存在")
    if not _STORED_NAME.match(attachment.stored_name):
        raise AttachmentNotFound("附件不存在")
    try:
        return _storage(store).open("uploads/" + attachment.stored_name), attachment.filename
    except FileNotFoundError:
        raise AttachmentNotFound("附件不存在") from None


def _may_read(attachment, user, can_view) -> bool:
    if user is None:
        return False
    if attachment.owner_id == getattr(user, "id", None):
        return True
    if can_view is None:
        from app.engine.queries import can_view
    return bool(attachment.instance_id and can_view(attachment.instance, user))


def _storage(store):
    if store is None:
        from app.storage import current
        return current()
    return for_directory(store) if isinstance(store, str) else store
