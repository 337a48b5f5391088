"""Only admins reach the designer; a department admin is confined to their department's
services, drafts and instances — also when typing another department's ids."""
import io
import re

import pytest

from app.engine import core
from app.models import Service
from app.models.designer import ServiceDraft
from tests.designer.conftest import draft_url, new_service


def test_non_admins_get_403_and_anonymous_users_the_login(client, login_as):
    assert login_as("t2001").get("/designer/").status_code == 403
    assert login_as("s2023001").get("/designer/services/").status_code == 403
    response = client.get("/designer/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_site_nav_links_the_designer_for_designers_only(login_as):
    assert "服务设计器" in login_as("t2002").get("/").get_data(as_text=True)
    assert "服务设计器" not in login_as("t2001").get("/").get_data(as_text=True)


def test_department_admin_lists_only_their_departments_services(dept_admin, admin):
    mine = dept_admin.get("/designer/services/").get_data(as_text=True)
    assert "工作周报" in mine and "技术合同审批表" not in mine
    everything = admin.get("/designer/services/").get_data(as_text=True)
    assert "工作周报" in everything and "技术合同审批表" in everything


def test_department_admin_cannot_reach_the_directory(dept_admin):
    for url in ("/designer/users/", "/designer/departments/", "/designer/roles/",
                "/designer/role-holders/", "/designer/user-import/"):
        assert dept_admin.get(url).status_code == 403, url


@pytest.fixture
def foreign(app, admin, service, user):
    """Another department's service (科研处), its draft and an instance of it."""
    contract = service("tech-contract")
    base = draft_url(admin, contract)
    draft = ServiceDraft.get(ServiceDraft.service == contract)
    with app.app_context():
        instance = core.start(contract, user("t2001"), {"project": "P", "party_a": "甲", "amount": 1,
                                                         "attachments": [], "agree": True}, submit=False)
    return contract, draft, instance, base


def test_department_admin_gets_404_on_every_route_of_another_department(dept_admin, foreign):
    contract, draft, instance, _ = foreign
    d, s = draft.id, contract.id
    gets = [f"/designer/studio/service/{s}", f"/designer/studio/service/{s}/versions",
            f"/designer/studio/service/{s}/versions/1.yaml", f"/designer/studio/{d}/",
            f"/designer/studio/{d}/fields", f"/designer/studio/{d}/fields/edit?at=0",
            f"/designer/studio/{d}/fields/add", f"/designer/studio/{d}/steps",
            f"/designer/studio/{d}/steps/edit?at=0", f"/designer/studio/{d}/steps/add",
            f"/designer/studio/{d}/source", f"/designer/studio/{d}/preview",
            f"/designer/studio/{d}/preview/frame", f"/designer/studio/{d}/publish",
            f"/designer/studio/{d}/draft.yaml", f"/designer/instances/details/?id={instance.id}"]
    for url in gets:
        assert dept_admin.get(url).status_code == 404, url
    posts = [f"/designer/studio/service/{s}/enabled", f"/designer/studio/{d}/",
             f"/designer/studio/{d}/fields/move", f"/designer/studio/{d}/fields/delete",
             f"/designer/studio/{d}/steps/move", f"/designer/studio/{d}/steps/delete",
             f"/designer/studio/{d}/source", f"/designer/studio/{d}/publish",
             f"/designer/studio/{d}/discard", f"/designer/instances/reassign/{instance.id}"]
    for url in posts:
        assert dept_admin.post(url, data={"at": "0", "enabled": "0", "source": "x"}).status_code == 404, url
    assert Service.get_by_id(s).enabled
    assert ServiceDraft.get_or_none(ServiceDraft.id == d) is not None
    listing = dept_admin.get("/designer/instances/").get_data(as_text=True)
    assert str(instance.serial) not in listing
    assert "tech-contract" not in dept_admin.get("/designer/drafts/").get_data(as_text=True)


def test_department_admin_cannot_move_a_service_to_another_department(dept_admin, service):
    base = draft_url(dept_admin, service("weekly-report"))
    text = dept_admin.get(base + "draft.yaml").get_data(as_text=True)
    response = dept_admin.post(base + "source", data={"source": text.replace("department: 宣传部", "department: 科研处")})
    assert response.status_code == 422
    assert "主办部门必须是您管理的部门" in response.get_data(as_text=True)
    assert service("weekly-report").department == "宣传部"


def test_department_admin_cannot_create_or_import_for_another_department(dept_admin, admin, service):
    response = dept_admin.post("/designer/studio/new", data={
        "id": "x-foreign", "number": 950, "name": "外部门服务", "category": "综合服务",
        "department": "科研处", "audience": ["staff"]})
    assert response.status_code == 200 and ServiceDraft.get_or_none(ServiceDraft.slug == "x-foreign") is None
    source = admin.get(f"/designer/studio/service/{service('tech-contract').id}/versions/1.yaml").data
    hijack = source.replace("department: 科研处".encode(), "department: 宣传部".encode())
    response = dept_admin.post("/designer/studio/import", data={
        "files": [(io.BytesIO(hijack), "tech-contract.yaml")]}, content_type="multipart/form-data")
    assert "无权导入" in response.get_data(as_text=True)
    assert service("tech-contract").department == "科研处" and service("tech-contract").latest_version == 1


def test_a_new_draft_of_another_department_is_404(admin, dept_admin):
    base = new_service(admin, slug="foreign-new", number=951, department="科研处")
    assert dept_admin.get(base).status_code == 404
    assert admin.get(base).status_code == 200


def test_every_designer_form_carries_a_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "admin", "password": "demo1234", "csrf_token": token})
    weekly = Service.get(Service.slug == "weekly-report")
    base = client.get(f"/designer/studio/service/{weekly.id}").headers["Location"]
    assert client.post(base + "discard").status_code == 400
    assert client.post(f"/designer/studio/service/{weekly.id}/enabled", data={"enabled": "0"}).status_code == 400
    assert Service.get_by_id(weekly.id).enabled
    for path in ("", "source", "publish"):
        assert 'name="csrf_token"' in client.get(base + path).get_data(as_text=True), path
