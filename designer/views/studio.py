"""The draft's other pages beside the builder: metadata, source, publish (preview, versions
and the retired field/step editors' redirects are mixed in from the studio_* modules). Routes look a draft up through ``draft_or_404`` —
the scope check — and hand the change to ``designer.drafts``."""
import json

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_login import current_user

from app.defs.exceptions import DefinitionError
from app.defs.jsonschema_form import form_to_schema
from app.defs.store import latest_version
from app.models.designer import ServiceDraft
from app.people.roles import is_admin
from designer import drafts, editors, identifiers, preview, problems, scenarios, scope, summary, versions
from designer.forms import MetadataForm, NewServiceForm, PublishForm, SourceForm
from designer.views.base import DesignerAccess
from designer.views.studio_form import RetiredEditorRoutes
from designer.views.studio_preview import PreviewRoutes
from designer.views.studio_service import ServiceRoutes

TABS = (("metadata", "基本信息"), ("source", "源码"), ("preview", "预览"), ("publish", "发布"))


class StudioBase(DesignerAccess, BaseView):
    def is_visible(self):
        return False

    def allowed(self):
        return scope.managed_departments(current_user)

    def draft_or_404(self, draft_id) -> ServiceDraft:
        draft = ServiceDraft.get_or_none(ServiceDraft.id == draft_id)
        if draft is None or not scope.manages(current_user, draft.department):
            abort(404)
        if draft.service_id and not scope.manages(current_user, draft.service.department):
            abort(404)
        return draft

    def tab(self, template, draft, tab, status=200, **context):
        if g.get("dz_conflict") is not None:
            status = 409
        return self.render(template, draft=draft, tab=tab, tabs=TABS, sdef=drafts.compiled(draft),
                           conflict=g.get("dz_conflict"),
                           **context), status

    def based_on(self) -> int | None:
        """The revision the posted change was based on (the form's hidden ``revision``)."""
        raw = request.form.get("revision")
        if raw in (None, ""):
            return None
        try:
            return int(raw)
        except ValueError:
            abort(400)

    def save(self, draft, definition, form=None, at=()) -> bool:
        """Store an editor's change. A change from an older revision is refused with who
        changed the draft and when (the posted form stays on screen); problems go to the
        form's controls under ``at`` (the edited part's path), the others are flashed."""
        try:
            drafts.save_definition(draft, definition, current_user, self.allowed(), self.based_on())
        except drafts.Conflict as exc:
            self.conflicted(draft, exc, kept=form is not None)
            return False
        except DefinitionError as exc:
            place_problems(exc, definition, form, at)
            return False
        flash("已保存到草稿", "success")
        return True

    def conflicted(self, draft, exc, kept: bool) -> None:
        """Show the conflict and refresh ``draft`` to the revision now stored."""
        g.dz_conflict = exc
        hint = "您填写的内容保留在下方：请核对后再次保存" if kept else "页面已显示最新内容，请在此基础上重新操作"
        flash(f"{exc.message}。{hint}", "error")
        fresh = ServiceDraft.get_or_none(ServiceDraft.id == draft.id)
        if fresh is None:
            abort(404)
        draft.__data__.update(fresh.__data__)


def place_problems(exc: DefinitionError, definition: dict, form=None, at=()) -> None:
    """Each problem in Chinese: on the form control it is about, else flashed with where it is."""
    at = tuple(at)
    for explained in problems.explain_all(exc, definition):
        control = _control(form, explained.at, at) if form is not None else None
        if control is not None:
            control.errors = list(control.errors) + [explained.message]
        else:
            flash(str(explained), "error")


_FORM_KEYS = {("form", "title"): "form_title"}


def _control(form, path, prefix):
    """The WTForms field of ``form`` that edits the definition part at ``path``."""
    if path[:len(prefix)] != prefix or len(path) <= len(prefix):
        return None
    rest = path[len(prefix):]
    name = _FORM_KEYS.get(rest[:2]) if not prefix else None
    name = name or rest[0]
    if not isinstance(name, str) or name not in form._fields:
        return None
    return form[name]


def _typed(text) -> dict | None:
    """The definition as typed in 源码, to name fields and steps in the problems (else None)."""
    from app.defs import loader
    try:
        data, _ = loader.load(text or "", "源码")
    except DefinitionError:
        return None
    return data if isinstance(data, dict) else None


def flash_problems(exc: DefinitionError, definition: dict | None = None) -> None:
    for explained in problems.explain_all(exc, definition):
        flash(str(explained), "error")


