"""从纸质表单导入 in the designer: the upload (and its refusals in the form), the draft in the
builder beside the escaped original, guesses 待确认 until accepted or changed, the original
downloadable, and a draft from a document published and run through its steps in paper order."""
import io
import json
import re

import docx

from app.models import Instance
from app.models.designer import PaperImport, ServiceDraft
from tests.paper.make_corpus import FORMS, write

URL = "/designer/paper/"


def form_file(tmp_path, name):
    form = next(f for f in FORMS if f.file == name)
    with open(write(form, str(tmp_path)), "rb") as handle:
        return form, handle.read()


def upload(client, name, data, department="科研处"):
    return client.post(URL, data={"file": (io.BytesIO(data), name), "department": department},
                       content_type="multipart/form-data")


def draft_of(response):
    match = re.search(r"/designer/builder/(\d+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return ServiceDraft.get_by_id(int(match.group(1)))


def test_new_service_offers_the_paper_import(admin):
    assert "从纸质表单导入" in admin.get("/designer/").get_data(as_text=True)
    assert 'id="bz-from-paper"' in admin.get("/designer/builder/new").get_data(as_text=True)
    page = admin.get(URL).get_data(as_text=True)
    assert 'type="file"' in page and "主办部门" in page and "科研处" in page


def test_a_bad_document_is_refused_in_the_form(admin):
    before = ServiceDraft.select().count()
    response = upload(admin, "notes.docx", b"not a word file")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="pz-error"' in page and "只能导入 Word（.docx）或 Excel（.xlsx）文件" in page
    document = docx.Document()
    document.add_paragraph("只有文字的通知")
    out = io.BytesIO()
    document.save(out)
    assert "没有找到表格" in upload(admin, "notice.docx", out.getvalue()).get_data(as_text=True)
    assert "另存为 .docx" in upload(
        admin, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600).get_data(as_text=True)
    assert "请选择" in upload(admin, "", b"").get_data(as_text=True)
    assert ServiceDraft.select().count() == before


def test_a_department_admin_imports_only_into_their_departments(dept_admin, tmp_path):
    _, data = form_file(tmp_path, "用印申请表.docx")
    assert upload(dept_admin, "用印申请表.docx", data, department="科研处").status_code == 422
    assert upload(dept_admin, "用印申请表.docx", data, department="宣传部").status_code == 302


def test_the_draft_opens_beside_the_escaped_original_with_guesses_pending(admin, tmp_path):
    form, data = form_file(tmp_path, "技术合同审批表.docx")
    doc = docx.Document(io.BytesIO(data))
    doc.tables[0].cell(1, 3).text = ""
    doc.tables[0].rows[0].cells[1].text = ""
    doc.add_paragraph("<script>alert(1)</script>")
    out = io.BytesIO()
    doc.save(out)
    response = upload(admin, "技术合同审批表.docx", out.getvalue())
    assert response.status_code == 302
    draft = draft_of(response)
    assert draft.department == "科研处" and draft.service_id is None       # a draft: nothing published
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="pz"' in page and "原件：技术合同审批表.docx" in page and "builder_paper.js" in page
    assert '<table class="pz-table">' in page and "合同主要内容" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    download = admin.get(f"/designer/paper/{draft.id}/original")
    assert download.status_code == 200 and download.data == out.getvalue()
    assert "attachment" in download.headers["Content-Disposition"]
    pending = admin.get(f"/designer/paper/{draft.id}/guesses").get_json()["pending"]
    texts = [p["text"] for p in pending]
    assert any("「合同金额（万元）」：金额" in t for t in texts)
    steps = [p for p in pending if p["kind"] == "step"]
    assert [p["step"] for p in steps] == [1, 2, 3]
    assert "科研处负责人" in steps[1]["text"]
    assert draft.definition["steps"][2]["by"] == {"role": "dept_leader", "department": "科研处"}
    warnings = admin.get(f"/designer/builder/api/{draft.id}/publish").get_json()["warnings"]
    assert any("待确认" in w for w in warnings)


def test_a_guess_stops_being_pending_when_accepted_or_changed(admin, tmp_path):
    _, data = form_file(tmp_path, "学生请假审批表.docx")
    draft = draft_of(upload(admin, "学生请假审批表.docx", data))
    url = f"/designer/paper/{draft.id}/guesses"
    first = admin.get(url).get_json()["pending"]
    days = next(p for p in first if "「请假天数」" in p["text"])
    # the admin changes the field the reader made: no longer pending
    definition = json.loads(json.dumps(draft.definition))
    field = next(f for f in definition["form"]["fields"] if f["name"] == days["field"])
    field["max_length"] = 3
    field["type"] = "text"
    field.pop("minimum", None)
    saved = admin.post(f"/designer/builder/api/{draft.id}", data=json.dumps(
        {"definition": definition, "revision": draft.revision}), content_type="application/json")
    assert saved.status_code == 200, saved.get_data(as_text=True)
    after = admin.get(url).get_json()["pending"]
    assert days["target"] not in [p["target"] for p in after] and len(after) == len(first) - 1
    # accepting one, then all
    one = after[0]["target"]
    left = admin.post(url, data=json.dumps({"targets": [one]}), content_type="application/json").get_json()
    assert one not in [p["target"] for p in left["pending"]]
    assert admin.post(url, data=json.dumps({"targets": None}), content_type="application/json").get_json() == {
        "pending": []}
    assert admin.post(url, data=json.dumps({"targets": "x"}), content_type="application/json").status_code == 400
    assert all(g["accepted"] for g in PaperImport.get(PaperImport.draft == draft.id).guesses
               if g["target"] != days["target"])


def test_a_draft_from_a_document_publishes_and_runs_in_paper_order(admin, login_as, tmp_path):
    form, data = form_file(tmp_path, "技术合同审批表.docx")
    draft = draft_of(upload(admin, "技术合同审批表.docx", data))
    published = admin.post(f"/designer/builder/api/{draft.id}/publish", data=json.dumps(
        {"revision": draft.revision}), content_type="application/json")
    assert published.status_code == 200, published.get_data(as_text=True)
    slug = draft.slug
    names = {f["label"]: f["name"] for f in draft.definition["form"]["fields"] if "label" in f}
    applicant = login_as("t7001")
    start = applicant.get(f"/services/{slug}/start").get_data(as_text=True)
    assert "计算机科学与技术学院" in start                     # 单位 autofilled from the profile
    response = applicant.post(f"/services/{slug}/start", data={
        names["项目名称"]: "纸基材料技术开发", names["项目负责人"]: "Alice", names["项目性质"]: "技术开发",
        names["甲方"]: "某某公司", names["合同金额（万元）"]: "12.5", names["其中设备费（万元）"]: "2",
        names["合同主要内容"]: "开发一种纸基材料。", "op": "submit"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    serial = int(re.search(r"/instances/(\d+)", response.headers["Location"]).group(1))
    for who, step in (("t7002", "所在单位审批"), ("t6001", "科研处审批"), ("t9003", "财务处审批")):
        approver = login_as(who)
        assert step in approver.get(f"/instances/{serial}").get_data(as_text=True)
        acted = approver.post(f"/instances/{serial}/act", data={"action": "approve", "opinion": f"同意（{step}）"})
        assert acted.status_code == 302, (who, acted.get_data(as_text=True)[:2000])
    assert Instance.get(Instance.serial == serial).status == "completed"
    html = applicant.get(f"/instances/{serial}/print").get_data(as_text=True)
    labels = [label for label in form.fields if label in html]
    positions = [html.index(f">{label}<") for label in labels]
    assert len(labels) == len(form.fields) and positions == sorted(positions)
    opinions = [html.index(f"同意（{step}）") for step in form.steps]
    assert opinions == sorted(opinions)


def test_another_departments_admin_gets_404_for_the_original_and_guesses(admin, login_as, tmp_path):
    _, data = form_file(tmp_path, "固定资产领用单.xlsx")
    draft = draft_of(upload(admin, "固定资产领用单.xlsx", data, department="科研处"))
    other = login_as("t2002")                                # 宣传部's admin
    for path in ("original", "view", "guesses"):
        assert other.get(f"/designer/paper/{draft.id}/{path}").status_code == 404, path
    assert other.post(f"/designer/paper/{draft.id}/guesses", data="{}",
                      content_type="application/json").status_code == 404
    assert "资产名称" in admin.get(f"/designer/paper/{draft.id}/view").get_data(as_text=True)
    assert admin.get("/designer/paper/999999/original").status_code == 404
