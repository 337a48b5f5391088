"""The public verification page a printed copy's QR code opens."""
import re

import pytest


def printed_fingerprint(client, serial, path="print"):
    html = client.get(f"/instances/{serial}/{path}").get_data(as_text=True)
    return re.search(r"/verify/%d/([0-9a-f]{64})" % serial, html).group(1)


@pytest.fixture
def anonymous(app):
    return app.test_client()


def test_a_fresh_print_matches(contract, login_as, anonymous):
    fp = printed_fingerprint(login_as("t2001"), contract.serial)
    response = anonymous.get(f"/verify/{contract.serial}/{fp}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "verify-match" in page and "一致" in page
    assert "技术合同审批表" in page and "办理中" in page and str(contract.serial) in page
    assert "打印时间" in page


def test_the_page_shows_no_form_data(contract, login_as, anonymous):
    fp = printed_fingerprint(login_as("t2001"), contract.serial)
    page = anonymous.get(f"/verify/{contract.serial}/{fp}").get_data(as_text=True)
    for secret in ("高强度纸基材料", "山东晨鸣纸业集团", "85.50", "李明", "张华", "同意，请科研处审批"):
        assert secret not in page


def test_after_the_content_changed_the_copy_no_longer_matches(app, contract, login_as, anonymous, user):
    from app.engine import core
    fp = printed_fingerprint(login_as("t2001"), contract.serial)
    with app.app_context():
        core.act(core.get_instance(contract.serial), user("t6001"), "approve", opinion="同意")
    page = anonymous.get(f"/verify/{contract.serial}/{fp}").get_data(as_text=True)
    assert "verify-changed" in page and "不一致" in page and "已完成" in page


def test_a_changed_field_value_no_longer_matches(app, contract, login_as, anonymous):
    from app.models import Instance
    fp = printed_fingerprint(login_as("t2001"), contract.serial)
    with app.app_context():
        inst = Instance.get(Instance.serial == contract.serial)
        inst.data = dict(inst.data, amount=850.5)
        inst.save()
    assert "verify-changed" in anonymous.get(f"/verify/{contract.serial}/{fp}").get_data(as_text=True)


def test_a_made_up_fingerprint_learns_only_that_the_serial_exists(contract, login_as, anonymous):
    fp = printed_fingerprint(login_as("t2001"), contract.serial)
    forged = ("0" if fp[0] != "0" else "1") + fp[1:]
    for bad in (forged, "not-a-fingerprint", "A" * 64):
        response = anonymous.get(f"/verify/{contract.serial}/{bad}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and "verify-mismatch" in page
        assert "技术合同审批表" not in page and "办理中" not in page


def test_an_unknown_serial(anonymous):
    response = anonymous.get("/verify/99999999/" + "a" * 64)
    assert response.status_code == 404 and "不存在" in response.get_data(as_text=True)


def test_each_viewer_s_copy_is_verified_against_its_own_view(app, start_trip, login_as, anonymous):
    trip = start_trip()
    leader_fp = printed_fingerprint(login_as("t2002"), trip.serial)
    applicant_fp = printed_fingerprint(login_as("t2001"), trip.serial)
    assert leader_fp != applicant_fp
    for fp in (leader_fp, applicant_fp):
        assert "verify-match" in anonymous.get(f"/verify/{trip.serial}/{fp}").get_data(as_text=True)


def test_pdf_and_word_copies_are_verifiable(contract, login_as, anonymous):
    client = login_as("t2001")
    from io import BytesIO

    from docx import Document
    document = Document(BytesIO(client.get(f"/instances/{contract.serial}/export.docx").data))
    text = "\n".join(p.text for p in document.paragraphs)
    fp = re.search(r"校验码：([0-9a-f]{64})", text).group(1)
    assert "verify-match" in anonymous.get(f"/verify/{contract.serial}/{fp}").get_data(as_text=True)
