"""Approval power in Chromium: 批量审批 in 待办 and 加签 at 360 px, 催办, notes on a return.
Screenshots go to test-artifacts/approval-ui/."""
import os
import re

import pytest
from playwright.sync_api import expect

from app.defs.store import import_text
from app.models import Instance
from tests.approval.test_bulk_web import NO_OPINION
from tests.browser import ARTIFACTS
from tests.e2e.walk import log_in, no_sideways_scroll, person, service, weekly


def shot(page, name):
    folder = os.path.join(ARTIFACTS, "approval-ui")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def step_of(app, serial):
    with app.app_context():
        return Instance.get(Instance.serial == serial).step


def confirm_and_wait(page, locator):
    locator.click()
    expect(page.locator("#confirm-dialog")).to_be_visible()
    with page.expect_navigation():
        page.click("#confirm-dialog [data-dialog-ok]")


# ---------------------------------------------------------------- 1. 批量审批

def test_bulk_approve_two_and_refuse_one_at_360(live_server, page_factory):
    from app.engine import core
    app = live_server.app
    with app.app_context():
        import_text(NO_OPINION, "test-chain.yaml")
        easy = service("test-chain")
        a = core.start(easy, person("t2001"), {"subject": "采购打印纸"}).serial
        b = core.start(easy, person("t2001"), {"subject": "采购墨盒"}).serial
        needs_opinion = weekly().serial
    page = page_factory(width=360, height=780)
    log_in(page, live_server.url, "t2002")
    page.goto(live_server.url + "/me/items?box=todo")
    for serial in (a, b, needs_opinion):
        box = page.get_by_role("checkbox", name=f"流水号 {serial}")
        expect(box).to_be_visible()
        box.check()
    assert no_sideways_scroll(page)
    shot(page, "bulk-ticked-360")
    confirm_and_wait(page, page.get_by_role("button", name="批量通过"))
    expect(page.locator(".flash-success", has_text=f"流水号 {a}：已通过")).to_be_visible()
    expect(page.locator(".flash-success", has_text=f"流水号 {b}：已通过")).to_be_visible()
    expect(page.locator(".flash-error", has_text=f"流水号 {needs_opinion}：需要填写意见")).to_be_visible()
    assert no_sideways_scroll(page)
    shot(page, "bulk-results-360")
    assert step_of(app, a) == step_of(app, b) == "keeper" and step_of(app, needs_opinion) == "leader"
    # the refused one, with an opinion this time
    page.get_by_role("checkbox", name=f"流水号 {needs_opinion}").check()
    page.fill("#bulk-opinion", "同意")
    confirm_and_wait(page, page.get_by_role("button", name="批量通过"))
    expect(page.locator(".flash-success", has_text=f"流水号 {needs_opinion}：已通过")).to_be_visible()
    assert step_of(app, needs_opinion) is None or step_of(app, needs_opinion) != "leader"


# ---------------------------------------------------------------- 2. 加签

def test_add_signer_before_then_it_comes_back_at_360(live_server, page_factory):
    from app.engine import core
    from tests.approval.test_signers import SIGNABLE
    app, base = live_server.app, live_server.url
    with app.app_context():
        import_text(SIGNABLE, "test-chain.yaml")
        serial = core.start(service("test-chain"), person("t2001"), {"subject": "采购打印纸"}).serial
    leader = page_factory(width=360, height=780)
    log_in(leader, base, "t2002")
    leader.goto(f"{base}/instances/{serial}")
    leader.locator("details.add-signer summary").click()
    leader.get_by_role("radio", name="前加签").check()
    leader.get_by_role("combobox", name="加签人 1").fill("赵敏（t3001）")
    leader.fill("#signer-opinion", "请办公室先看")
    assert no_sideways_scroll(leader)
    shot(leader, "add-signer-form-360")
    with leader.expect_navigation():
        leader.locator("details.add-signer button[value=add_signer]").click()
    expect(leader.locator(".flash-success")).to_contain_text("加签")
    expect(leader.locator("table.records")).to_contain_text("前加签")
    assert no_sideways_scroll(leader)
    leader.goto(base + "/me/items?box=todo")
    expect(leader.locator("table.items")).not_to_contain_text(str(serial))   # waits for 赵敏

    signer = page_factory(width=360, height=780)
    log_in(signer, base, "t3001")
    signer.goto(base + "/me/items?box=todo")
    with signer.expect_navigation():
        signer.locator("table.items tr", has_text=str(serial)).locator("a").first.click()
    signer.fill("#opinion", "同意")
    shot(signer, "add-signer-signer-360")
    with signer.expect_navigation():
        signer.locator("#act-form button[value=approve]").click()
    expect(signer.locator(".flash-success")).to_be_visible()

    leader.goto(base + "/me/items?box=todo")
    expect(leader.locator("table.items")).to_contain_text(str(serial))       # back to 张华
    assert step_of(app, serial) == "leader"
    shot(leader, "add-signer-back-360")


