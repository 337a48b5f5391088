"""Helpers for the designer's tests: open a service's draft, change it through the builder's
JSON API (the one editor of fields and steps), post the metadata form."""
import copy
import json
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
    match = re.search(r"/designer/builder/(\d+)$", response.headers["Location"])   # opens the builder
    return f"/designer/studio/{match.group(1)}/"


def draft_id_of(base: str) -> int:
    return int(re.search(r"/designer/studio/(\d+)/", base).group(1))


def builder_edit(client, base, change, revision=None):
    """Change the draft at ``base`` as the builder does: GET its definition and revision from
    /designer/builder/api/ID, apply ``change(definition)``, POST it back. The response."""
    api = f"/designer/builder/api/{draft_id_of(base)}"
    state = client.get(api).get_json()
    definition = copy.deepcopy(state["definition"])
    change(definition)
    body = {"definition": definition, "revision": state["revision"] if revision is None else revision}
    return client.post(api, data=json.dumps(body), content_type="application/json")


def revision_of(client, base) -> int:
    return client.get(f"/designer/builder/api/{draft_id_of(base)}").get_json()["revision"]


@pytest.fixture
def admin(login_as):
    return login_as("admin")


@pytest.fixture
def dept_admin(login_as):
    """t2002 张华: dept_admin of 宣传部."""
    return login_as("t2002")
