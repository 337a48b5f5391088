"""设计器: the builder page and its JSON endpoints (a Flask-Admin view like the studio).

The page is a shell; ``static/builder*.js`` edits the definition client-side and saves
every change here. The canvas is drawn by the applicant's renderer (``renderers.form``
through ``forms/_macros.html``) after each save, so it looks as the applicant's form.
Routes look drafts up through ``draft_or_404`` (the scope check) and hand the work to
``designer.builder`` and ``designer.drafts``.
"""
import copy

from flask import abort, jsonify, make_response, redirect, render_template, request, url_for
from flask_admin import expose
from flask_login import current_user

from app.defs.exceptions import DefinitionError
from app.defs.store import latest_version, load_version
from designer import drafts, jsonpatch, preview, scenarios, scope, summary
from designer.builder import lookups, schema_lens, store, targets, templates
from designer.builder.choices import default_department, page_data, palette_groups
from designer.views.studio import StudioBase


def _invalid(exc: DefinitionError, definition: dict):
    items = targets.as_json(exc, definition)
    message = "；".join(f"{p['where']}：{p['message']}" if p["where"] else p["message"] for p in items[:3])
    return jsonify(error="invalid", message=message or "定义有误", problems=items), 422


def _conflict(exc: store.Conflict):
    return jsonify(exc.to_json()), 409


def _paper(draft):
    """The paper form a draft was read from (从纸质表单导入), to show beside it; else None."""
    from designer import paper
    record = paper.record_for(draft) if draft is not None else None
    return {"record": record, "blocks": paper.blocks_of(record)} if record is not None else None


def _paper_warnings(draft) -> list:
    from designer import paper
    count = len(paper.pending(draft))
    return [f"还有 {count} 项从纸质表单导入的识别结果待确认（可先核对后再发布）"] if count else []


def _schema_state(draft, sdef) -> dict:
    """A schema-defined draft's properties as the builder's cards (in the order written; the
    stored JSON sorts keys), and where to edit them."""
    schema = sdef.form.json_schema
    if not isinstance(schema, dict):
        return {}
    return {"schema_fields": schema_lens.project(schema), "schema_addable": schema_lens.ADDABLE,
            "schema_api": url_for(".api_schema", draft_id=draft.id)}


def _body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:                  # e.g. 100,000 nested "[": a 400, never a 500
        abort(make_response(jsonify(error="bad_request", message="请求体的 JSON 嵌套过深"), 400))
    return body if isinstance(body, dict) else {}


def _posted_definition(draft, body):
    """The definition a POST carries: whole (``definition``, as the builder page sends it) or
    as a JSON Patch of the draft (``patch``, for IT's scripts). Conflict when stale."""
    if "patch" in body and "definition" not in body:
        return store.patched(draft, body["patch"], body.get("revision"))
    return body.get("definition")


