"""Directory pages (system admins): users, reset password, CSV import; instances audit."""
import io

from app.engine import core
from app.models import FlowRecord, Instance, Task, User, UserRole
from app.models.designer import UserImportJob
from app.people.passwords import check_password

CSV_HEAD = "username,name,type,department,roles,id_card,phone,email\n"


def test_admin_creates_a_user_with_the_initial_password(admin, user):
    dept = User.get(User.username == "t2001").department_id
    response = admin.post("/designer/users/new/", data={
        "username": "t9100", "name": "新老师", "type": "staff", "department": str(dept),
        "id_card": "370102199001011234", "phone": "", "email": "", "is_active": "y"})
    assert response.status_code == 302
    created = user("t9100")
    assert check_password(created.password_hash, "011234") and not created.activated
    again = admin.post("/designer/users/new/", data={"username": "t9100", "name": "重复", "type": "staff"})
    assert "已存在" in again.get_data(as_text=True)


def test_reset_password_goes_back_to_the_initial_one_and_ends_sessions(admin, user, login_as):
    User.update(id_card="370102199001015678").where(User.username == "t2001").execute()
    victim = login_as("t2001")
    epoch = user("t2001").session_epoch
    response = admin.post(f"/designer/users/reset-password/{user('t2001').id}")
    assert response.status_code == 302
    after = user("t2001")
    assert check_password(after.password_hash, "015678") and not after.activated
    assert after.session_epoch == epoch + 1
    assert victim.get("/me/items").status_code == 302                 # logged out
    no_card = admin.post(f"/designer/users/reset-password/{user('t2002').id}", follow_redirects=True)
    assert "没有登记身份证号" in no_card.get_data(as_text=True)


