"""The directory (system admins): users, departments, roles, role holders, CSV import."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.model.template import TemplateLinkRowAction
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField

from app import audit
from app.people.directory import USER_TYPES, DirectoryError, add_user
from app.people.idcards import mask_id_card
from app.defs.model import AUDIENCE_LABELS
from app.models import Department, Role, User, UserRole
from app.models.designer import UserImportJob
from app.storage import StorageError
from designer import accounts
from designer.forms import CsvImportForm, PublishForm
from designer.views.base import AdminModelView, SystemAdminAccess

CATEGORY = "通讯录"


def describe(model) -> str:
    """A short, stable name of a directory row for the audit log."""
    if isinstance(model, User):
        return f"用户 {model.username}"
    if isinstance(model, Department):
        return f"部门 {model.name}"
    if isinstance(model, Role):
        return f"角色 {model.code}"
    if isinstance(model, UserRole):
        where = f"@{model.department.name}" if model.department_id else ""
        return f"角色成员 {model.user.username} {model.role.code}{where}"
    return f"{type(model).__name__} {model.id}"


class DirectoryAudit:
    """Every create, edit and delete in the directory is an audit event (``directory``)."""

    def after_model_change(self, form, model, is_created):
        changed = self.changed_fields(form)
        what = "新建" if is_created else "修改"
        audit.record("directory", current_user, f"{what}{describe(model)}"
                     + (f"（{', '.join(changed)}）" if changed and not is_created else ""))

    def changed_fields(self, form) -> list[str]:
        return sorted(name for name, field in form._fields.items()
                      if name != "csrf_token" and field.object_data != field.data)

    def after_model_delete(self, model):
        audit.record("directory", current_user, f"删除{describe(model)}")


class DirectoryView(DirectoryAudit, AdminModelView):
    pass


class UsersView(DirectoryView):
    can_delete = False
    column_list = ("username", "name", "type", "department", "phone", "email", "activated", "is_active")
    column_labels = {"username": "用户名（工号/学号）", "name": "姓名", "type": "类型", "department": "部门",
                     "phone": "手机", "email": "邮箱", "activated": "已修改初始密码", "is_active": "启用",
                     "id_card": "身份证号", "department.name": "部门"}
    column_formatters = {"type": lambda v, c, m, n: AUDIENCE_LABELS.get(m.type, m.type),
                         "department": lambda v, c, m, n: m.department_name}
    column_searchable_list = ("username", "name")
    column_filters = ("type", "is_active", "activated", Department.name)
    column_default_sort = "username"
    form_columns = ("username", "name", "type", "department", "id_card", "phone", "email", "is_active")
    form_overrides = {"type": SelectField}
    form_args = {
        "username": {"label": "用户名（工号/学号）"}, "name": {"label": "姓名"},
        "type": {"label": "类型", "choices": [(t, AUDIENCE_LABELS[t]) for t in USER_TYPES]},
        "department": {"label": "部门", "get_label": "name", "blank_text": "（无）"},
        "id_card": {"label": "身份证号", "description": "初始密码为身份证号后六位"},
        "phone": {"label": "手机"}, "email": {"label": "邮箱"}, "is_active": {"label": "启用"},
    }
    column_extra_row_actions = [TemplateLinkRowAction("designer_row.reset_password", "重置为初始密码")]
    list_template = "designer/users_list.html"

    def on_form_prefill(self, form, id):
        """The edit form never shows the full ID card number: the box starts empty (empty
        keeps the number) and the hint shows it masked."""
        person = self.get_one(id)
        form.id_card.data = ""
        form.id_card.description = (f"当前：{mask_id_card(person.id_card)}；留空则不修改。"
                                    if person.id_card else "初始密码为身份证号后六位")

    def on_model_change(self, form, model, is_created):
        if not is_created and not (form.id_card.data or "").strip():
            model.id_card = User.get_by_id(model.id).id_card

    def changed_fields(self, form) -> list[str]:
        changed = super().changed_fields(form)
        return [n for n in changed if n != "id_card" or (form.id_card.data or "").strip()]

    def create_model(self, form):
        """New users go through app.people.directory.add_user (initial password, checks)."""
        try:
            user = add_user(form.username.data, name=(form.name.data or "").strip(), type=form.type.data,
                            department_name=form.department.data.name if form.department.data else None,
                            id_card=(form.id_card.data or "").strip() or None, phone=form.phone.data,
                            email=form.email.data)
        except DirectoryError as exc:
            flash(str(exc), "error")
            return False
        if not form.is_active.data:
            User.update(is_active=False).where(User.id == user.id).execute()
        self.after_model_change(form, user, True)
        return user

    @expose("/reset-password/<int:user_id>", methods=("POST",))
    def reset_password(self, user_id):
        target = self.get_one(user_id)
        if not FlaskForm().validate_on_submit():
            abort(400)
        try:
            accounts.reset_password(target, by=current_user._get_current_object())
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        else:
            flash(f"已将 {target.name}（{target.username}）的密码重置为初始密码（身份证后六位），其登录会话已全部结束",
                  "success")
        return redirect(url_for(".index_view"))


class DepartmentsView(DirectoryView):
    column_list = ("name", "code")
    column_labels = {"name": "部门名称", "code": "代码"}
    column_searchable_list = ("name", "code")
    form_columns = ("name", "code")
    form_args = {"name": {"label": "部门名称"}, "code": {"label": "代码", "description": "可不填"}}


class RolesView(DirectoryView):
    can_delete = False
    column_list = ("code", "name")
    column_labels = {"code": "角色代码", "name": "角色名称"}
    column_searchable_list = ("code", "name")
    form_columns = ("code", "name")
    form_args = {"code": {"label": "角色代码", "description": "英文，如 dept_leader；定义中的办理人用它"},
                 "name": {"label": "角色名称"}}


class RoleHoldersView(DirectoryView):
    can_edit = False
    column_list = ("user", "role", "department")
    column_labels = {"user": "用户", "role": "角色", "department": "所在部门（为空表示不限部门）"}
    column_formatters = {"user": lambda v, c, m, n: f"{m.user.name}（{m.user.username}）",
                         "role": lambda v, c, m, n: f"{m.role.name}（{m.role.code}）",
                         "department": lambda v, c, m, n: m.department.name if m.department_id else ""}
    column_filters = (Role.code, Department.name)
    form_columns = ("user", "role", "department")
    form_args = {
        "user": {"label": "用户"},
        "role": {"label": "角色", "get_label": lambda r: f"{r.name}（{r.code}）"},
        "department": {"label": "所在部门", "get_label": "name", "blank_text": "（不限部门）",
                       "description": "为空表示在任何部门都担任此角色"},
    }
    form_ajax_refs = {"user": {"fields": (User.username, User.name), "placeholder": "输入姓名或工号搜索"}}


class UserImportView(SystemAdminAccess, BaseView):
    """Upload → preview (rows to create, refused rows, missing departments/roles) → import."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = CsvImportForm()
        if form.validate_on_submit() and form.file.data:
            upload = form.file.data
            try:
                job = accounts.new_import_job(upload.filename or "users.csv", upload.read(5 * 1024 * 1024),
                                              current_user._get_current_object())
            except accounts.AccountError as exc:
                flash(str(exc), "error")
            else:
                return redirect(url_for(".job", job_id=job.id))
        jobs = UserImportJob.select().order_by(UserImportJob.id.desc()).limit(10)
        return self.render("designer/user_import.html", form=form, jobs=jobs, sync_limit=accounts.SYNC_LIMIT)

    @expose("/<int:job_id>")
    def job(self, job_id):
        job = self._job_or_404(job_id)
        if job.status == "preview":
            try:
                plan = accounts.preview_job(job)
            except (OSError, StorageError):
                flash("导入文件暂时无法读取（文件存储不可用），请稍后重试", "error")
                return redirect(url_for(".index"))
            return self.render("designer/user_import_preview.html", job=job, plan=plan, form=PublishForm(),
                               shown=accounts.PREVIEW_ROWS)
        return self.render("designer/user_import_job.html", job=job)

    @expose("/<int:job_id>/confirm", methods=("POST",))
    def confirm(self, job_id):
        job = self._job_or_404(job_id)
        if not PublishForm().validate_on_submit():
            abort(400)
        if accounts.confirm_job(job, request.form.get("create_missing") == "1"):
            audit.record("directory", current_user, f"批量导入用户 {job.filename}（{job.total} 行）")
            _start(UserImportJob.get_by_id(job.id))
        return redirect(url_for(".job", job_id=job.id))

    def _job_or_404(self, job_id):
        job = UserImportJob.get_or_none(UserImportJob.id == job_id)
        if job is None:
            abort(404)
        return job


def _start(job):
    """Small files now (the page shows the finished report); large ones on the queue."""
    if job.total <= accounts.SYNC_LIMIT:
        accounts.run_import_job(job.id)
    else:
        from designer.jobs import import_users
        import_users(job.id)


def views():
    return [UsersView(User, name="用户", endpoint="designer_users", url="/designer/users",
                              category=CATEGORY),
            DepartmentsView(Department, name="部门", endpoint="designer_departments", url="/designer/departments",
                              category=CATEGORY),
            RolesView(Role, name="角色", endpoint="designer_roles", url="/designer/roles",
                              category=CATEGORY),
            RoleHoldersView(UserRole, name="角色成员", endpoint="designer_role_holders", url="/designer/role-holders",
                              category=CATEGORY),
            UserImportView(name="批量导入用户", endpoint="designer_user_import", url="/designer/user-import",
                           category=CATEGORY)]
