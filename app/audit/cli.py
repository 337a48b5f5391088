"""The audit log inside the running app: its key and the caller's address for the recorder,
``flask audit export|verify``, and the daily prune task in the worker."""
import csv
import sys

import click
from flask import current_app, has_app_context, has_request_context, request
from flask.cli import AppGroup
from huey import crontab

from app.audit import chain as audit_chain
from app.audit import log
from app.audit.log import between, keep_days, prune
from app.db import db
from app.exports.cells import neutralise as guard
from app.queue import huey


def _key() -> str:
    if has_app_context():
        return current_app.config["AUDIT_KEY"]
    return log._instance_key()


def _address():
    return request.remote_addr if has_request_context() else None


CSV_HEADER = ("time", "kind", "user", "detail", "address")


def write_csv(events, out) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for e in events.iterator():
        writer.writerow([e.at.isoformat(timespec="seconds") + "Z", e.kind,
                         guard(e.username or ""), guard(e.detail), e.address or ""])
        count += 1
    return count


@huey.periodic_task(crontab(hour="3", minute="47"))
def prune_task():
    from app import queue
    with db.connection_context(), queue.app_context():
        prune(keep_days(current_app.config))


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
        report = audit_chain.verify(log.key())
    click.echo(report.message, err=not report.ok)
    sys.exit(0 if report.ok else 1)


def init_app(app) -> None:
    log.configure(key=_key, address=_address)
    app.cli.add_command(audit_cli)
