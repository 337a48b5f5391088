"""CAS 3.0 统一身份认证 against a real CAS server (django-mama-cas) in Chromium: sign-in with
next=, attributes, single logout both ways, provisioning, and the refusals: forged, replayed
and other-service tickets, an off-site next, an unknown identity."""
import re

import pytest
from playwright.sync_api import expect

from app.models import Department, User
from app.models.accounts import AccountSession
from tests.auth.sso_servers import CAS_PASSWORD
from tests.browser import shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def cas_site(sso_site, cas_server):
    return lambda **config: sso_site(CAS_SERVER_URL=cas_server, **config)


def cas_sign_in(page, username):
    page.wait_for_selector("#id_username")
    page.fill("#id_username", username)
    page.fill("#id_password", CAS_PASSWORD)
    with page.expect_navigation():             # CAS → our callback → next: one navigation
        page.click("button[type=submit]")


def tickets_seen(page) -> list[str]:
    """Callback URLs (with their tickets) the browser is sent to."""
    seen = []
    page.on("request", lambda r: seen.append(r.url) if "/login/cas/callback" in r.url else None)
    return seen


def signed_in(page, site) -> bool:
    page.goto(f"{site.url}/me/items")
    return "/login" not in page.url


def test_cas_round_trip_keeps_next_and_single_logout_ends_our_session(cas_site, cas_server, page_factory):
    site = cas_site()
    User.update(activated=False).where(User.username == "s2023001").execute()
    for width in (1280, 360):
        page = page_factory(width=width)
        page.goto(f"{site.url}/login?next=/me/items")
        expect(page.locator(".sso-button")).to_have_text("统一身份认证登录")
        shot(page, f"sso-login-cas-{width}")
    page.click(".sso-button")
    expect(page).to_have_url(re.compile("^" + re.escape(f"{cas_server}/login?service=")))
    cas_sign_in(page, "s2023001")
    expect(page).to_have_url(f"{site.url}/me/items")   # next kept, no initial-password change
    student = User.get(User.username == "s2023001")
    assert student.activated
    row = AccountSession.get(AccountSession.user == student)
    assert row.sso_ticket and not row.revoked
    # the CAS server's logout sends its single-logout request to our callback
    page.goto(f"{cas_server}/logout")
    assert AccountSession.get_by_id(row.id).revoked
    assert not signed_in(page, site)


def test_logout_here_ends_the_cas_session_too(cas_site, cas_server, page_factory):
    site = cas_site()
    page = page_factory()
    page.goto(f"{site.url}/login/cas")
    cas_sign_in(page, "t2001")
    expect(page).to_have_url(f"{site.url}/")
    expect(page.locator("header")).to_contain_text("李明")
    with page.expect_navigation():                     # 退出 → CAS_SERVER_URL/logout?service= → here
        page.click("header button:has-text('退出')")
    expect(page).to_have_url(f"{site.url}/")
    assert not signed_in(page, site)
    page.goto(f"{site.url}/login/cas")                 # the CAS session is over: asks again
    expect(page).to_have_url(re.compile("^" + re.escape(f"{cas_server}/login")))
    expect(page.locator("#id_username")).to_have_count(1)


def test_forged_replayed_and_other_service_tickets_are_refused(cas_site, cas_server, page_factory):
    site = cas_site()
    page = page_factory()
    seen = tickets_seen(page)
    page.goto(f"{site.url}/login/cas")
    cas_sign_in(page, "t2001")
    used = seen[-1]
    assert "ticket=ST-" in used
    # a ticket the CAS server issued to another service (same server, another path)
    page.goto(f"{cas_server}/login?service={site.url}/elsewhere")
    other = page.url.split("ticket=")[1]
    with page.expect_navigation():
        page.click("header button:has-text('退出')")

    fresh = page_factory()
    for url in (f"{site.url}/login/cas/callback?next=%2F&ticket=ST-1-forgedforgedforgedforged-cas",
                used,                                          # replayed
                f"{site.url}/login/cas/callback?next=%2F&ticket={other}",
                f"{site.url}/login/cas/callback?next=%2F"):
        response = fresh.goto(url)
        assert response.status == 400, url
        expect(fresh.locator("main")).to_contain_text("统一身份认证未通过")
        shot(fresh, "sso-cas-refused")
        assert not signed_in(fresh, site)


def test_next_off_site_lands_on_the_home_page(cas_site, page_factory):
    site = cas_site()
    page = page_factory()
    page.goto(f"{site.url}/login/cas?next=https://evil.example/steal")
    cas_sign_in(page, "t2001")
    expect(page).to_have_url(f"{site.url}/")


def test_unknown_identity_gets_the_not_opened_page(cas_site, page_factory):
    site = cas_site()
    for width in (1280, 360):
        page = page_factory(width=width)
        page.goto(f"{site.url}/login/cas")
        cas_sign_in(page, "stranger")
        expect(page.locator("main")).to_contain_text("账号未开通，请联系管理员")
        shot(page, f"sso-unknown-{width}")
        assert not signed_in(page, site)
    assert not User.select().where(User.username == "stranger").exists()


def test_provisioning_maps_attributes_and_reports_a_missing_department(cas_site, page_factory):
    site = cas_site(SSO_PROVISION=True, SSO_ATTRIBUTE_MAP={
        "name": "name", "type": "type", "department": "department", "email": "email", "phone": "mobile"})
    page = page_factory()
    page.goto(f"{site.url}/login/cas?next=/me/items")
    cas_sign_in(page, "newstaff")
    expect(page).to_have_url(f"{site.url}/me/items")
    made = User.get(User.username == "newstaff")
    assert (made.name, made.type, made.department.name, made.email, made.phone, made.activated) == (
        "钱新", "staff", "宣传部", "newstaff@example.edu.cn", "13800001111", True)

    other = page_factory()
    other.goto(f"{site.url}/login/cas")
    cas_sign_in(other, "nodept")
    expect(other.locator("main")).to_contain_text("账号未开通")
    expect(other.locator("main")).to_contain_text("不存在学院")
    assert not User.select().where(User.username == "nodept").exists()
    assert not Department.select().where(Department.name == "不存在学院").exists()


def test_username_from_an_attribute(cas_site, page_factory):
    site = cas_site(CAS_USERNAME_ATTRIBUTE="employeeNumber")
    page = page_factory()
    page.goto(f"{site.url}/login/cas")
    cas_sign_in(page, "alias01")
    expect(page).to_have_url(f"{site.url}/")
    expect(page.locator("header")).to_contain_text("李明")