# ---------------------------------------------------------------- 3. 催办

def test_remind_twice_shows_the_limit_as_a_flash(live_server, page_factory):
    base = live_server.url
    with live_server.app.app_context():
        serial = weekly().serial
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2001")
    page.goto(f"{base}/instances/{serial}")
    with page.expect_navigation():
        page.get_by_role("button", name="催办").click()
    expect(page.locator(".flash-success")).to_have_text("已催办，已提醒当前办理人尽快办理")
    with page.expect_navigation() as nav:
        page.get_by_role("button", name="催办").click()
    assert nav.value.status == 200
    expect(page).to_have_url(re.compile(rf"/instances/{serial}$"))
    expect(page.locator(".flash-error")).to_have_text("每个步骤每小时只能催办一次，请稍后再试")
    expect(page.locator("h1")).to_contain_text("工作周报")                 # the instance page itself
    assert no_sideways_scroll(page)
    shot(page, "remind-too-soon-360")


# ---------------------------------------------------------------- 4. 退回 with field notes

def test_return_with_a_field_note_then_the_changes(live_server, page_factory):
    from app.engine import core
    from tests.engine.conftest import CHAIN
    app, base = live_server.app, live_server.url
    with app.app_context():
        import_text(CHAIN, "test-chain.yaml")
        serial = core.start(service("test-chain"), person("t2001"), {"subject": "采购"}).serial
    leader = page_factory(width=360, height=780)
    log_in(leader, base, "t2002")
    leader.goto(f"{base}/instances/{serial}")
    leader.locator("details.field-notes summary").click()
    leader.get_by_label("标注：事由").fill("事由写具体些")
    leader.fill("#opinion", "请修改")
    assert no_sideways_scroll(leader)
    shot(leader, "field-notes-approver-360")
    confirm_and_wait(leader, leader.locator("#act-form button[value=return]"))

    applicant = page_factory(width=360, height=780)
    log_in(applicant, base, "t2001")
    applicant.goto(f"{base}/instances/{serial}")
    expect(applicant.locator(".return-notes")).to_have_text("事由：事由写具体些")
    expect(applicant.locator('.oh-field[data-field="subject"] .oh-note')).to_have_text("退回批注：事由写具体些")
    assert no_sideways_scroll(applicant)
    shot(applicant, "field-notes-applicant-360")
    applicant.fill('.oh-field[data-field="subject"] input', "采购打印纸")
    with applicant.expect_navigation():
        applicant.click("button[name=op][value=submit]")

    leader.goto(f"{base}/instances/{serial}")
    expect(leader.locator(".changes")).to_contain_text("事由：采购 → 采购打印纸")
    assert no_sideways_scroll(leader)
    shot(leader, "field-notes-changes-360")


# ---------------------------------------------------------------- 5. 再次申请

def test_apply_again_from_a_terminated_instance(live_server, page_factory):
    from app.engine import core
    app, base = live_server.app, live_server.url
    with app.app_context():
        inst = weekly(text="上周的工作内容")
        core.act(inst, person("t2001"), "withdraw")                      # 撤回: terminated
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2001")
    page.goto(f"{base}/instances/{inst.serial}")
    with page.expect_navigation():
        page.get_by_role("link", name="再次申请").click()
    expect(page).to_have_url(re.compile(rf"/services/weekly-report/start\?from={inst.serial}$"))   # that item, not the latest
    expect(page.locator(".prefilled")).to_contain_text(str(inst.serial))
    expect(page.locator(".oh-form textarea").first).to_have_value("上周的工作内容")
    assert no_sideways_scroll(page)
    shot(page, "reapply-prefilled-360")
    with page.expect_navigation():
        page.click("button[name=op][value=submit]")
    expect(page.locator(".flash-success")).to_contain_text("已提交")
    with app.app_context():
        newest = Instance.select().order_by(Instance.id.desc()).first()
        assert newest.serial != inst.serial and newest.status == "running"
        assert newest.data["items"] == [{"text": "上周的工作内容"}, {"text": "完成校报第十二期排版"}]
