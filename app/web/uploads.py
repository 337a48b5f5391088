"""Uploads past the request cap still get an answer inside the form.

A browser that sends more than MAX_CONTENT_LENGTH to a form page would otherwise get a bare
413 — usually not even that, as the server closes the connection mid-upload and the browser
shows a network error, the form lost. For the form pages named in FORM_ENDPOINTS the body is
read to the end instead (up to UPLOAD_DRAIN_LIMIT): the fields are parsed as usual, file
bytes past the cap are dropped and the file is marked ``overflow``, so the view refuses it
at its field (attachments.save_upload) and renders the form again with every value kept.
"""
import tempfile

from flask import Request, current_app

FORM_ENDPOINTS = {"hall.start", "center.edit", "center.act"}
DRAIN_LIMIT = 1024 * 1024 * 1024


class CappedFile:
    """A spooled temporary file that keeps at most ``room()`` bytes and drops the rest."""

    def __init__(self, budget):
        self._file = tempfile.SpooledTemporaryFile(max_size=512 * 1024)
        self._budget = budget
        self.overflow = False

    def write(self, data):
        keep = self._budget.take(len(data))
        if keep < len(data):
            self.overflow = True
        if keep:
            self._file.write(data[:keep])
        return len(data)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __iter__(self):
        return iter(self._file)


class Budget:
    """The bytes of files one request may still keep (MAX_CONTENT_LENGTH in all)."""

    def __init__(self, total):
        self.left = total

    def take(self, n):
        kept = max(0, min(n, self.left))
        self.left -= kept
        return kept


class UploadRequest(Request):
    @property
    def max_content_length(self):
        limit = super().max_content_length
        if limit is not None and self._drains():
            return max(limit, current_app.config.get("UPLOAD_DRAIN_LIMIT", DRAIN_LIMIT))
        return limit

    @max_content_length.setter
    def max_content_length(self, value):
        self._max_content_length = value

    def _drains(self) -> bool:
        return (self.method == "POST" and self.mimetype == "multipart/form-data"
                and self.url_rule is not None and self.url_rule.endpoint in FORM_ENDPOINTS)

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        if not self._drains():
            return super()._get_file_stream(total_content_length, content_type, filename, content_length)
        if not hasattr(self, "_upload_budget"):
            self._upload_budget = Budget(current_app.config["MAX_CONTENT_LENGTH"] or DRAIN_LIMIT)
        return CappedFile(self._upload_budget)


def limit_of(field) -> int:
    from app.storage.attachments import DEFAULT_MAX_SIZE
    return field.max_size or DEFAULT_MAX_SIZE


def human(size: int) -> str:
    from app.storage.attachments import _human
    return _human(size)


def init_app(app):
    app.request_class = UploadRequest
    app.add_template_global(limit_of, "upload_limit")
    app.add_template_filter(human, "file_size")
