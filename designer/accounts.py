"""Directory operations of the designer that app.people.directory does not have: password reset
and bulk-import jobs (a preview first; departments and roles that do not exist are created
only when the admin asks). Plain functions, no Flask."""
from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from app import audit, storage
from app.db import db, write_transaction
from app.people.directory import USER_TYPES, DirectoryError, add_user
from app.models import Department, Role, User, utcnow
from app.models.designer import UserImportJob
from app.people.passwords import hash_password, initial_password

SYNC_LIMIT = 200          # files with at most this many rows are imported in the request


class AccountError(ValueError):
    pass


def reset_password(user: User, by=None) -> None:
    """Back to the initial password (last six of the ID card), to be changed at next login;
    every session of the user ends."""
    secret = initial_password(user.id_card)
    if not secret:
        raise AccountError(f"{user.name}（{user.username}）没有登记身份证号，无法重置为初始密码")
    from app.auth.sessions import end_all
    from app.notify.account import PASSWORD_RESET, password_notice
    with write_transaction():
        (User.update(password_hash=hash_password(secret), activated=False,
                     session_epoch=User.session_epoch + 1)
         .where(User.id == user.id).execute())
        password_notice(user, PASSWORD_RESET, "由管理员重置为初始密码（身份证后六位），下次登录须修改密码")
        audit.record("password_reset", by, f"重置 {user.username} 的密码为初始密码")
    end_all(user)


# ---------------------------------------------------------------- CSV import: preview, then import

COLUMNS = ("username", "name", "type", "department", "roles", "id_card", "phone", "email")
TYPE_WORDS = {"staff": "staff", "student": "student", "external": "external",
              "教职工": "staff", "学生": "student", "校外人员": "external"}
PREVIEW_ROWS = 100


@dataclass
class CsvRow:
    line: int
    username: str
    name: str
    type: str
    department: str
    roles: list                  # ["code", "code@部门"]
    id_card: str
    phone: str
    email: str
    missing_department: str | None = None
    missing_roles: list = dataclass_field(default_factory=list)


@dataclass
class Preview:
    """What an import would do: rows to create, rows refused (and why), and the departments
    and roles that do not exist (created only when the admin ticks 同时创建)."""
    rows: list                   # CsvRow
    errors: list                 # (line, username, reason)
    missing_departments: list
    missing_roles: list

    @property
    def needs_missing(self) -> list:
        return [r for r in self.rows if r.missing_department or r.missing_roles]


def new_import_job(filename: str, data: bytes, user) -> UserImportJob:
    """Keep the uploaded CSV in the storage (``imports/``) and create its job, waiting for
    confirmation; AccountError when the file is refused or cannot be kept."""
    rows = _read(_decode(data))
    missing = {"username", "name", "type"} - set(rows[0][1].keys() if rows else ())
    if not rows or missing:
        raise AccountError("CSV 需要表头 username,name,type,department,roles,id_card,phone,email 和至少一行数据")
    key = f"imports/{uuid.uuid4().hex}.csv"
    try:
        storage.current().put(key, io.BytesIO(data))
    except storage.StorageError:
        raise AccountError("文件存储暂时不可用，请稍后重试") from None
    return UserImportJob.create(filename=filename[:255], path=key, total=len(rows), created_by=user,
                                status="preview")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AccountError("CSV 文件必须是 UTF-8 编码") from None


def _read(text: str) -> list[tuple[int, dict]]:
    return [(n, row) for n, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2)]


def _parse(line: int, row: dict) -> CsvRow:
    value = {k: (row.get(k) or "").strip() for k in COLUMNS}
    roles = [r.strip() for r in value["roles"].replace(";", ",").replace("，", ",").split(",") if r.strip()]
    return CsvRow(line, value["username"], value["name"], TYPE_WORDS.get(value["type"], value["type"]),
                  value["department"], roles, value["id_card"], value["phone"], value["email"])


