"""Directory operations of the designer that app.directory does not have: password reset
and bulk-import jobs. Plain functions, no Flask."""
from __future__ import annotations

import csv
import os
import uuid

from app.db import db, write_transaction
from app.directory import import_csv
from app.models import User, utcnow
from app.models.designer import UserImportJob
from app.passwords import hash_password, initial_password

SYNC_LIMIT = 200          # files with at most this many rows are imported in the request


class AccountError(ValueError):
    pass


def reset_password(user: User) -> None:
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
    end_all(user)


def new_import_job(filename: str, data: bytes, folder: str, user) -> UserImportJob:
    """Keep the uploaded CSV under ``folder`` and create its job (rows counted, not run)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AccountError("CSV 文件必须是 UTF-8 编码") from None
    rows = list(csv.DictReader(text.splitlines()))
    missing = {"username", "name", "type"} - set(rows[0].keys() if rows else ())
    if not rows or missing:
        raise AccountError("CSV 需要表头 username,name,type,department,roles,id_card,phone,email 和至少一行数据")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{uuid.uuid4().hex}.csv")
    with open(path, "wb") as f:
        f.write(data)
    return UserImportJob.create(filename=filename[:255], path=path, total=len(rows), created_by=user)


def run_import_job(job_id: int) -> None:
    """Run one import job, recording progress as it goes (called in-request or by huey)."""
    job = UserImportJob.get_or_none(UserImportJob.id == job_id)
    if job is None or job.status not in ("queued",):
        return
    _update(job_id, status="running")

    def progress(done):
        if done % 10 == 0 or done == job.total:
            _update(job_id, processed=done)

    try:
        created, errors = import_csv(job.path, progress=progress)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        _update(job_id, status="failed", errors=[f"无法读取文件：{exc}"], finished=utcnow())
        return
    errors = [e.replace(job.path, job.filename) for e in errors]
    _update(job_id, status="done", created_count=created, errors=errors, finished=utcnow())
    try:
        os.remove(job.path)
    except OSError:
        pass


def _update(job_id, **values):
    with db.atomic():
        UserImportJob.update(**values).where(UserImportJob.id == job_id).execute()
