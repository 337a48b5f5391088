"""The minimal browser flow through the Flask test client: start, approve, return, records."""
import re

from app.models import Instance

WEEKLY = "/services/weekly-report"


def serial_from(response):
    match = re.search(r"/instances/(\d+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return int(match.group(1))


def submit_weekly(client, text="一网通平台新上线25项服务流程。", op="submit"):
    return client.post(WEEKLY + "/start", data={"items-0-text": text, "op": op})


def test_catalog_and_guide_show_the_service(client):
    home = client.get("/").get_data(as_text=True)
    assert "推荐服务" in home and "工作周报" in home
    guide = client.get(WEEKLY).get_data(as_text=True)
    for label in ("事项名称", "事项编号", "服务类别", "主办部门", "协办部门", "服务对象", "预计时限",
                  "办理条件", "我要办理", "宣传部", "59"):
        assert label in guide, label


def test_anonymous_start_goes_to_login_and_back(client):
    response = client.get(WEEKLY + "/start")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]
    back = client.post(response.headers["Location"], data={"username": "t2001", "password": "demo1234"})
    assert back.status_code == 302 and back.headers["Location"].endswith(WEEKLY + "/start")


def test_login_refuses_offsite_next(client):
    r = client.post("/login?next=//evil.example/x", data={"username": "t2001", "password": "demo1234"})
    assert r.headers["Location"] == "/"


def test_wrong_password_is_refused(client):
    r = client.post("/login", data={"username": "t2001", "password": "wrong"})
    assert r.status_code == 200 and "用户名或密码错误" in r.get_data(as_text=True)


def test_user_outside_audience_is_told_plainly(login_as):
    student = login_as("s2023001")
    r = student.get(WEEKLY + "/start")
    assert r.status_code == 403 and "没有权限" in r.get_data(as_text=True)


def test_form_page_renders_autofill_and_milestones(login_as):
    page = login_as("t2001").get(WEEKLY + "/start").get_data(as_text=True)
    assert "齐鲁工业大学工作周报" in page and "宣传部" in page       # autofilled unit
    assert "存草稿" in page and "提交" in page and "新增" in page and "最多可输入100个字" in page
    assert "填写周报" in page and "所在单位领导审批" in page and "完成" in page


def test_submit_approve_complete(login_as):
    applicant = login_as("t2001")
    serial = serial_from(submit_weekly(applicant))
    leader = login_as("t2002")
    todo = leader.get("/me/items?box=todo").get_data(as_text=True)
    assert str(serial) in todo and "工作周报_李明_宣传部" in todo
    page = leader.get(f"/instances/{serial}").get_data(as_text=True)
    assert "通过" in page and "退回" in page and "审批意见" in page
    assert "一网通平台新上线25项服务流程。" in page
    r = leader.post(f"/instances/{serial}/act", data={"action": "approve", "opinion": "同意"})
    assert r.status_code == 302
    inst = Instance.get(Instance.serial == serial)
    assert inst.status == "completed"
    page = applicant.get(f"/instances/{serial}").get_data(as_text=True)
    for text in ("操作人", "步骤", "动作", "时间", "意见", "张华", "同意", "已完成"):
        assert text in page, text


def test_return_shows_opinion_and_applicant_resubmits(login_as):
    applicant = login_as("t2001")
    serial = serial_from(submit_weekly(applicant))
    leader = login_as("t2002")
    leader.post(f"/instances/{serial}/act", data={"action": "return", "opinion": "请补充第二项"})
    page = applicant.get(f"/instances/{serial}").get_data(as_text=True)
    assert "请补充第二项" in page and "提交" in page
    r = applicant.post(f"/instances/{serial}/edit",
                       data={"items-0-text": "第一项", "items-1-text": "第二项", "op": "submit"})
    assert r.status_code == 302
    inst = Instance.get(Instance.serial == serial)
    assert inst.status == "running" and [row["text"] for row in inst.data["items"]] == ["第一项", "第二项"]


def test_invalid_form_is_rerendered_with_messages_and_nothing_saved(login_as):
    applicant = login_as("t2001")
    before = Instance.select().count()
    r = applicant.post(WEEKLY + "/start", data={"items-0-text": "字" * 101, "op": "submit"})
    assert r.status_code == 422
    assert "最多可输入100个字" in r.get_data(as_text=True)
    assert Instance.select().count() == before


def test_draft_is_saved_and_reopens(login_as):
    applicant = login_as("t2001")
    serial = serial_from(submit_weekly(applicant, text="草稿内容", op="draft"))
    assert Instance.get(Instance.serial == serial).status == "draft"
    drafts = applicant.get("/me/items?box=drafts").get_data(as_text=True)
    assert str(serial) in drafts
    page = applicant.get(f"/instances/{serial}").get_data(as_text=True)
    assert "草稿内容" in page and "存草稿" in page


def test_someone_elses_instance_is_not_found(login_as):
    serial = serial_from(submit_weekly(login_as("t2001")))
    stranger = login_as("t7001")
    assert stranger.get(f"/instances/{serial}").status_code == 404
    r = stranger.post(f"/instances/{serial}/act", data={"action": "approve", "opinion": "x"})
    assert r.status_code == 404
    assert Instance.get(Instance.serial == serial).status == "running"


def test_second_click_gets_a_conflict_message(login_as):
    serial = serial_from(submit_weekly(login_as("t2001")))
    leader = login_as("t2002")
    leader.post(f"/instances/{serial}/act", data={"action": "approve", "opinion": "同意"})
    r = leader.post(f"/instances/{serial}/act", data={"action": "approve", "opinion": "同意"})
    assert r.status_code == 409 and "已被处理" in r.get_data(as_text=True)


def test_user_input_is_escaped(login_as):
    applicant = login_as("t2001")
    serial = serial_from(submit_weekly(applicant, text="<script>alert(1)</script>"))
    page = login_as("t2002").get(f"/instances/{serial}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_csrf_is_required_on_forms(app_config):
    from app import create_app
    app = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    r = client.post("/login", data={"username": "t2001", "password": "demo1234"})
    assert r.status_code == 400 and "刷新页面" in r.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"username": "t2001", "password": "demo1234", "csrf_token": token})
    assert r.status_code == 302


def test_initial_password_leads_only_to_change_password(client, app):
    from app.people.directory import add_user
    add_user("20190001", name="王五", type="staff", department_name="宣传部",
             id_card="370102199001011234")
    r = client.post("/login", data={"username": "20190001", "password": "011234"})
    assert "/password" in r.headers["Location"]
    assert "/password" in client.get("/me/items").headers["Location"]
    r = client.post("/password", data={"old_password": "011234", "new_password": "abc",
                                       "confirm": "abc"})
    assert "密码长度必须大于6位" in r.get_data(as_text=True)
    r = client.post("/password", data={"old_password": "011234", "new_password": "Sdq2019x",
                                       "confirm": "Sdq2019x"})
    assert r.status_code == 302
    assert client.get("/me/items").status_code == 200


def test_phone_width_layout_has_viewport(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="viewport"' in page and "width=device-width" in page


def test_huge_or_odd_serials_are_not_found_not_errors(login_as):
    client = login_as("t2001")
    assert client.get(f"/instances/{2 ** 64}").status_code == 404
    for serial in (str(2 ** 64), "-1", "abc", "１２"):
        assert client.get("/me/items", query_string={"serial": serial}).status_code == 200
