"""Screenshots for issue 21's closing note (run by path, not collected): before/after at 360 px.

SHOTS_PREFIX=before|after .venv/bin/pytest tests/e2e/shots_trust_walk.py
"""
import os
from datetime import timedelta

from app.engine import core
from app.stats.periods import today_local
from tests.e2e.walk import log_in, person, seal_with_file, upload

OUT = "/work/shots/trust-walk"
PREFIX = os.environ.get("SHOTS_PREFIX", "after")


def _shot(page, name):
    os.makedirs(OUT, exist_ok=True)
    page.screenshot(path=os.path.join(OUT, f"{PREFIX}-{name}.png"), full_page=True)


def test_shots(live_server, page_factory):
    with live_server.app.app_context():
        seal, _ = seal_with_file("合作协议-初稿.pdf")
        core.act(seal, person("t2002"), "return", opinion="请换成盖章版")
        again = upload("合作协议-定稿.pdf")
        data = dict(seal.data, attachments=[again.token], purpose="对外合作（已修改）")
        core.submit(core.get_instance(seal.serial), person("t2001"), data)
        from app.defs.store import import_text
        from tests.approval.test_signers import SIGNABLE
        from tests.e2e.walk import service
        import_text(SIGNABLE, "test-chain.yaml")
        inst = core.start(service("test-chain"), person("t2001"), {"subject": "采购打印纸"})
    base = live_server.url
    page = page_factory(width=360, height=780)
    log_in(page, base, "t2002")
    page.goto(f"{base}/instances/{seal.serial}")
    _shot(page, "changes")
    page.goto(f"{base}/instances/{inst.serial}")
    page.click(".add-signer summary")
    page.fill("#signer-0", "郑强")
    page.fill("#signer-opinion", "请帮忙把关预算部分")
    page.click(".add-signer button[value=add_signer]")
    page.wait_for_load_state()
    _shot(page, "add-signer")
    with live_server.app.app_context():
        from app.people.directory import add_user
        add_user("t3901", name="赵敏", type="staff", department_name="财务处", password="demo1234")
        second = core.start(service("test-chain"), person("t2001"), {"subject": "采购墨盒"})
    page.goto(f"{base}/instances/{second.serial}")
    page.click(".add-signer summary")
    page.fill("#signer-0", "钱程（t3002）")
    page.fill("#signer-1", "赵敏")
    page.fill("#signer-opinion", "内部说明：请先核对预算")
    page.click(".add-signer button[value=add_signer]")
    page.wait_for_load_state()
    _shot(page, "add-signer-ambiguous")
    page.goto(f"{base}/me/delegations")
    today = today_local()
    page.fill("#to_user", "李明")
    page.fill("#start", today.isoformat())
    page.fill("#end", (today + timedelta(days=7)).isoformat())
    page.select_option("select[name=services]", "weekly-report")
    page.click(".delegation-form button[type=submit]")
    page.wait_for_load_state()
    _shot(page, "delegations-name")
    if page.locator("table.delegations tbody tr td form").count():     # the name was accepted
        _shot(page, "delegations")
    else:
        _delegate_by_number(page, today)
    page.goto(f"{base}/stats")
    _shot(page, "stats")
    page.goto(f"{base}/stats?period=custom&from={today.isoformat()}&to={(today - timedelta(days=3)).isoformat()}")
    _shot(page, "stats-bad-range")
    wide = page_factory(width=1280)
    log_in(wide, base, "t2002")
    wide.goto(f"{base}/stats")
    _shot(wide, "stats-1280")


def _delegate_by_number(page, today):
    page.fill("#to_user", "t2001")
    page.fill("#start", today.isoformat())
    page.fill("#end", (today + timedelta(days=7)).isoformat())
    page.select_option("select[name=services]", "weekly-report")
    page.click(".delegation-form button[type=submit]")
    page.wait_for_load_state()
    _shot(page, "delegations")
