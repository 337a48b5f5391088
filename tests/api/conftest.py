"""API fixtures: bearer-token clients and valid sample data built from a form definition."""
import io
import re
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage

from app.people.directory import new_token
from app.models import utcnow
from app.stats.periods import today_local

APPLICANTS = {"staff": "t2001", "student": "s2023001", "external": "e0001"}
PICKED_USER = "t2002"
PICKED_DEPARTMENT = "宣传部"
TEXT_CANDIDATES = ("测试", "301", "13800000000", "test", "A1", "2024")


class ApiClient:
    """A test client that sends ``Authorization: Bearer`` on every request."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path, **kwargs):
        return self.client.post(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)

    def act(self, serial, action, **body):
        return self.post(f"/api/v1/instances/{serial}/actions", json={"action": action, **body})

    def start(self, slug, data, submit=True, headers=None):
        return self.post(f"/api/v1/services/{slug}/instances",
                         json={"data": data, "submit": submit}, headers=headers)


@pytest.fixture
def api(app, user):
    """api("t2001") → an ApiClient carrying a fresh token of that demo user."""
    def make(username):
        return ApiClient(app.test_client(), new_token(user(username)))
    return make


def sample_value(field, applicant, app):
    """A valid value for one field (see the brief: text 测试, number 1, first option …)."""
    kind = field.type
    if kind in ("text", "textarea"):
        return sample_text(field)
    if kind == "number":
        return max(1, field.minimum or 1)
    if kind == "money":
        return max(1.5, field.minimum or 1.5)
    if kind == "date":                  # today and now in China time, from the app's clock
        return today_local().isoformat()
    if kind == "datetime":
        return (utcnow() + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M")
    if kind in ("select", "radio"):
        return field.options[0]
    if kind == "checkboxes":
        return [field.options[0]]
    if kind == "agree":
        return True
    if kind == "user":
        return PICKED_USER
    if kind == "department":
        return PICKED_DEPARTMENT
    if kind == "rows":
        return [{c.name: sample_value(c, applicant, app) for c in field.columns if c.is_input}]
    if kind == "file":
        return [upload(field, applicant, app).token] if field.required else []
    raise AssertionError(f"no sample for field type {kind}")


def sample_text(field):
    """测试, or for a field with a pattern the first candidate it accepts."""
    if not field.pattern:
        return "测试"
    return next(t for t in TEXT_CANDIDATES if re.search(field.pattern, t))


def upload(field, owner, app):
    from app.storage.attachments import save_upload
    ext = (field.accept or (".pdf",))[0]
    ext = ext if ext.startswith(".") else "." + ext
    content = {".pdf": b"%PDF-1.4 test", ".png": b"\x89PNG\r\n\x1a\n0000",
               ".jpg": b"\xff\xd8\xff0000", ".jpeg": b"\xff\xd8\xff0000",
               ".txt": b"test"}.get(ext.lower(), b"PK\x03\x04test")
    storage = FileStorage(io.BytesIO(content), filename=f"test{ext}")
    return save_upload(storage, field, owner, app.config["UPLOAD_DIR"])


def sample_data(sdef, applicant, app, names=None) -> dict:
    """Valid data for the form's writable fields (or only ``names``)."""
    return {f.name: sample_value(f, applicant, app) for f in sdef.form.input_fields()
            if not f.readonly and (names is None or f.name in names)}


def open_assignees(instance):
    """Usernames holding an open task on the instance's current step."""
    from app.models import Task, User
    rows = (Task.select(Task, User).join(User)
            .where(Task.instance == instance, Task.step == instance.step, Task.kind == "do",
                   Task.status == "open"))
    return [t.assignee.username for t in rows]
