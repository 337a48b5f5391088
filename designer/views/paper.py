"""从纸质表单导入: the upload form, the original beside the draft (rendered or downloaded)
and the guesses 待确认 (JSON for ``builder_paper.js``). The work is in ``designer.paper``."""
from urllib.parse import quote

from flask import Response, abort, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FileField, SelectField

from app.defs.exceptions import DefinitionError
from app.paper.safety import MAX_BYTES
from designer import paper, problems, scope
from designer.views.studio import StudioBase

MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class PaperForm(FlaskForm):
    file = FileField("纸质表单文件（Word .docx 或 Excel .xlsx，不超过 10 MB）")
    department = SelectField("主办部门", choices=[])


class PaperView(StudioBase):

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = PaperForm()
        choices = scope.department_choices(current_user)
        form.department.choices = choices
        if request.method == "GET":
            own = current_user.department.name if current_user.department_id else None
            form.department.data = own if own in choices else None
        error = None
        if form.validate_on_submit():
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                error = "请选择要导入的 Word 或 Excel 文件"
            else:
                try:
                    draft = paper.create(upload.filename, upload.read(MAX_BYTES + 1), form.department.data,
                                         current_user._get_current_object(), self.allowed())
                except paper.PaperError as exc:
                    error = exc.message
                except DefinitionError as exc:
                    error = "；".join(e.message for e in problems.explain_all(exc, None))[:300]
                else:
                    return redirect(url_for("designer_builder.edit", draft_id=draft.id))
        elif request.method == "POST":
            error = "；".join(m for messages in form.errors.values() for m in messages) or "请重新选择文件"
        return self.render("designer/paper_upload.html", form=form, error=error), 422 if error else 200

    def _record(self, draft_id):
        draft = self.draft_or_404(draft_id)
        record = paper.record_for(draft)
        if record is None:
            abort(404)
        return draft, record

    @expose("/<int:draft_id>/original")
    def original(self, draft_id):
        _, record = self._record(draft_id)
        name = record.filename.rsplit(".", 1)[0] + "." + record.kind
        return Response(bytes(record.original), mimetype=MEDIA[record.kind], headers={
            "Content-Disposition": f"attachment; filename=\"form.{record.kind}\"; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff"})

    @expose("/<int:draft_id>/view")
    def view_original(self, draft_id):
        draft, record = self._record(draft_id)
        return self.render("designer/paper_original.html", draft=draft, record=record,
                           blocks=paper.blocks_of(record))

    @expose("/<int:draft_id>/guesses", methods=("GET", "POST"))
    def guesses(self, draft_id):
        draft, record = self._record(draft_id)
        if request.method == "POST":
            body = request.get_json(silent=True)
            targets = body.get("targets") if isinstance(body, dict) else None
            if targets is not None and not (isinstance(targets, list) and all(isinstance(t, str) for t in targets)):
                return jsonify(error="bad_request", message="请求有误"), 400
            paper.accept(draft, targets, current_user)
        return jsonify(pending=paper.pending(self.draft_or_404(draft_id)))