def preview_rows(rows: list[tuple[int, dict]]) -> Preview:
    departments = {n for (n,) in Department.select(Department.name).tuples()}
    roles = {c for (c,) in Role.select(Role.code).tuples()}
    names = [(row.get("username") or "").strip() for _, row in rows]
    existing = set()
    for chunk in range(0, len(names), 500):
        existing |= {u for (u,) in User.select(User.username).where(User.username.in_(names[chunk:chunk + 500])).tuples()}
    out, errors, seen = [], [], set()
    missing_departments, missing_roles = {}, {}
    for line, raw in rows:
        row = _parse(line, raw)
        reason = _refused(row, existing, seen)
        seen.add(row.username)
        if reason:
            errors.append((line, row.username, reason))
            continue
        wanted = [row.department] if row.department else []
        wanted += [r.partition("@")[2] for r in row.roles if r.partition("@")[2]]
        for name in wanted:
            if name not in departments:
                missing_departments.setdefault(name, []).append(line)
                if name == row.department:
                    row.missing_department = name
        for code in (r.partition("@")[0] for r in row.roles):
            if code not in roles:
                missing_roles.setdefault(code, []).append(line)
                row.missing_roles.append(code)
        out.append(row)
    return Preview(out, errors, sorted(missing_departments), sorted(missing_roles))


def _refused(row: CsvRow, existing, seen) -> str | None:
    if not row.username or len(row.username) > 64:
        return "用户名为空或超过64个字符"
    if row.username in existing:
        return f"用户 {row.username} 已存在"
    if row.username in seen:
        return f"用户名 {row.username} 在文件中重复"
    if not row.name:
        return "姓名为空"
    if row.type not in USER_TYPES:
        return f"类型“{row.type}”无效（应为 教职工/学生/校外人员 或 staff/student/external）"
    if not initial_password(row.id_card or None):
        return "缺少身份证号（初始密码为身份证后六位）"
    return None


def preview_job(job: UserImportJob) -> Preview:
    with storage.current().open(job.path) as f:
        return preview_rows(_read(_decode(f.read())))


def confirm_job(job: UserImportJob, create_missing: bool) -> bool:
    """Queue a previewed job (once: a second confirmation does nothing) → whether it was."""
    with db.atomic():
        return bool(UserImportJob.update(status="queued", create_missing=bool(create_missing))
                    .where(UserImportJob.id == job.id, UserImportJob.status == "preview").execute())


def run_import_job(job_id: int) -> None:
    """Run one confirmed import job, recording progress as it goes (in-request or by huey)."""
    job = UserImportJob.get_or_none(UserImportJob.id == job_id)
    if job is None or job.status not in ("queued",):
        return
    _update(job_id, status="running")
    try:
        plan = preview_job(job)
    except (OSError, AccountError, csv.Error, storage.StorageError) as exc:
        _update(job_id, status="failed", errors=[f"无法读取文件：{exc}"], finished=utcnow())
        return
    problems = [(line, reason) for line, _, reason in plan.errors]
    created = 0
    for done, row in enumerate(plan.rows, start=1):
        try:
            _create(row, job.create_missing)
            created += 1
        except DirectoryError as exc:
            problems.append((row.line, str(exc)))
        if done % 10 == 0:
            _update(job_id, processed=done + len(plan.errors))
    errors = [f"{job.filename}:{line}: {reason}" for line, reason in sorted(problems)]
    _update(job_id, status="done", created_count=created, errors=errors, processed=job.total, finished=utcnow())
    try:
        storage.current().delete(job.path)
    except (OSError, storage.StorageError):
        pass


def _create(row: CsvRow, create_missing: bool) -> None:
    if not create_missing and (row.missing_department or row.missing_roles):
        missing = ([f"部门“{row.missing_department}”"] if row.missing_department else []) + \
                  [f"角色“{c}”" for c in row.missing_roles]
        raise DirectoryError(f"{'、'.join(missing)}不存在（未勾选“同时创建”，本行未导入）")
    add_user(row.username, name=row.name, type=row.type, department_name=row.department or None,
             roles=row.roles, id_card=row.id_card or None, phone=row.phone, email=row.email)


def _update(job_id, **values):
    with db.atomic():
        UserImportJob.update(**values).where(UserImportJob.id == job_id).execute()
