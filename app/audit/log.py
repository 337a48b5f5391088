"""The audit log's recorder: ``record(kind, user, detail)`` from the places that matter
(SPEC §7.5). No Flask: the engine, the directory and the CLI record without a request.

``record`` inserts on the current connection, so inside a transaction the event commits or
rolls back with the change it describes. Details never carry a full ID card number (they are
masked like log lines). The HMAC chain is ``app.audit.chain``; the running app tells the
recorder its key and the caller's address (``app.audit.cli.init_app`` → ``configure``).
Keeping: a daily worker task prunes events older than AUDIT_KEEP_DAYS (never fewer than
``MIN_KEEP_DAYS``).
"""
import os
from datetime import date, timedelta

from app.audit import chain as audit_chain
from app.models import utcnow
from app.models.audit import AuditEvent
from app.models.base import day_start_utc
from app.people.idcards import mask_id_numbers

MIN_KEEP_DAYS = 180
KINDS = {
    "login": "登录成功", "login_failed": "登录失败",
    "password_change": "修改密码", "password_reset": "重置密码",
    "denied": "拒绝访问",
    "publish": "发布服务", "enable": "启用服务", "disable": "停用服务",
    "import": "导入定义", "migrate": "版本迁移", "reassign": "改派",
    "directory": "通讯录修改", "id_reveal": "查看完整身份证号",
    "export": "导出", "retention": "留存清理", "id_rekey": "身份证号重新加密",
    "hold": "留存（暂停清理）", "csrf_failure": "CSRF 校验失败",
}


def record(kind: str, user=None, detail: str = "", *, username: str | None = None) -> None:
    """Append one event. ``user`` is the acting User (or None); ``username`` names someone
    who has no account row, e.g. a failed login with an unknown name."""
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    name = getattr(user, "username", None) or username
    address = (_sources["address"]() or "")[:64] or None
    audit_chain.append(key(), kind=kind, username=(name or "")[:64] or None, address=address,
                       detail=mask_id_numbers(str(detail or ""))[:4000], at=utcnow())


def _instance_key() -> str:
    """Outside a running app (``flask defs import`` binds the database itself): the
    environment's AUDIT_KEY, else the instance folder's generated file."""
    from app.config import instance_path, instance_secret
    return os.environ.get("AUDIT_KEY") or instance_secret(instance_path(), "audit_key")


_sources = {"key": _instance_key, "address": lambda: None}


def configure(*, key=None, address=None) -> None:
    """Where the key (AUDIT_KEY) and the caller's address come from: the running app installs
    readers of its config and of the request (``app.audit.cli.init_app``)."""
    if key is not None:
        _sources["key"] = key
    if address is not None:
        _sources["address"] = address


def key() -> bytes:
    """The chain's HMAC key, from the configured source."""
    return str(_sources["key"]()).encode("utf-8")


def record_retention(counts: dict, *, dry_run: bool = False, user=None) -> None:
    """One event per retention run with its counts, e.g. ``{"anonymized": 3, "deleted": 1}``."""
    text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    record("retention", user, ("dry-run: " if dry_run else "") + text)


# ---------------------------------------------------------------- keeping

def keep_days(config) -> int:
    return max(MIN_KEEP_DAYS, int(config.get("AUDIT_KEEP_DAYS") or 365))


def prune(days: int) -> int:
    """Delete events older than ``days`` (at least MIN_KEEP_DAYS); the number deleted."""
    cutoff = utcnow() - timedelta(days=max(MIN_KEEP_DAYS, int(days)))
    return audit_chain.prune_before(key(), cutoff)


# ---------------------------------------------------------------- reading

def between(start: date, end: date):
    """Events from the start of ``start`` to the end of ``end`` (China Standard Time days,
    as the pages show times), oldest first."""
    lo, hi = day_start_utc(start), day_start_utc(end + timedelta(days=1))
    return (AuditEvent.select().where((AuditEvent.at >= lo) & (AuditEvent.at < hi))
            .order_by(AuditEvent.at, AuditEvent.id))