class StudioView(RetiredEditorRoutes, PreviewRoutes, ServiceRoutes, StudioBase):

    @expose("/")
    def index(self):
        return redirect(url_for("designer_services.index_view"))

    @expose("/new", methods=("GET", "POST"))
    def new(self):
        form = NewServiceForm()
        form.department.choices = scope.department_choices(current_user)
        if request.method == "GET":
            form.number.data = identifiers.next_number()
        if form.validate_on_submit():
            name = form.name.data.strip()
            slug = (form.id.data or "").strip() or identifiers.service_id(name)
            definition = drafts.starter(slug, form.number.data, name, form.category.data.strip(),
                                        form.department.data, form.audience.data)
            try:
                draft = drafts.create(definition, current_user, self.allowed())
            except DefinitionError as exc:
                place_problems(exc, definition, form)
            else:
                flash("已创建服务草稿：先添加表单字段和流程步骤，预览后发布", "success")
                return redirect(url_for("designer_builder.edit", draft_id=draft.id))
        return self.render("designer/new.html", form=form)

    @expose("/service/<int:service_id>")
    def open_service(self, service_id):
        service = scope.service_or_404(current_user, service_id)
        if latest_version(service) is None:
            abort(404)
        return redirect(url_for(".metadata", draft_id=drafts.for_service(service).id))

    @expose("/<int:draft_id>/", methods=("GET", "POST"))
    def metadata(self, draft_id):
        draft = self.draft_or_404(draft_id)
        form = MetadataForm(data=editors.meta_to_data(draft.definition) if request.method == "GET" else None)
        departments = scope.department_choices(current_user)
        current = draft.definition["department"]
        form.department.choices = departments + ([current] if current not in departments else [])
        co = _all_departments() + [d for d in draft.definition.get("co_departments", [])
                                   if d not in _all_departments()]
        form.co_departments.choices = [(d, d) for d in co]
        if form.validate_on_submit():
            if self.save(draft, editors.apply_meta(draft.definition, form.data), form):
                return redirect(url_for(".metadata", draft_id=draft.id))
        return self.tab("designer/metadata.html", draft, "metadata", form=form)

    @expose("/<int:draft_id>/source", methods=("GET", "POST"))
    def source(self, draft_id):
        draft = self.draft_or_404(draft_id)
        form = SourceForm(data={"source": drafts.text_of(draft)} if request.method == "GET" else None)
        found, status = [], 200
        if form.validate_on_submit():
            try:
                drafts.save_source(draft, form.source.data or "", current_user, self.allowed(), self.based_on())
            except drafts.Conflict as exc:
                self.conflicted(draft, exc, kept=True)
            except DefinitionError as exc:
                found, status = problems.explain_all(exc, _typed(form.source.data)), 422
            else:
                flash("源码已校验并保存到草稿", "success")
                return redirect(url_for(".source", draft_id=draft.id))
        sdef = drafts.compiled(draft)
        return self.tab("designer/source.html", draft, "source", status=status, form=form,
                        problems=found, error_lines=sorted({p.line for p in found}),
                        schema_text=json.dumps(form_to_schema(sdef.form), ensure_ascii=False, indent=2))

    @expose("/<int:draft_id>/draft.yaml")
    def draft_yaml(self, draft_id):
        draft = self.draft_or_404(draft_id)
        return yaml_download(drafts.text_of(draft), f"{draft.slug}-draft.yaml")

    @expose("/<int:draft_id>/publish", methods=("GET", "POST"))
    def publish(self, draft_id):
        draft = self.draft_or_404(draft_id)
        form = PublishForm()
        failed, code = None, 200
        if form.validate_on_submit():
            try:
                service, version, status = drafts.publish(
                    draft, current_user, self.based_on(), override_tests=request.form.get("override_tests") == "1")
            except drafts.Conflict as exc:
                self.conflicted(draft, exc, kept=False)
            except DefinitionError as exc:
                flash_problems(exc, draft.definition)
            except scenarios.TestsFailed as exc:
                failed, code = exc, 422
                flash(exc.to_json()["message"], "error")
            else:
                if status == "unchanged":
                    flash(f"草稿与最新版本 {version.version} 相同，没有产生新版本", "info")
                else:
                    flash(f"已发布版本 {version.version}", "success")
                return redirect(url_for(".versions", service_id=service.id))
        sdef = drafts.compiled(draft)
        checks = preview.check_chain(sdef, current_user)
        latest = latest_version(draft.service) if draft.service_id else None
        changes = versions.diff(latest.source if latest else "", drafts.text_of(draft),
                                f"版本 {latest.version}" if latest else "（无）", "草稿")
        tests = failed.report if failed else scenarios.run(draft.slug, drafts.text_of(draft))
        return self.tab("designer/publish.html", draft, "publish", status=code, form=form, checks=checks,
                        warnings=preview.problems(checks), changes=changes, latest=latest,
                        summary=summary.for_draft(draft), tests=tests,
                        can_override=is_admin(current_user))

    @expose("/<int:draft_id>/discard", methods=("POST",))
    def discard(self, draft_id):
        draft = self.draft_or_404(draft_id)
        if not PublishForm().validate_on_submit():
            abort(400)
        service_id = draft.service_id
        drafts.discard(draft)
        flash("已放弃草稿中的修改", "info")
        if service_id:
            return redirect(url_for(".open_service", service_id=service_id))
        return redirect(url_for("designer_services.index_view"))


def _all_departments():
    from app.web.webforms import departments
    return departments()


def yaml_download(text, filename) -> Response:
    from urllib.parse import quote
    return Response(text, mimetype="application/x-yaml; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})
