"""Print view, PDF and Word exports of one instance, and the public verification page."""
import io
import logging
import re

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.db import db
from app.engine import core
from app.exports import bp
from app.exports.policy import may_print
from app.models import Instance
from app.models.exports import PrintRecord
from app.exports.print_model import print_model
from renderers.print import VERIFY_PATH, print_html

log = logging.getLogger(__name__)
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
MASKED = "*masked"          # in a print record's hidden list: sensitive values were masked


def printable_instance(serial):
    """404 for those who cannot see the instance, 403 for viewers who may not print it."""
    from app.web.lookups import visible_instance
    inst = visible_instance(serial, current_user._get_current_object())
    sdef = core.service_def(inst)
    if not may_print(inst, sdef, current_user._get_current_object()):
        abort(403, description="无权限打印或导出此事项")
    return inst, sdef


def public_base() -> str:
    """Where the QR code points: PUBLIC_URL if configured, else the host of this request."""
    return (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def recorded_model(inst, sdef, fmt):
    """The print model for the current user; the print is recorded for verification."""
    user = current_user._get_current_object()
    model = print_model(inst, sdef, user, base_url=public_base())
    with db.atomic():
        PrintRecord.create(instance=inst, user=user, fingerprint=model.fingerprint,
                           hidden=list(model.hidden) + ([MASKED] if model.masked else []),
                           format=fmt)
        audit.record("export", user, f"流水号 {inst.serial} {fmt}")
    return model


@bp.app_template_global()
def print_allowed(inst) -> bool:
    """For the instance page's buttons."""
    return may_print(inst, core.service_def(inst), current_user._get_current_object())


@bp.route("/instances/<int:serial>/print")
@login_required
def print_view(serial):
    inst, sdef = printable_instance(serial)
    model = recorded_model(inst, sdef, "print")
    toolbar = {_("导出PDF"): url_for(".export_pdf", serial=serial),
               _("导出Word"): url_for(".export_docx", serial=serial),
               _("返回"): url_for("center.instance", serial=serial)}
    return print_html(model, toolbar=toolbar)


def _download_name(sdef, inst, ext):
    return f"{sdef.name}_{inst.serial}.{ext}"


@bp.route("/instances/<int:serial>/export.pdf")
@login_required
def export_pdf(serial):
    from renderers.pdf import RenderTimeout, render_pdf
    inst, sdef = printable_instance(serial)
    html = print_html(recorded_model(inst, sdef, "pdf"))
    limit = float(current_app.config.get("PDF_TIMEOUT") or 20)
    try:
        pdf = render_pdf(html, processes=current_app.config.get("PDF_RENDER_PROCESSES", 1),
                         max_tasks=current_app.config.get("PDF_RENDER_MAX_TASKS", 100), timeout=limit)
    except RenderTimeout:
        log.warning("PDF of instance %s took longer than PDF_TIMEOUT=%g s; renderer killed", serial, limit)
        abort(503, description=f"PDF 生成超时（超过 {limit:g} 秒），请稍后重试，或使用“打印”另存为 PDF")
    except Exception:
        log.exception("PDF rendering of instance %s failed", serial)
        abort(503, description="PDF 生成服务暂时不可用，请稍后重试")
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=_download_name(sdef, inst, "pdf"))


@bp.route("/instances/<int:serial>/export.docx")
@login_required
def export_docx(serial):
    from renderers.docx import render_docx
    inst, sdef = printable_instance(serial)
    data = render_docx(recorded_model(inst, sdef, "docx"))
    return send_file(io.BytesIO(data), as_attachment=True, download_name=_download_name(sdef, inst, "docx"),
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route(VERIFY_PATH)
def verify(serial, fingerprint):
    """Public: does the serial exist, and does this copy's fingerprint match the current content?

    Service name, status and print date are shown only for a fingerprint that was really
    printed from this serial (they are on that paper anyway); a made-up fingerprint learns
    nothing but whether the serial exists.
    """
    inst = Instance.get_or_none(Instance.serial == serial)
    if inst is None:
        return render_template("exports/verify.html", serial=serial, exists=False), 404
    record = None
    if _FINGERPRINT.match(fingerprint):
        record = (PrintRecord.select().where(PrintRecord.instance == inst,
                                             PrintRecord.fingerprint == fingerprint)
                  .order_by(PrintRecord.printed_at.desc()).first())
    match = False
    if record is not None:
        hidden = set(record.hidden) - {MASKED}
        current = print_model(inst, core.service_def(inst), hidden=hidden,
                              masked=MASKED in record.hidden)
        match = current.fingerprint == fingerprint
    return render_template("exports/verify.html", serial=serial, exists=True, inst=inst,
                           record=record, match=match)
