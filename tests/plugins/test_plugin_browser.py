"""A plugin's own widget and its assignee kind's settings, in Chromium: the idcard widget's
script runs under the page's CSP nonce and answers as one types (phone and desk widths), and
the builder gives the id_checker kind's plain setting (no x-choices) a control."""
import os

import pytest
from playwright.sync_api import expect

from tests.browser import shot
from tests.e2e.test_builder import definition_of, make_draft, open_builder, page_errors, saved
from tests.e2e.test_hall_flow import log_in
from tests.plugins.test_idcard import BAD, DEFINITION, GOOD

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("ONEHALL_SHOTS")          # also keep the screenshots there when set


def keep(page, name):
    shot(page, name)
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_the_idcard_widget_checks_as_one_types(live_server, page_factory, width):
    from app.defs.store import import_text
    with live_server.app.app_context():
        import_text(DEFINITION, "id-proof.yaml")
    page = page_factory(width=width, height=800)
    errors = page_errors(page)
    log_in(page, live_server.url, "t2001", "demo1234")
    page.goto(live_server.url + "/services/id-proof/start")
    hint = page.locator(".oh-field[data-field=idno] [data-idcard-hint]")
    page.fill("input[name=idno]", GOOD[:10])
    expect(hint).to_have_text("已输入 10/18 位")
    page.fill("input[name=idno]", BAD)
    expect(hint).to_have_text("校验码不正确")
    page.fill("input[name=idno]", GOOD.lower())
    expect(hint).to_have_text("校验码正确")
    assert errors == []                                   # no CSP refusal, no script error
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    keep(page, f"idcard-widget-{width}")


def test_a_plugin_kinds_setting_without_choices_gets_a_control(live_server, page_factory):
    draft = make_draft()
    page = open_builder(page_factory, live_server.url, "t2002", draft)
    step = '.bz-step[data-step="1"]'
    page.select_option(f'{step} [data-k="s1-by-kind"]', label="申请人所在单位的证件核验员")
    saved(page)
    assert definition_of(draft)["steps"][1]["by"] == {"id_checker": "applicant"}
    control = page.locator(f'{step} [data-k="s1-by-id_checker"]')
    expect(control).to_have_value("applicant")
    control.fill("办公室")
    control.press("Tab")
    saved(page)
    assert definition_of(draft)["steps"][1]["by"] == {"id_checker": "办公室"}
    keep(page, "builder-plugin-kind-setting")
