"""再次申请: a link on a finished instance and on the start page; ?from=last opens the start form
prefilled by history.prefill — never autofilled fields, files or `reuse: false` fields."""
import pytest

from app.defs.store import import_text
from app.engine import core
from app.models import Instance
from tests.approval.test_api import WITH_ROWS
from tests.e2e.walk import seal_with_file


@pytest.fixture
def chain(app):
    service, _, _ = import_text(WITH_ROWS, "test-chain.yaml")
    return service


def html_of(client, url):
    r = client.get(url)
    assert r.status_code == 200, url
    return r.get_data(as_text=True)


def test_links_and_the_prefilled_form(app, login_as, chain, user):
    with app.app_context():
        inst = core.start(chain, user("t2001"), {
            "subject": "采购打印纸", "amount": 10, "note": "上次的备注", "secret": "X-SECRET-1",
            "items": [{"thing": "墨盒", "qty": 3}]})
        Instance.update(data=dict(inst.data, unit="旧单位")).where(Instance.id == inst.id).execute()
    applicant = login_as("t2001")
    assert "再次申请" not in html_of(applicant, f"/instances/{inst.serial}")     # still running
    start = html_of(applicant, "/services/test-chain/start")
    assert 'href="/services/test-chain/start?from=last"' in start and "再次申请" in start
    assert "采购打印纸" not in start                                         # only with ?from=last
    with app.app_context():
        core.act(Instance.get(Instance.serial == inst.serial), user("t2002"), "terminate", opinion="重填")
    page = html_of(applicant, f"/instances/{inst.serial}")
    assert f'<a class="btn" href="/services/test-chain/start?from={inst.serial}">再次申请</a>' in page
    assert "再次申请" not in html_of(login_as("t2002"), f"/instances/{inst.serial}")   # not the applicant's

    again = html_of(applicant, "/services/test-chain/start?from=last")
    assert f"已按您上次的申请（流水号 {inst.serial}）预填" in again
    for text in ("采购打印纸", "上次的备注", "墨盒"):
        assert text in again, text
    assert "X-SECRET-1" not in again                                        # reuse: false
    assert "旧单位" not in again and "宣传部" in again                        # autofill is fresh
    assert 'href="/services/test-chain/start?from=last"' not in again
    nothing = html_of(login_as("t2002"), "/services/test-chain/start?from=last")
    assert "预填" not in nothing and "再次申请" not in nothing                 # no earlier submission


def test_files_are_not_copied(app, login_as, user):
    with app.app_context():
        seal, attachment = seal_with_file(document="合作协议书")
        core.act(seal, user("t2002"), "terminate", opinion="材料不全")
    page = html_of(login_as("t2001"), "/services/seal-request/start?from=last")
    assert "合作协议书" in page and "预填" in page
    assert attachment.token not in page and "盖章文件.pdf" not in page


def test_reapply_prefills_from_the_item_clicked_not_the_latest(app, login_as, chain, user):
    """Issue 21 (4): 再次申请 on an older finished item starts from THAT item's submission."""
    with app.app_context():
        older = core.start(chain, user("t2001"), {"subject": "采购打印纸", "amount": 10,
                                                  "items": [{"thing": "墨盒", "qty": 3}]})
        core.act(older, user("t2002"), "terminate", opinion="重填")
        newer = core.start(chain, user("t2001"), {"subject": "采购办公椅", "amount": 20,
                                                  "items": [{"thing": "椅子", "qty": 1}]})
        core.act(newer, user("t2002"), "terminate", opinion="重填")
    applicant = login_as("t2001")
    page = html_of(applicant, f"/instances/{older.serial}")
    link = f"/services/test-chain/start?from={older.serial}"
    assert f'href="{link}"' in page
    again = html_of(applicant, link)
    assert f"流水号 {older.serial}" in again and "采购打印纸" in again and "墨盒" in again
    assert "采购办公椅" not in again and "椅子" not in again
    # someone else's serial prefills nothing
    other = html_of(login_as("t2002"), link)
    assert "采购打印纸" not in other and "预填" not in other
