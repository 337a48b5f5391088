"""Issue 11: what a first walk through the guide found on the applicant's and approver's pages.

HTTP-level checks; tests/e2e/test_issue11_walk.py walks the same pages in Chromium.
"""
import io
import re

from app.engine import core
from app.models import Attachment, Instance
from tests.e2e.walk import PDF, person, seal_with_file, upload, weekly

SEAL = "/services/seal-request/start"
SEAL_FORM = {"phone": "13800000000", "seal_type": "学校公章", "document": "合作协议", "copies": "2",
             "purpose": "对外合作", "is_contract": "否"}


def post_seal(client, op="submit", files=(), url=SEAL, **changes):
    data = dict(SEAL_FORM, op=op, **changes)
    if files:
        data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(url, data=data, content_type="multipart/form-data")


def html_of(response):
    return response.get_data(as_text=True)


# ---------------------------------------------------------------- 1. approvers open attachments

def test_the_approver_opens_the_applicants_file_from_every_page(app, login_as):
    with app.app_context():
        inst, attachment = seal_with_file("盖章文件 v2.pdf")
    leader = login_as("t2002")
    link = f'href="/attachments/{attachment.token}"'
    for path in (f"/instances/{inst.serial}", f"/instances/{inst.serial}/print"):
        page = html_of(leader.get(path))
        assert link in page and "盖章文件 v2.pdf</a>" in page, path
    applicant_page = html_of(login_as("t2001").get(f"/instances/{inst.serial}"))
    assert link in applicant_page
    response = leader.get(f"/attachments/{attachment.token}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/octet-stream"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E7%9B%96%E7%AB%A0" in disposition


def test_others_get_404_for_a_file(app, login_as):
    with app.app_context():
        inst, attachment = seal_with_file()
    for outsider in ("t7001", "t4001"):
        assert login_as(outsider).get(f"/attachments/{attachment.token}").status_code == 404
    assert login_as("t2001").get("/attachments/" + "0" * 32).status_code == 404


def test_a_file_removed_from_the_form_is_no_longer_served_to_approvers(app, login_as):
    with app.app_context():
        inst, attachment = seal_with_file(submit=False)
        # the draft swaps the file for another before submitting: approvers never see the first
        core.submit(inst, person("t2001"), dict(inst.data, attachments=[upload("第二版.pdf").token]))
    assert login_as("t2002").get(f"/attachments/{attachment.token}").status_code == 404
    assert login_as("t2001").get(f"/attachments/{attachment.token}").status_code == 200


# ---------------------------------------------------------------- 2. errors: all at once, nothing lost

def test_every_error_at_once_with_a_summary_linking_to_the_fields(app, login_as):
    me = login_as("t2001")
    response = post_seal(me, document="长" * 150, is_contract="是", contract_amount="-5",
                         files=[("病毒.exe", b"MZ\x90\x00")])
    page = html_of(response)
    assert response.status_code == 422
    for key, message in (("document", "最多可输入100个字"), ("contract_amount", "不能小于0"),
                         ("attachments", "不支持的文件类型")):
        assert re.search(rf'<a href="#{key}">[^<]*：{message}', page), key
        assert f'id="{key}-error"' in page
    assert 'role="alert" tabindex="-1" id="error-summary"' in page
    assert 'value="' + "长" * 150 + '"' in page                   # the typed values are kept
    assert 'value="-5"' in page


def test_a_chosen_file_survives_an_error_and_is_submitted_with_the_fix(app, login_as):
    me = login_as("t2001")
    response = post_seal(me, document="", files=[("合同.pdf", PDF)])
    page = html_of(response)
    assert response.status_code == 422 and "此项为必填项" in page
    with app.app_context():
        pending = Attachment.get(Attachment.filename == "合同.pdf")
        assert pending.instance_id is None                       # kept server-side, pending
    assert f'name="attachments-keep" value="{pending.token}"' in page
    assert "合同.pdf</a>" in page and 'data-remove-attachment' in page
    token = re.search(r'name="serial_token" value="([^"]+)"', page).group(1)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    done = me.post(SEAL, data=dict(SEAL_FORM, op="submit", **{"attachments-keep": pending.token},
                                   serial_token=token, idempotency_key=key))
    assert done.status_code == 302
    with app.app_context():
        inst = Instance.get(Instance.serial == int(done.headers["Location"].rsplit("/", 1)[1]))
        assert inst.status == "running" and inst.data["attachments"] == [pending.token]
        assert Attachment.get_by_id(pending.id).instance_id == inst.id


def test_someone_elses_pending_file_cannot_be_kept(app, login_as):
    other = login_as("t2002")
    post_seal(other, document="", files=[("他人.pdf", PDF)])
    with app.app_context():
        theirs = Attachment.get(Attachment.filename == "他人.pdf")
    me = login_as("t2001")
    response = me.post(SEAL, data=dict(SEAL_FORM, op="submit", **{"attachments-keep": theirs.token}))
    assert response.status_code == 422 and "他人.pdf" not in html_of(response)


# ---------------------------------------------------------------- 4. messages, drafts keep anything

def test_the_first_submit_and_the_first_draft_say_so(app, login_as):
    me = login_as("t2001")
    submitted = post_seal(me, files=[("a.pdf", PDF)])
    assert submitted.status_code == 302
    assert "已提交" in html_of(me.get(submitted.headers["Location"]))
    drafted = post_seal(me, op="draft")
    assert drafted.status_code == 302
    assert "草稿已保存" in html_of(me.get(drafted.headers["Location"]))


def test_a_draft_saves_an_invalid_value(app, login_as):
    me = login_as("t2001")
    drafted = post_seal(me, op="draft", copies="0")
    assert drafted.status_code == 302
    serial = int(drafted.headers["Location"].rsplit("/", 1)[1])
    page = html_of(me.get(f"/instances/{serial}"))
    assert "草稿已保存" in page and re.search(r'name="copies"[^>]*value="0"|value="0"[^>]*name="copies"', page)
    again = me.post(f"/instances/{serial}/edit", data=dict(SEAL_FORM, op="draft", copies="-3"))
    assert again.status_code == 302
    refused = me.post(f"/instances/{serial}/edit", data=dict(SEAL_FORM, op="submit", copies="0"))
    assert refused.status_code == 422 and "不能小于1" in html_of(refused)


# ---------------------------------------------------------------- 6. 流水号 in every box

def test_a_serial_is_found_whichever_box_it_is_searched_from(app, login_as):
    with app.app_context():
        done = core.act(weekly(), person("t2002"), "approve", opinion="同意")
        running = weekly()
    leader = login_as("t2002")
    for box in ("todo", "cc", "in_progress", "drafts", "done"):
        page = html_of(leader.get(f"/me/items?box={box}&serial={done.serial}"))
        assert f'class="serial-cell">{done.serial}<' in page and "暂无事项" not in page, box
    page = html_of(leader.get(f"/me/items?box=done&serial={running.serial}"))
    assert f'class="serial-cell">{running.serial}<' in page
    assert "暂无事项" in html_of(login_as("t7001").get(f"/me/items?serial={done.serial}"))


# ---------------------------------------------------------------- 7. guide, milestones, ends

def test_the_guide_names_roles_not_codes(client):
    for slug in ("weekly-report", "tech-contract", "seal-request"):
        page = html_of(client.get(f"/services/{slug}"))
        assert not re.search(r"dept_leader|contract_admin|office_director|seal_keeper", page), slug
    assert "申请人所在单位的" in html_of(client.get("/services/weekly-report"))


def test_only_the_one_at_the_step_reads_you_are_here(app, login_as):
    with app.app_context():
        inst = weekly()
    assert "您正在此步" in html_of(login_as("t2002").get(f"/instances/{inst.serial}"))
    for other in ("t2001", "admin"):
        page = html_of(login_as(other).get(f"/instances/{inst.serial}"))
        assert "您正在此步" not in page and "当前步骤" in page, other


def test_a_terminated_instance_says_who_ended_it_and_why(app, login_as):
    with app.app_context():
        inst, _ = seal_with_file()
        core.act(inst, person("t2002"), "terminate", opinion="用印事由不充分")
    page = html_of(login_as("t2001").get(f"/instances/{inst.serial}"))
    banner = re.search(r'<div class="flash flash-error ended"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "张华" in banner and "终止" in banner and "用印事由不充分" in banner and "单位负责人审核" in banner
    assert re.search(r'ms-terminated"[^>]*>\s*<span class="dot"[^>]*>✕</span>\s*<span class="ms-name">单位负责人审核', page)
    assert not re.search(r'ms-done"[^>]*>\s*<span class="dot"[^>]*>\d</span>\s*<span class="ms-name">单位负责人审核', page)


def test_a_withdrawn_instance_says_so(app, login_as):
    with app.app_context():
        inst = weekly()
        core.withdraw(inst, person("t2001"))
    page = html_of(login_as("t2001").get(f"/instances/{inst.serial}"))
    assert re.search(r'class="flash flash-error ended"[^>]*>李明 已于 .* 撤回此申请', page)


# ---------------------------------------------------------------- 9. the SMS recovery page

def test_the_sms_recovery_page_asks_for_the_account_once(client):
    page = html_of(client.get("/password/forgot/sms"))
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert page.count('name="username"') == 1
    sent = client.post("/password/forgot/sms/send", data={"username": "t2001", "phone": "13800002001"})
    assert sent.status_code == 302
    page = html_of(client.get("/password/forgot/sms"))
    assert page.count('type="text" name="username"') + page.count('name="username" type="text"') <= 1
    assert '<input type="hidden" name="username" value="t2001">' in page and "<b>t2001</b>" in page


# ---------------------------------------------------------------- 10. 流水号 while filling

def test_the_form_shows_its_serial_and_who_fills_it(app, login_as):
    me = login_as("t2001")
    page = html_of(me.get(SEAL))
    serial = int(re.search(r'<b class="serial-no">(\d+)</b>', page).group(1))
    assert "您（李明）正在填写申请" in page
    token = re.search(r'name="serial_token" value="([^"]+)"', page).group(1)
    done = me.post(SEAL, data=dict(SEAL_FORM, op="draft", serial_token=token))
    assert done.headers["Location"].endswith(f"/instances/{serial}")
    again = me.post(SEAL, data=dict(SEAL_FORM, op="draft", serial_token=token))   # a replayed token
    assert not again.headers["Location"].endswith(f"/instances/{serial}")
    forged = me.post(SEAL, data=dict(SEAL_FORM, op="draft", serial_token=token[:-2] + "xx"))
    assert forged.status_code == 302
    stolen = login_as("t2002").get(SEAL)      # another user's token is not honoured
    other = re.search(r'name="serial_token" value="([^"]+)"', html_of(stolen)).group(1)
    used = me.post(SEAL, data=dict(SEAL_FORM, op="draft", serial_token=other))
    other_serial = re.search(r'<b class="serial-no">(\d+)</b>', html_of(stolen)).group(1)
    assert not used.headers["Location"].endswith(f"/instances/{other_serial}")
