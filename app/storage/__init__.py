"""One place for files: attachments, export files and kept originals (``STORAGE_URL``).

``file:///path`` keeps them under a folder (default: the instance folder, i.e. UPLOAD_DIR
and the export folder as before); ``s3://bucket/prefix`` in an S3-compatible bucket (AWS,
MinIO, Ceph RGW; ``S3_ENDPOINT_URL``), so several app hosts serve each other's files.

Keys are ``AREA/NAME``: ``uploads/<32 hex>``, ``exports/export-…``, ``imports/<hex>.csv``.
Names are ours (random), never a user's. This package imports no Flask except in
``current()`` and ``init_app``.
"""
from __future__ import annotations

import os
import sys
from urllib.parse import urlparse

AREAS = ("uploads", "exports", "imports")


class StorageError(Exception):
    """The storage could not be reached or refused an operation; str() is for the log."""


class Storage:
    """The interface every backend offers (keys are ``area/name``)."""

    url = ""

    def put(self, key: str, fileobj) -> None:           # a readable binary file object, from its start
        raise NotImplementedError

    def put_file(self, key: str, path: str) -> None:     # takes the local file (it is gone afterwards)
        raise NotImplementedError

    def open(self, key: str):                            # a seekable binary file; FileNotFoundError if absent
        raise NotImplementedError

    def exists(self, key: str) -> bool:
        raise NotImplementedError

    def delete(self, key: str) -> bool:                  # True when something was deleted
        raise NotImplementedError

    def listing(self, area: str):                        # (key, modified as epoch seconds) of an area
        raise NotImplementedError

    def check(self) -> None:                             # raise StorageError when unusable
        raise NotImplementedError


def check_key(key: str) -> str:
    area, _, name = key.partition("/")
    if area not in AREAS or not name or "/" in name or name.startswith("."):
        raise ValueError(f"not a storage key: {key!r}")
    return key


def from_config(config, instance_path: str) -> Storage:
    url = (config.get("STORAGE_URL") or "").strip()
    if not url:
        from app.storage.local import FileStorage
        upload = config["UPLOAD_DIR"]
        return FileStorage(instance_path, {
            "uploads": upload,
            "exports": config.get("EXPORT_DIR") or os.path.join(os.path.dirname(upload), "exports"),
            "imports": os.path.join(upload, "user-imports")})
    parts = urlparse(url)
    if parts.scheme == "file":
        from app.storage.local import FileStorage
        if not parts.path or parts.netloc not in ("", "localhost"):
            raise StorageError(f"STORAGE_URL {url!r}: use file:///absolute/path")
        return FileStorage(parts.path)
    if parts.scheme == "s3":
        from app.storage.s3 import S3Storage
        if not parts.netloc:
            raise StorageError(f"STORAGE_URL {url!r}: use s3://bucket/prefix")
        return S3Storage(parts.netloc, parts.path.strip("/"), endpoint_url=config.get("S3_ENDPOINT_URL") or None,
                         access_key=config.get("AWS_ACCESS_KEY_ID") or None,
                         secret_key=config.get("AWS_SECRET_ACCESS_KEY") or None,
                         region=config.get("S3_REGION") or None)
    raise StorageError(f"STORAGE_URL {url!r}: the scheme must be file:// or s3://")


def of_config(config) -> Storage:
    """The app's storage when ``config`` is the current app's, else one built from it."""
    from flask import current_app, has_app_context
    if has_app_context() and current_app.config is config and "storage" in current_app.extensions:
        return current_app.extensions["storage"]
    return from_config(config, os.path.dirname(config["UPLOAD_DIR"]))


def for_directory(upload_dir: str) -> Storage:
    """A file storage whose uploads are ``upload_dir`` (callers and tests that name a folder)."""
    from app.storage.local import FileStorage
    return FileStorage(os.path.dirname(upload_dir), {"uploads": upload_dir})


def init_app(app) -> None:
    """Build and check the app's storage; an unusable one stops start-up with one line."""
    try:
        storage = from_config(app.config, app.instance_path)
        storage.check()
    except StorageError as exc:
        print(f"onehall: cannot start: file storage unusable: {exc}", file=sys.stderr, flush=True)
        raise SystemExit(3) from None      # 3: gunicorn's "worker failed to boot", it stops too
    app.extensions["storage"] = storage


def current() -> Storage:
    from flask import current_app
    return current_app.extensions["storage"]
