"""Files under a folder: ``ROOT/AREA/NAME``, or a folder per area (the pre-STORAGE_URL layout)."""
from __future__ import annotations

import os
import shutil
import tempfile

from app.storage import Storage, StorageError, check_key


class FileStorage(Storage):
    def __init__(self, root: str, areas: dict | None = None):
        self.root = root
        self.areas = dict(areas or {})
        self.url = "file://" + os.path.abspath(root)

    def folder(self, area: str) -> str:
        return self.areas.get(area) or os.path.join(self.root, area)

    def path(self, key: str) -> str:
        if os.path.isabs(key):              # a row written before STORAGE_URL kept a full path
            return key
        area, _, name = check_key(key).partition("/")
        return os.path.join(self.folder(area), name)

    def put(self, key, fileobj):
        path = self.path(key)
        folder = os.path.dirname(path)
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(fileobj, out, 64 * 1024)
            os.replace(tmp, path)           # readers never see half a file
        except OSError as exc:
            raise StorageError(f"{self.url}: {exc}") from exc

    def put_file(self, key, path):
        target = self.path(key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.move(path, target)
        except OSError as exc:
            raise StorageError(f"{self.url}: {exc}") from exc

    def open(self, key):
        return open(self.path(key), "rb")

    def exists(self, key):
        return os.path.isfile(self.path(key))

    def delete(self, key):
        try:
            os.remove(self.path(key))
            return True
        except FileNotFoundError:
            return False

    def listing(self, area):
        folder = self.folder(area)
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return []
        return [(f"{area}/{e.name}", e.stat().st_mtime) for e in entries
                if e.is_file() and not e.name.startswith(".")]

    def check(self):
        for area in ("uploads", "exports", "imports"):
            folder = self.folder(area)
            try:
                os.makedirs(folder, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"{self.url}: {exc}") from exc
            if not os.access(folder, os.W_OK):
                raise StorageError(f"{self.url}: {folder} is not writable")
