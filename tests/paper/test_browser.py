"""从纸质表单导入 in Chromium at 1280 and 360 px: a refused upload says why in the form; an
accepted one opens the draft with the original beside it and every guess marked 待确认,
which 全部确认 clears; the published form is the paper form's order. Screenshots are kept
(and copied to $PAPER_SHOTS when set)."""
import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, shot
from tests.e2e.test_smoke import log_in
from tests.paper.make_corpus import FORMS, write

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def keep(page, name):
    shot(page, name)
    target = os.environ.get("PAPER_SHOTS")
    if target:
        os.makedirs(target, exist_ok=True)
        shutil.copy(os.path.join(ARTIFACTS, f"{name}.png"), os.path.join(target, f"{name}.png"))


@pytest.mark.parametrize("width", [1280, 360])
def test_upload_side_by_side_and_published_form(live_server, page_factory, tmp_path, width):
    form = next(f for f in FORMS if f.file == "差旅费报销单.xlsx")
    path = write(form, str(tmp_path))
    bad = tmp_path / "通知.pdf"
    bad.write_bytes(b"%PDF-1.4\n")
    page = page_factory(width=width, height=900)
    log_in(page, live_server.url, "admin")
    page.goto(live_server.url + "/designer/")
    page.click("text=从纸质表单导入")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button[type=submit]")
    expect(page.locator("#pz-error")).to_have_text("只能导入 Word（.docx）或 Excel（.xlsx）文件")
    assert page.evaluate(NO_SIDEWAYS)
    keep(page, f"upload-refused-{width}")
    page.set_input_files("input[name=file]", path)
    page.select_option("select[name=department]", "财务处")
    keep(page, f"upload-{width}")
    page.click("button[type=submit]")
    expect(page.locator("#pz .pz-table")).to_be_visible()
    expect(page.locator("#pz-count")).to_contain_text("项待确认")
    marks = page.locator("#bz-canvas .pz-mark")
    expect(marks.first).to_be_visible()
    fields = page.locator("#bz-canvas .bz-item").count()
    assert marks.count() == fields                       # every field the reader made is marked
    expect(page.locator("#bz-steps .pz-mark")).to_have_count(len(form.steps))
    assert "费用明细" in page.locator("#pz").inner_text()
    assert page.evaluate(NO_SIDEWAYS), page.evaluate("document.documentElement.scrollWidth")
    keep(page, f"draft-side-by-side-{width}")
    page.click("#pz-accept-all")
    expect(page.locator("#pz-done")).to_be_visible()
    expect(page.locator(".pz-mark")).to_have_count(0)
    page.click("#bz-publish-open")
    page.click("#bz-publish-confirm")
    expect(page.locator("body")).to_contain_text("已发布版本")
    applicant = page_factory(width=width, height=900)
    log_in(applicant, live_server.url, "t9003")
    from app.models.designer import ServiceDraft
    draft = ServiceDraft.select().order_by(ServiceDraft.id.desc()).first()
    applicant.goto(f"{live_server.url}/services/{draft.slug}/start")
    labels = [label for label in form.fields]
    text = applicant.locator("main").inner_text()
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions)
    assert applicant.evaluate(NO_SIDEWAYS), applicant.evaluate("document.documentElement.scrollWidth")
    keep(applicant, f"published-form-{width}")