def upload(admin, text, name="people.csv"):
    response = admin.post("/designer/user-import/", data={"file": (io.BytesIO(text.encode()), name)},
                          content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_small_csv_is_previewed_then_imported_at_once_with_a_report(admin, user):
    text = CSV_HEAD + "t9201,甲,staff,宣传部,dept_leader,370102199001010001,,\nt9202,乙,alien,宣传部,,370102199001010002,,\n"
    job_url = upload(admin, text)
    preview = admin.get(job_url).get_data(as_text=True)
    assert "1</b> 行可以导入" in preview and "类型“alien”无效" in preview
    assert User.get_or_none(User.username == "t9201") is None                 # nothing before confirming
    response = admin.post(job_url + "/confirm", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已完成" in page and "people.csv:3" in page
    assert user("t9201").name == "甲" and UserRole.select().where(UserRole.user == user("t9201")).exists()
    assert User.get_or_none(User.username == "t9202") is None
    admin.post(job_url + "/confirm")                                          # a second confirm does nothing
    assert UserImportJob.get(UserImportJob.filename == "people.csv").created_count == 1


def test_missing_departments_and_roles_are_listed_and_created_only_when_ticked(admin, user):
    from app.models import Department, Role
    text = (CSV_HEAD + "t9301,丙,教职工,不存在部门,holding,370102199001010003,,\n"
            "t9302,丁,学生,宣传部,,370102199001010004,,\nt9302,戊,学生,宣传部,,370102199001010005,,\n"
            "t2001,己,staff,宣传部,,370102199001010006,,\nt9303,庚,staff,宣传部,,,,\n")
    job_url = upload(admin, text)
    preview = admin.get(job_url).get_data(as_text=True)
    assert "部门：不存在部门" in preview and "角色：holding" in preview and "同时创建" in preview
    assert "用户名 t9302 在文件中重复" in preview and "用户 t2001 已存在" in preview and "缺少身份证号" in preview
    admin.post(job_url + "/confirm", data={})                                  # not ticked
    assert Department.get_or_none(Department.name == "不存在部门") is None
    assert Role.get_or_none(Role.code == "holding") is None
    assert User.get_or_none(User.username == "t9301") is None and user("t9302").type == "student"
    job = UserImportJob.select().order_by(UserImportJob.id.desc()).first()
    assert any("未勾选“同时创建”" in e for e in job.errors)

    ticked = upload(admin, CSV_HEAD + "t9301,丙,staff,不存在部门,holding,370102199001010003,,\n", "again.csv")
    admin.post(ticked + "/confirm", data={"create_missing": "1"})
    assert user("t9301").department.name == "不存在部门"
    assert Role.get_or_none(Role.code == "holding") is not None


def test_directory_forms_speak_chinese_and_show_names(admin):
    page = admin.get("/designer/users/new/").get_data(as_text=True)
    assert "姓名" in page and ">Name" not in page and ">Type" not in page
    assert '<option value="staff">教职工</option>' in page and ">宣传部</option>" in page
    holders = admin.get("/designer/role-holders/new/").get_data(as_text=True)
    assert "单位领导（dept_leader）</option>" in holders and ">1</option>" not in holders
    listing = admin.get("/designer/users/").get_data(as_text=True)
    assert 'placeholder="None"' not in listing and 'placeholder="搜索：用户名（工号/学号）、姓名"' in listing


def test_large_csv_goes_to_the_queue_and_shows_progress(app, admin, user):
    from designer import accounts
    rows = "".join(f"t8{i:04d},用户{i},student,计算机科学与技术学院,,3701021990010{i:05d},,\n"
                   for i in range(accounts.SYNC_LIMIT + 5))
    from app.queue import huey
    job_url = upload(admin, CSV_HEAD + rows, "big.csv")
    assert admin.post(job_url + "/confirm").status_code == 302
    job = UserImportJob.select().order_by(UserImportJob.id.desc()).first()
    queued = admin.get(job_url).get_data(as_text=True)
    assert job.status == "queued" and "排队中" in queued and 'http-equiv="refresh"' in queued
    assert len(huey) >= 1
    while len(huey):
        huey.execute(huey.dequeue())                                  # what the worker does
    done = admin.get(job_url).get_data(as_text=True)
    assert "已完成" in done and f"{accounts.SYNC_LIMIT + 5}/{accounts.SYNC_LIMIT + 5}" in done
    assert user("t80000").type == "student"


def test_bad_csv_is_refused_without_a_job(admin):
    response = admin.post("/designer/user-import/", data={"file": (io.BytesIO("名字\n".encode("gbk")), "x.csv")},
                          content_type="multipart/form-data")
    assert "UTF-8" in response.get_data(as_text=True) and UserImportJob.select().count() == 0


def _running_weekly(app, user, service):
    with app.app_context():
        return core.start(service("weekly-report"), user("t2001"), {"items": [{"text": "一"}]}, submit=True)


def test_instances_audit_view_with_flow_records_and_reassign(app, dept_admin, user, service):
    instance = _running_weekly(app, user, service)
    listing = dept_admin.get("/designer/instances/").get_data(as_text=True)
    assert str(instance.serial) in listing
    details = dept_admin.get(f"/designer/instances/details/?id={instance.id}").get_data(as_text=True)
    assert "流转记录" in details and "提交" in details and "改派" in details
    task = Task.get(Task.instance == instance, Task.status == "open")
    own = dept_admin.post(f"/designer/instances/reassign/{instance.id}",
                          data={"task": task.id, "to_user": "t2001"}, follow_redirects=True)
    assert "申请人不能审批本人的申请" in own.get_data(as_text=True)     # t2001 applied
    response = dept_admin.post(f"/designer/instances/reassign/{instance.id}",
                               data={"task": task.id, "to_user": "t9002"}, follow_redirects=True)
    assert "已改派给 韩梅" in response.get_data(as_text=True)
    assert Task.get(Task.instance == instance, Task.status == "open").assignee == user("t9002")
    assert FlowRecord.select().where(FlowRecord.instance == instance, FlowRecord.action == "reassign").exists()
    unknown = dept_admin.post(f"/designer/instances/reassign/{instance.id}",
                              data={"task": task.id, "to_user": "nobody"}, follow_redirects=True)
    assert unknown.status_code == 200 and "alert-danger" in unknown.get_data(as_text=True)
    assert Instance.get_by_id(instance.id).status == "running"