class BuilderView(StudioBase):
    """The builder page and the designer's one JSON API (``/designer/builder/api/…``)."""

    def inaccessible_callback(self, name, **kwargs):
        if name.startswith("api_") and not current_user.is_authenticated:
            return jsonify(error="unauthorized", message="请先登录"), 401
        return super().inaccessible_callback(name, **kwargs)

    # ---------------------------------------------------------------- pages

    @expose("/")
    def index(self):
        return redirect(url_for(".new"))

    @expose("/new")
    def new(self):
        return self._page(None)

    @expose("/templates")
    def templates(self):
        return self.render("designer/builder_templates.html", templates=templates.listing())

    @expose("/templates/<template>", methods=("POST",))
    def from_template(self, template):
        """A new service copied from a template, then opened in the builder."""
        from flask import abort, flash
        definition = templates.starter(template, default_department(current_user, scope.department_choices(current_user)))
        if definition is None:
            abort(404)
        try:
            draft = store.create(definition, current_user, self.allowed())
        except DefinitionError as exc:
            flash("；".join(p["message"] for p in targets.as_json(exc, definition)[:3]), "error")
            return redirect(url_for(".templates"))
        return redirect(url_for(".edit", draft_id=draft.id))

    @expose("/<int:draft_id>")
    def edit(self, draft_id):
        return self._page(self.draft_or_404(draft_id))

    @expose("/service/<int:service_id>")
    def open_service(self, service_id):
        service = scope.service_or_404(current_user, service_id)
        if latest_version(service) is None:
            return redirect(url_for(".new"))
        return redirect(url_for(".edit", draft_id=drafts.for_service(service).id))

    def _page(self, draft):
        state = self._state(draft) if draft is not None else None
        data = page_data(current_user, state, self._published_names(draft))
        data["urls"] = {"create": url_for(".api_create"), "lookup": url_for(".api_lookup", kind="KIND")}
        return self.render("designer/builder.html", draft=draft, data=data, groups=palette_groups(data["palette"]),
                           title=draft.definition["name"] if draft else "新建服务", paper=_paper(draft))

    @staticmethod
    def _published_names(draft) -> list:
        """Field and column ("rows.column") names of the published version: data is stored
        under them, so the builder never renames those when a label changes."""
        if draft is None or not draft.service_id:
            return []
        version = latest_version(draft.service)
        fields = load_version(version).form.fields if version else ()
        return [f.name for f in fields] + [f"{f.name}.{c.name}" for f in fields for c in f.columns or ()]

    def _state(self, draft) -> dict:
        sdef = drafts.compiled(draft)
        return {"draft_id": draft.id, "slug": draft.slug, "revision": store.revision_of(draft),
                "updated_by": draft.updated_by.name if draft.updated_by_id else None,
                "updated_at": draft.updated.isoformat() + "Z" if draft.updated else None,
                "definition": draft.definition, "canvas": self._canvas(sdef),
                "labels": lookups.labels(draft.definition), "published": bool(draft.service_id),
                "url": url_for(".edit", draft_id=draft.id),
                "api": url_for(".api_state", draft_id=draft.id),
                "publish_api": url_for(".api_publish", draft_id=draft.id),
                "metadata_url": url_for("designer_studio.metadata", draft_id=draft.id),
                "source_url": url_for("designer_studio.source", draft_id=draft.id),
                "preview_api": url_for(".api_preview", draft_id=draft.id),
                "hall_url": url_for("hall.guide", slug=draft.slug) if draft.service_id else None,
                **_schema_state(draft, sdef)}

    @staticmethod
    def _canvas(sdef) -> str:
        from app.web.webforms import departments
        from renderers.form import build_form
        data = preview.sample_data(sdef, current_user)
        wtform = build_form(sdef.form, data=data, departments=departments())
        return render_template("designer/builder_canvas.html", sdef=sdef, wtform=wtform)

    # ---------------------------------------------------------------- JSON

    @expose("/api/<int:draft_id>", methods=("GET", "POST"))
    def api_state(self, draft_id):
        draft = self.draft_or_404(draft_id)
        if request.method == "GET":
            return jsonify(self._state(draft))
        body = _body()
        try:
            definition = _posted_definition(draft, body)
        except store.Conflict as exc:
            return _conflict(exc)
        except jsonpatch.PatchError as exc:
            return jsonify(error="invalid_patch", message=str(exc)), 422
        if not isinstance(definition, dict):
            return jsonify(error="bad_request", message="缺少表单定义"), 400
        try:
            store.save(draft, definition, body.get("revision"), current_user, self.allowed())
        except store.Conflict as exc:
            return _conflict(exc)
        except DefinitionError as exc:
            return _invalid(exc, definition)
        return jsonify(self._state(self.draft_or_404(draft_id)))

    @expose("/api/<int:draft_id>/schema", methods=("POST",))
    def api_schema(self, draft_id):
        """One edit of a schema-defined form (``schema_lens.apply``), saved like any change."""
        draft = self.draft_or_404(draft_id)
        body = _body()
        definition = copy.deepcopy(draft.definition)
        schema = drafts.compiled(draft).form.json_schema     # as written: the stored JSON sorts keys
        if not isinstance(schema, dict) or "schema" not in (definition.get("form") or {}):
            return jsonify(error="bad_request", message="这个服务的表单不是 JSON Schema"), 400
        try:
            definition["form"]["schema"] = schema_lens.apply(schema, body.get("op"))
        except schema_lens.LensError as exc:
            return jsonify(error="invalid", message=str(exc), problems=[{"where": "", "message": str(exc)}]), 422
        try:
            save = store.save_reordered if body["op"].get("op") == "move" else store.save
            save(draft, definition, body.get("revision"), current_user, self.allowed())
        except store.Conflict as exc:
            return _conflict(exc)
        except DefinitionError as exc:
            return _invalid(exc, definition)
        return jsonify(self._state(self.draft_or_404(draft_id)))

    @expose("/api/new", methods=("POST",))
    def api_create(self):
        definition = _body().get("definition")
        if not isinstance(definition, dict):
            return jsonify(error="bad_request", message="缺少表单定义"), 400
        try:
            draft = store.create(definition, current_user, self.allowed())
        except DefinitionError as exc:
            return _invalid(exc, definition)
        return jsonify(self._state(draft)), 201

    @expose("/api/<int:draft_id>/publish", methods=("GET", "POST"))
    def api_publish(self, draft_id):
        draft = self.draft_or_404(draft_id)
        if request.method == "GET":
            checks = preview.check_chain(drafts.compiled(draft), current_user)
            return jsonify(steps=[{"name": c.name, "who": c.who, "nobody": c.nobody,
                                   "people": [u.name for u in c.users],
                                   "depends_on_form": c.depends_on_form} for c in checks],
                           warnings=preview.problems(checks) + _paper_warnings(draft),
                           revision=store.revision_of(draft),
                           changes=summary.for_draft(draft)["lines"],
                           tests=scenarios.run(draft.slug, drafts.text_of(draft)))
        body = _body()
        try:
            service, version, status = store.publish(draft, body.get("revision"), current_user,
                                                     override_tests=body.get("override_tests") is True)
        except store.Conflict as exc:
            return _conflict(exc)
        except scenarios.TestsFailed as exc:
            return jsonify(exc.to_json()), 422
        except DefinitionError as exc:
            return _invalid(exc, draft.definition)
        message = (f"草稿与最新版本 {version.version} 相同，没有产生新版本" if status == "unchanged"
                   else f"已发布版本 {version.version}")
        return jsonify(version=version.version, status=status, message=message,
                       hall_url=url_for("hall.guide", slug=service.slug),
                       versions_url=url_for("designer_studio.versions", service_id=service.id))

    @expose("/api/<int:draft_id>/preview")
    def api_preview(self, draft_id):
        """预览 as a chosen applicant (?user=): the frame to show and who handles each step."""
        from designer.views.studio_preview import previewed
        sample, _, sdef, checks = previewed(self.draft_or_404(draft_id))
        return jsonify(applicant=f"{sample.name}（{sample.department_name or '无部门'}）",
                       audience_ok=sample.type in sdef.audience, warnings=preview.problems(checks),
                       steps=[{"name": c.name, "who": c.who, "applies": c.applies, "nobody": c.nobody,
                               "people": [u.name for u in c.users], "depends_on_form": c.depends_on_form}
                              for c in checks],
                       frame_url=url_for("designer_studio.preview_frame", draft_id=draft_id, user=sample.username))

    @expose("/api/lookup/<kind>")
    def api_lookup(self, kind):
        search = lookups.SEARCHES.get(kind)
        if search is None:
            return jsonify(error="not_found", message="没有这种查找"), 404
        return jsonify(results=search(request.args.get("q", "")))
