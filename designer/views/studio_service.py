"""Per service: versions, diff, YAML download, 停用/启用; and the browser import."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from app import audit
from app.db import write_transaction
from app.web.urls import bounded_int
from designer import imports, scenarios, scope, summary, versions
from designer.forms import ImportForm, PublishForm

INLINE_MIGRATION = 50        # more running instances than this migrate on the queue


class ServiceRoutes:
    @expose("/service/<int:service_id>/versions")
    def versions(self, service_id):
        service = scope.service_or_404(current_user, service_id)
        rows = versions.listing(service)
        numbers = [v.version for v, _ in rows]
        old, new = _pick(request.args.get("a"), numbers, 1), _pick(request.args.get("b"), numbers, 0)
        changes, said = [], {}
        if old is not None and new is not None:
            a, b = versions.get(service, old), versions.get(service, new)
            changes = versions.diff(a.source, b.source, f"版本 {old}", f"版本 {new}")
            said = summary.lines(summary.compare(versions.definition(a), versions.definition(b)))
        stored = scenarios.stored(service.slug)
        latest = versions.get(service, service.latest_version)
        tests = scenarios.run(service.slug, latest.source) if latest is not None else None
        return self.render("designer/versions.html", service=service, rows=rows, numbers=numbers,
                           old=old, new=new, changes=changes, said=said, form=PublishForm(),
                           tests=tests, tests_source=stored.source if stored else "",
                           tests_row=stored)

    @expose("/service/<int:service_id>/scenarios", methods=("POST",))
    def save_scenarios(self, service_id):
        """Store the service's scenario tests (NAME.test.yaml text); shown with the versions."""
        from app.defs.exceptions import DefinitionError
        service = scope.service_or_404(current_user, service_id)
        if not PublishForm().validate_on_submit():
            abort(400)
        try:
            saved = scenarios.save(service.slug, request.form.get("source", ""), current_user._get_current_object())
        except DefinitionError as exc:
            for problem in exc.problems:
                flash(f"测试用例第 {problem.line} 行第 {problem.col} 列：{problem.message}", "error")
            return redirect(url_for(".versions", service_id=service.id) + "#dz-tests")
        flash("场景测试已保存" if saved else "场景测试已删除", "success")
        return redirect(url_for(".versions", service_id=service.id) + "#dz-tests")

    @expose("/service/<int:service_id>/migrate", methods=("GET", "POST"))
    def migrate_versions(self, service_id):
        """版本迁移: the dry-run report (with a step map for steps that are gone), then a job."""
        from app.engine import migrate
        from designer import version_moves
        service = scope.service_or_404(current_user, service_id)
        version = versions.get(service, request.values.get("to", service.latest_version, type=bounded_int))
        if version is None:
            abort(404)
        step_map = version_moves.clean_step_map(request.values, version)
        if request.method == "POST":
            if not PublishForm().validate_on_submit():
                abort(400)
            job = version_moves.create_job(service, version, current_user._get_current_object(), step_map)
            if migrate.candidates(service).count() <= INLINE_MIGRATION:
                version_moves.run_job(job.id)
            else:
                from designer.jobs import migrate_instances
                migrate_instances(job.id)
            return redirect(url_for(".migration_job", job_id=job.id))
        from app.engine.core import service_def
        report = migrate.plan(service, version, None, step_map)
        return self.render("designer/migrate.html", service=service, version=version, report=report,
                           numbers=[v.version for v, _ in versions.listing(service)],
                           gone=version_moves.gone_steps(service, version), step_map=step_map,
                           new_steps=service_def(version).steps, form=PublishForm())

    @expose("/migrations/<int:job_id>")
    def migration_job(self, job_id):
        from app.models.designer import MigrationJob
        job = MigrationJob.get_or_none(MigrationJob.id == job_id)
        if job is None:
            abort(404)
        service = scope.service_or_404(current_user, job.service_id)
        return self.render("designer/migration_job.html", job=job, service=service)

    @expose("/service/<int:service_id>/versions/<int:number>.yaml")
    def version_yaml(self, service_id, number):
        from designer.views.studio import yaml_download
        service = scope.service_or_404(current_user, service_id)
        version = versions.get(service, number)
        if version is None:
            abort(404)
        return yaml_download(version.source, f"{service.slug}-v{number}.yaml")

    @expose("/service/<int:service_id>/enabled", methods=("POST",))
    def set_enabled(self, service_id):
        service = scope.service_or_404(current_user, service_id)
        if not PublishForm().validate_on_submit():
            abort(400)
        service.enabled = request.form.get("enabled") == "1"
        with write_transaction():
            service.save(only=[type(service).enabled])
            audit.record("enable" if service.enabled else "disable", current_user, service.slug)
        flash("服务已启用" if service.enabled else "服务已停用：申请人不能再发起，已有申请照常办理", "success")
        return redirect(url_for(".versions", service_id=service.id))

    @expose("/import", methods=("GET", "POST"))
    def import_files(self):
        form = ImportForm()
        report = []
        if form.validate_on_submit():
            uploads = [f for f in request.files.getlist("files") if f and f.filename]
            if not uploads:
                flash("请选择要导入的 YAML 文件", "error")
            for upload in uploads:
                report.append(imports.import_upload(upload.filename, upload.read(imports.MAX_BYTES + 1),
                                                    current_user, self.allowed()))
        return self.render("designer/import.html", form=form, report=report)


def _pick(value, numbers, default_index):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return numbers[default_index] if len(numbers) > default_index else None
    if number not in numbers:
        abort(404)
    return number
