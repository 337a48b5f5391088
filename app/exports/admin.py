"""Bulk export pages (system admins; dept_admins for their own department's services)."""

from flask import (abort, current_app, flash, jsonify, redirect, render_template, request,
                   send_file, url_for)
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import audit
from app.exports import bp
from app.exports.forms import ExportForm
from app.exports.jobs import STATUS_LABELS, create_job, job_state
from app.exports.policy import admin_departments, exportable_services, may_export_service
from app.models import Department, Service, utcnow
from app.models.exports import ExportJob

RECENT_JOBS = 10


def _exporter():
    user = current_user._get_current_object()
    departments = admin_departments(user)
    if departments is not None and not departments:
        abort(403, description="只有系统管理员和部门管理员可以批量导出")
    return user


def _form(services):
    form = ExportForm()
    form.service.choices = [SelectChoice(s.slug, f"{s.name}（{s.department}）") for s in services]
    form.department.choices = [SelectChoice("", "全部部门")] + [
        SelectChoice(d.name, d.name) for d in Department.select().order_by(Department.name)]
    return form


@bp.route("/exports/", methods=["GET", "POST"])
@login_required
def export_index():
    user = _exporter()
    services = exportable_services(user)
    form = _form(services)
    if request.method == "POST":
        wanted = Service.get_or_none(Service.slug == request.form.get("service", ""))
        if wanted is not None and not may_export_service(user, wanted):
            abort(403, description="不能导出其他部门的服务")
    if form.validate_on_submit():
        service = Service.get(Service.slug == form.service.data)
        job = create_job(service, user, form.format.data, form.filters())
        audit.record("export", user, f"批量导出 {service.slug} {form.format.data}（任务 {job.id}）")
        _enqueue(job)
        return redirect(url_for(".export_job", job_id=job.id))
    status = 422 if form.errors else 200
    jobs = (ExportJob.select().where(ExportJob.user == user)
            .order_by(ExportJob.id.desc()).limit(RECENT_JOBS))
    return render_template("exports/index.html", form=form, jobs=jobs, labels=STATUS_LABELS), status


def _enqueue(job):
    from app.exports.tasks import run_export
    try:
        run_export(job.id)
    except Exception:
        current_app.logger.exception("cannot enqueue export job %s", job.id)
        ExportJob.update(status="failed", error="任务队列不可用", finished=utcnow()).where(
            ExportJob.id == job.id).execute()
        flash("任务队列暂时不可用，请稍后重试", "error")


def _job(job_id):
    """The user's own job (any job for admins) of a service they may still export."""
    user = _exporter()
    job = ExportJob.get_or_none(ExportJob.id == job_id)
    if job is None or not may_export_service(user, job.service):
        abort(404)
    if job.user_id != user.id and admin_departments(user) is not None:
        abort(404)
    return job


@bp.route("/exports/jobs/<int:job_id>")
@login_required
def export_job(job_id):
    job = _job(job_id)
    return render_template("exports/job.html", job=job, state=job_state(job))


@bp.route("/exports/jobs/<int:job_id>.json")
@login_required
def export_job_state(job_id):
    job = _job(job_id)
    state = job_state(job)
    if job.status == "done":
        state["download_url"] = url_for(".export_download", job_id=job.id)
    return jsonify(state)


@bp.route("/exports/jobs/<int:job_id>/download")
@login_required
def export_download(job_id):
    job = _job(job_id)
    if job.status == "expired":
        abort(410, description="导出文件已过期删除，请重新导出")
    if job.status != "done":
        abort(409, description="导出尚未完成")
    from app.exports.bulk import WRITERS
    from app.storage import StorageError, current
    try:
        data = current().open(job.file_path) if job.file_path else None
    except FileNotFoundError:
        data = None
    except StorageError:
        abort(503, description="文件存储暂时不可用，请稍后重试")
    if data is None:
        abort(410, description="导出文件已不存在，请重新导出")
    return send_file(data, as_attachment=True, download_name=job.filename,
                     mimetype=WRITERS.get(job.format).mimetype)
