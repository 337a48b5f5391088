"""The audit log: ``record(kind, user, detail)`` from the places that matter (SPEC §7.5).

``record`` inserts on the current connection, so inside a transaction the event commits or
rolls back with the change it describes. Details never carry a full ID card number (they are
masked like log lines). Reading: ``/designer/audit`` (system admins) and
``flask audit export``; ``flask audit verify`` checks the HMAC chain (``app.audit_chain``). Keeping: a daily worker task prunes events older than
AUDIT_KEEP_DAYS (never fewer than ``MIN_KEEP_DAYS``).
"""
import csv
import sys
from datetime import date, timedelta

import click
from flask import current_app, has_app_context, has_request_context, request
from flask.cli import AppGroup
from huey import crontab

from app import audit_chain
from app.db import db
from app.models import utcnow
from app.models.base import day_start_utc
from app.models.audit import AuditEvent
from app.queue import huey

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
CSV_HEADER = ("time", "kind", "user", "detail", "address")


def record(kind: str, user=None, detail: str = "", *, username: str | None = None) -> None:
    """Append one event. ``user`` is the acting User (or None); ``username`` names someone
    who has no account row, e.g. a failed login with an unknown name."""
    from app.directory import mask_id_numbers
    if kind not in KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    name = getattr(user, "username", None) or username
    address = (request.remote_addr or "")[:64] or None if has_request_context() else None
    audit_chain.append(key(), kind=kind, username=(name or "")[:64] or None, address=address,
                       detail=mask_id_numbers(str(detail or ""))[:4000], at=utcnow())


def key() -> bytes:
    """AUDIT_KEY (config or environment; else generated once into instance/audit_key).

    Commands that run without an application context (``flask defs import`` binds the
    database itself) read the same key: the environment, else the instance folder's file."""
    if has_app_context():
        return str(current_app.config["AUDIT_KEY"]).encode("utf-8")
    import os
    from app.config import instance_path, instance_secret
    value = os.environ.get("AUDIT_KEY") or instance_secret(instance_path(), "audit_key")
    return str(value).encode("utf-8")


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


@huey.periodic_task(crontab(hour="3", minute="47"))
def prune_task():
    from app import queue
    with db.connection_context(), queue.app_context():
        prune(keep_days(current_app.config))


# ---------------------------------------------------------------- reading

def between(start: date, end: date):
    """Events from the start of ``start`` to the end of ``end`` (China Standard Time days,
    as the pages show times), oldest first."""
    lo, hi = day_start_utc(start), day_start_utc(end + timedelta(days=1))
    return (AuditEvent.select().where((AuditEvent.at >= lo) & (AuditEvent.at < hi))
            .order_by(AuditEvent.at, AuditEvent.id))


def write_csv(events, out) -> int:
    from app.exports.cells import neutralise as guard
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for e in events.iterator():
        writer.writerow([e.at.isoformat(timespec="seconds") + "Z", e.kind,
                         guard(e.username or ""), guard(e.detail), e.address or ""])
        count += 1
    return count


audit_cli = AppGroup("audit", help="Read and verify the audit log.")


@audit_cli.command("export")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="first day (YYYY-MM-DD, China time)")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="last day, included")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="CSV file (default: standard output)")
def export_command(start, end, output):
    """Write the events of the days FROM..TO as CSV: time, kind, user, detail, address."""
    if end < start:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    with db.connection_context():
        events = between(start.date(), end.date())
        if output is None:
            count = write_csv(events, sys.stdout)
        else:
            with open(output, "w", newline="", encoding="utf-8-sig") as f:
                count = write_csv(events, f)
            click.echo(f"{count} events written to {output}", err=True)


@audit_cli.command("verify")
def verify_command():
    """Check the HMAC chain: exit 0 when it holds, 1 naming the first event edited, deleted
    or inserted behind the app's back."""
    with db.connection_context():
        report = audit_chain.verify(key())
    click.echo(report.message, err=not report.ok)
    sys.exit(0 if report.ok else 1)


def init_app(app) -> None:
    app.cli.add_command(audit_cli)
