"""Admin pages: the outbox by status (failed ones with 重试) and departments' webhooks."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.engine import queries
from app.models import Department, utcnow
from app.models.notify import DepartmentWebhook, Notification, STATUSES
from app.notify import delivery, forms, outbox
from app.notify.routes import bp
from app.web.urls import bounded_int
from plugins.channels import CHANNELS

N = Notification
PAGE_SIZE = 50
STATUS_LABELS = {"pending": "待发送", "sending": "发送中", "sent": "已发送", "failed": "发送失败"}


@bp.app_template_filter("notify_status")
def notify_status(status):
    return STATUS_LABELS.get(status, status)


@bp.app_template_filter("channel_label")
def channel_label(name):
    return CHANNELS.get(name).label if name in CHANNELS else name


def _require_admin():
    if not queries.is_admin(current_user):
        abort(403, description="只有管理员可以查看")


@bp.route("/admin/notifications")
@login_required
def admin_list():
    _require_admin()
    status = request.args.get("status", "failed")
    if status not in STATUSES:
        status = "failed"
    page = max(request.args.get("page", 1, type=bounded_int) or 1, 1)
    query = N.select().where(N.status == status)
    total = query.count()
    rows = list(query.order_by(N.id.desc()).paginate(page, PAGE_SIZE))
    counts = {s: N.select().where(N.status == s).count() for s in STATUSES}
    return render_template("notify/admin.html", rows=rows, status=status, counts=counts,
                           labels=STATUS_LABELS, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)))


@bp.route("/admin/notifications/<int:nid>/retry", methods=["POST"])
@login_required
def admin_retry(nid):
    _require_admin()
    ids = delivery.retry(nid)
    if not ids:
        abort(404, description="没有这条发送失败的通知")
    _enqueue(ids)
    flash("已重新加入发送队列", "success")
    return redirect(url_for("notify.admin_list", status="failed"))


@bp.route("/admin/notifications/retry-failed", methods=["POST"])
@login_required
def admin_retry_all():
    _require_admin()
    ids = delivery.retry()
    _enqueue(ids)
    flash(f"{len(ids)} 条通知已重新加入发送队列", "success")
    return redirect(url_for("notify.admin_list", status="failed"))


def _enqueue(ids):
    """After the request; if the queue is down the sweeper sends them when it is back."""
    outbox.remember(ids)


@bp.route("/admin/notifications/webhooks", methods=["GET", "POST"])
@login_required
def admin_webhooks():
    _require_admin()
    form = forms.WebhookForm()
    status = 200
    if request.method == "POST":
        department = Department.get_or_none(Department.id == request.form.get("department", type=bounded_int))
        if department is None:
            abort(404, description="部门不存在")
        if form.validate_on_submit():
            _save_webhook(department, form.wecom_webhook.data)
            flash(f"已保存 {department.name} 的企业微信 webhook", "success")
            return redirect(url_for("notify.admin_webhooks"))
        flash(f"{department.name}: " + "；".join(form.wecom_webhook.errors), "error")
        status = 422
    hooks = {h.department_id: h.wecom_webhook for h in DepartmentWebhook.select()}
    departments = list(Department.select().order_by(Department.name))
    return render_template("notify/webhooks.html", departments=departments, hooks=hooks), status


def _save_webhook(department, url):
    (DepartmentWebhook.insert(department=department, wecom_webhook=url, updated=utcnow())
     .on_conflict(conflict_target=[DepartmentWebhook.department],
                  update={DepartmentWebhook.wecom_webhook: url, DepartmentWebhook.updated: utcnow()})
     .execute())
