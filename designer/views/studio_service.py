"""Per service: versions, diff, YAML download, 停用/启用; and the browser import."""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from designer import imports, scope, versions
from designer.forms import ImportForm, PublishForm


class ServiceRoutes:
    @expose("/service/<int:service_id>/versions")
    def versions(self, service_id):
        service = scope.service_or_404(current_user, service_id)
        rows = versions.listing(service)
        numbers = [v.version for v, _ in rows]
        old, new = _pick(request.args.get("a"), numbers, 1), _pick(request.args.get("b"), numbers, 0)
        changes = []
        if old is not None and new is not None:
            a, b = versions.get(service, old), versions.get(service, new)
            changes = versions.diff(a.source, b.source, f"版本 {old}", f"版本 {new}")
        return self.render("designer/versions.html", service=service, rows=rows, numbers=numbers,
                           old=old, new=new, changes=changes, form=PublishForm())

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
        service.save(only=[type(service).enabled])
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
