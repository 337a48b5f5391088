"""Helpers for the designer's tests: open a service's draft, post editor forms."""
import re

import pytest


def draft_url(client, service):
    """The draft editor's base URL for a published service (opening creates the draft)."""
    response = client.get(f"/designer/studio/service/{service.id}")
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def new_service(client, slug="lab-safety", number=901, name="实验室安全培训报名", department="宣传部",
                audience=("staff", "student")):
    response = client.post("/designer/studio/new", data={
        "id": slug, "number": number, "name": name, "category": "综合服务", "department": department,
        "audience": list(audience)})
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/designer/studio/(\d+)/", response.headers["Location"])
    return f"/designer/studio/{match.group(1)}/"


def field_form(**values):
    data = {"name": "", "type": "text", "label": ""}
    data.update(values)
    return data


def step_form(step_id, name, kind, cc=(), **values):
    data = {"id": step_id, "name": name, "by-kind": kind, "mode": "any", "opinion": "optional",
            "actions": ["approve", "return"]}
    for key in ("user", "role", "department", "field"):
        if key in values:
            data[f"by-{key}"] = values.pop(key)
    for i, spec in enumerate(cc):
        for key, value in spec.items():
            data[f"cc-{i}-{key}"] = value
    data.update(values)
    return data


@pytest.fixture
def admin(login_as):
    return login_as("admin")


@pytest.fixture
def dept_admin(login_as):
    """t2002 张华: dept_admin of 宣传部."""
    return login_as("t2002")
