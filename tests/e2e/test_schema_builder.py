"""The builder edits a schema-defined service in a real browser: 张华 (宣传部's department
admin) renames a property and adds one, publishes, and the applicant's form shows both;
``flask defs export --schema`` prints the schema with exactly those edits."""
import copy
import json
import os

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from app.defs import wrap
from tests.designer.test_schema_lens import SCHEMAS
from tests.e2e.test_schema_form import log_in

SHOTS = os.environ.get("ONEHALL_SHOTS", "/work/shots/schema-builder")


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 360])
def test_edit_a_title_and_add_a_property_then_publish(live_server, page_factory, width):
    schema = json.loads((SCHEMAS / "02-nested-address.json").read_text("utf-8"))["schema"]
    with live_server.app.app_context():
        from app.defs.store import import_text
        service, _, _ = import_text(wrap.wrap_text(schema, name="地址登记", department="宣传部", slug="address",
                                                   number=59020), "address.yaml")
        service_id = service.id
    page = page_factory(width=width)
    log_in(page, live_server.url, "t2002")
    page.goto(f"{live_server.url}/designer/builder/service/{service_id}")
    panel = page.locator("#bz-schema")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-path=billing_address]")).to_contain_text("在源码中修改")
    expect(page.locator(".bz-palette")).to_be_hidden()
    shot(page, f"builder-schema-{width}")
    contact = panel.locator("[data-path=contact]")
    contact.get_by_role("button", name="编辑“联系人”").click()
    contact.locator("[data-k='s-contact-label']").fill("紧急联系人")
    contact.get_by_role("button", name="保存修改").first.click()
    expect(page.locator("#bz-status")).to_have_text("已保存")
    expect(panel.locator("[data-path=contact] b").first).to_have_text("紧急联系人")
    expect(page.locator("#bz-canvas, .bz-canvas").first).to_contain_text("紧急联系人")
    adder = panel.locator("[data-path=contact] > .bz-schema-add")
    adder.locator("select").select_option("text")
    adder.locator("input").fill("电子邮箱")
    adder.get_by_role("button", name="＋ 添加字段").click()
    expect(panel.locator("[data-path='contact/dianziyouxiang']")).to_be_visible()
    refused = panel.locator(".bz-schema-add").last
    refused.get_by_role("button", name="＋ 添加字段").click()
    expect(panel.get_by_role("alert")).to_have_text("请填写字段标题")
    shot(page, f"builder-schema-edited-{width}")
    page.click("#bz-publish-open")
    page.click("#bz-publish-confirm")
    expect(page.locator("#bz-published")).to_be_visible()
    form = page_factory(width=width)
    log_in(form, live_server.url, "t2001")
    form.goto(live_server.url + "/services/address/start")
    expect(form.get_by_text("紧急联系人")).to_be_visible()
    expect(form.locator("[name='contact-dianziyouxiang']")).to_be_visible()
    shot(form, f"form-after-edit-{width}")
    expected = copy.deepcopy(schema)
    expected["properties"]["contact"]["title"] = "紧急联系人"
    expected["properties"]["contact"]["properties"]["dianziyouxiang"] = {"type": "string", "title": "电子邮箱"}
    from app.cli.defs import export_command
    with live_server.app.app_context():
        result = CliRunner().invoke(export_command, ["address", "--schema"], catch_exceptions=False)
    assert result.output == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
