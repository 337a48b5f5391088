"""A schema-defined service in a real browser at 1280 and 360 px: nested groups, an
add/remove list, rows, labelled choices, numbers and booleans are filled and submitted, and
the stored data has the schema's nested shape; the approver's page shows it nested."""
import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.defs import wrap

SHOTS = os.environ.get("ONEHALL_SHOTS", "/work/shots/jsonschema")
SHOWCASE = Path(__file__).resolve().parents[1] / "defs" / "schemas" / "03-showcase.json"


def shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def import_showcase(app):
    case = json.loads(SHOWCASE.read_text("utf-8"))
    text = wrap.wrap_text(case["schema"], name=case["name"], department="宣传部", slug="showcase",
                          number=59999, ui_schema=case.get("ui_schema"))
    with app.app_context():
        from app.defs.store import import_text
        import_text(text, "showcase.yaml")


def log_in(page, base, username):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo1234")
    page.click("button[type=submit]")


@pytest.mark.parametrize("width", [1280, 360])
def test_fill_and_submit_a_schema_form(live_server, page_factory, width):
    import_showcase(live_server.app)
    page = page_factory(width=width)
    log_in(page, live_server.url, "t2001")
    page.goto(live_server.url + "/services/showcase/start")
    expect(page.locator("fieldset, .oh-group").first).to_be_visible()
    shot(page, f"showcase-empty-{width}")
    page.fill("[name=projectName]", "校园服务研究")
    page.get_by_role("radio", name="其他", exact=True).check()
    page.fill("[name=otherCategory]", "交叉学科")
    page.fill("[name='leader-姓名']", "李明")
    page.fill("[name='leader-email']", "liming@qlu.edu.cn")
    page.fill("[name=budget]", "12.5")
    page.select_option("[name=durationMonths]", label="24")
    page.fill("[name=keywords-0]", "服务")
    page.locator("[data-list=keywords] [data-list-action=add]").click()
    page.fill("[name=keywords-1]", "流程")
    page.get_by_label("计算机").check()
    page.fill("[name=members-0-name]", "张华")
    page.fill("[name=members-0-workload]", "6")
    page.fill("[name=coordinates-0]", "117")
    page.fill("[name=coordinates-1]", "36.6")
    page.get_by_label("本人承诺所填内容真实").check()
    shot(page, f"showcase-filled-{width}")
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/instances/*")
    shot(page, f"showcase-submitted-{width}")
    from app.models import Instance
    with live_server.app.app_context():
        data = Instance.select().order_by(Instance.id.desc()).get().data
    assert data["leader"] == {"姓名": "李明", "email": "liming@qlu.edu.cn"}
    assert data["keywords"] == ["服务", "流程"] and data["disciplines"] == ["计算机"]
    assert data["members"] == [{"name": "张华", "workload": 6, "external": False}]
    assert data["coordinates"] == [117, 36.6] and data["durationMonths"] == 24
    assert data["category"] == "other" and data["agree"] is True and data["ethicsReviewed"] is False
    leader = page_factory(width=width)
    log_in(leader, live_server.url, "t2002")
    leader.goto(page.url)
    expect(leader.get_by_text("李明").first).to_be_visible()
    shot(leader, f"showcase-approver-{width}")
    assert "{'" not in leader.content() and '{"' not in leader.content()


def test_a_refused_schema_form_names_the_fields_and_keeps_what_was_typed(live_server, page_factory):
    import_showcase(live_server.app)
    page = page_factory(width=1280)
    log_in(page, live_server.url, "t2001")
    page.goto(live_server.url + "/services/showcase/start")
    page.fill("[name=projectName]", "短")
    page.fill("[name='leader-email']", "not-an-email")
    page.fill("[name=keywords-0]", "服务")
    page.locator("button[value=submit]").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("项目名称（/projectName）：至少输入4个字")
    expect(summary).to_contain_text("电子邮箱（/leader/email）：请输入有效的电子邮箱地址")
    expect(summary).to_contain_text("姓名（/leader/姓名）：此项为必填项")
    expect(page.locator("[name=keywords-0]")).to_have_value("服务")
    expect(page.locator("[name='leader-email']")).to_have_value("not-an-email")
    shot(page, "showcase-refused-1280")


def test_one_of_object_alternatives_switch_the_sub_form(live_server, page_factory):
    path = SHOWCASE.parent / "27-oneof-alternatives.json"
    case = json.loads(path.read_text("utf-8"))
    text = wrap.wrap_text(case["schema"], name=case["name"], department="宣传部", slug="payment", number=59998)
    with live_server.app.app_context():
        from app.defs.store import import_text
        import_text(text, "payment.yaml")
    page = page_factory(width=360)
    log_in(page, live_server.url, "t2001")
    page.goto(live_server.url + "/services/payment/start")
    card, reimburse = page.locator("[name='payment-cardNo']"), page.locator("[name='payment-reimburseNo']")
    expect(card).to_be_visible()
    expect(reimburse).to_be_hidden()
    page.get_by_role("radio", name="公务卡报销").check()
    expect(card).to_be_hidden()
    page.fill("[name='payment-reimburseNo']", "BX-001")
    shot(page, "alternatives-360")
    page.locator("button[value=submit]").click()
    page.wait_for_url("**/instances/*")
    from app.models import Instance
    with live_server.app.app_context():
        assert Instance.select().order_by(Instance.id.desc()).get().data == {"payment": {"reimburseNo": "BX-001"}}
