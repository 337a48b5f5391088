"""The designer's JSON API under /designer/api — what a builder page saves through.

Session login (a designer: admin or dept_admin) and CSRF (the ``X-CSRFToken`` header,
Flask-WTF) as for every other post. A draft is named by its service id (slug); a draft of
another department is 404, as in the designer's pages.

    GET  /designer/api/drafts/<slug>/          → 200 {"slug", "revision", "definition", "updated_by",
                                                      "updated_at", "dirty", "base_version", …}
    POST /designer/api/drafts/<slug>/          {"revision": N, "definition": {...}}
                                            or {"revision": N, "patch": [{"op", "path", "value"|"from"}]}
                                               → 200 {"revision": N+1, …} | 409 conflict | 422 problems
    POST /designer/api/drafts/                 {"name", "category", "department", "audience"?, "number"?, "id"?}
                                               → 201 the new draft (as GET)
    GET  /designer/api/drafts/<slug>/summary   → the publish summary (designer.summary)
    POST /designer/api/drafts/<slug>/publish   {"revision": N[, "override_tests": true]}
                                               → 200 {"version", "status", "revision"} | 409 | 422
                                               (422 "tests_failed": a scenario test fails; only a
                                               system admin may send override_tests)
    GET  /designer/api/identifiers?kind=service|field|step&text=领用事由[&draft=<slug>] → {"id"}
    GET  /designer/api/numbers/next            → {"number"}
    GET  /designer/api/numbers/<n>[?draft=<slug>] → {"number", "free", "owner"}
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, make_response, request
from flask_login import current_user

from app.defs.exceptions import DefinitionError
from app.defs.store import latest_version
from app.models import Service
from app.models.designer import ServiceDraft
from designer import drafts, identifiers, jsonpatch, problems, scenarios, scope, summary

bp = Blueprint("designer_api", __name__, url_prefix="/designer/api")


@bp.before_request
def _designers_only():
    if not current_user.is_authenticated:
        return _error(401, "unauthorized", "请先登录")
    if not scope.is_designer(current_user):
        return _error(403, "forbidden", "没有权限使用服务设计器")
    return None


def _error(status, code, message, **extra):
    return jsonify(dict(error=code, message=message, **extra)), status


def _draft_or_404(slug: str) -> ServiceDraft:
    draft = ServiceDraft.get_or_none(ServiceDraft.slug == slug)
    if draft is None:
        service = Service.get_or_none(Service.slug == slug)
        if service is None or not scope.manages(current_user, service.department) or latest_version(service) is None:
            abort(404)
        return drafts.for_service(service)
    if not scope.manages(current_user, draft.department):
        abort(404)
    if draft.service_id and not scope.manages(current_user, draft.service.department):
        abort(404)
    if draft.service_id:
        draft = drafts.for_service(draft.service)       # refreshed when a newer version exists
    return draft


def draft_json(draft: ServiceDraft) -> dict:
    return {"slug": draft.slug, "draft_id": draft.id, "revision": draft.revision,
            "definition": draft.definition,
            "updated_by": draft.updated_by.name if draft.updated_by_id else None,
            "updated_at": draft.updated.isoformat() + "Z" if draft.updated else None,
            "dirty": draft.dirty, "base_version": draft.base_version, "service_id": draft.service_id,
            "department": draft.department}


def _fail(status, code, message):
    abort(make_response(*_error(status, code, message)))


def _body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:                  # e.g. 100,000 nested "[": not a 500
        _fail(400, "bad_request", "请求体的 JSON 嵌套过深")
    if not isinstance(body, dict):
        _fail(400, "bad_request", "请求体必须是 JSON 对象")
    return body


def _revision(body) -> int:
    revision = body.get("revision")
    if not isinstance(revision, int) or isinstance(revision, bool):
        _fail(422, "invalid", "需要 revision：这次修改基于的草稿版本号")
    return revision


def _invalid(exc: DefinitionError, definition):
    explained = problems.explain_all(exc, definition)
    return _error(422, "invalid", explained[0].message if len(explained) == 1 else "定义有误，请按提示修改",
                  problems=[e.to_json() for e in explained])


@bp.get("/drafts/<slug>/")
def get_draft(slug):
    return jsonify(draft_json(_draft_or_404(slug)))


@bp.post("/drafts/<slug>/")
def save_draft(slug):
    draft = _draft_or_404(slug)
    body = _body()
    revision = _revision(body)
    if "definition" in body:
        definition = body["definition"]
        if not isinstance(definition, dict):
            return _error(400, "bad_request", "definition 必须是对象")
    elif "patch" in body:
        if revision != draft.revision:
            return jsonify(drafts.conflict_for(draft.id).to_json()), 409
        try:
            definition = jsonpatch.apply(drafts.edited(draft), body["patch"])
        except jsonpatch.PatchError as exc:
            return _error(422, "invalid_patch", str(exc))
    else:
        return _error(400, "bad_request", "需要 definition 或 patch")
    try:
        drafts.save_definition(draft, definition, current_user, scope.managed_departments(current_user), revision)
    except drafts.Conflict as exc:
        return jsonify(exc.to_json()), 409
    except DefinitionError as exc:
        return _invalid(exc, definition)
    out = draft_json(draft)
    out.pop("definition")
    return jsonify(out)


@bp.post("/drafts/")
def create_draft():
    body = _body()
    name = str(body.get("name") or "").strip()
    if not name:
        return _error(422, "invalid", "请填写事项名称", problems=[{"path": ["name"], "control": "name",
                                                              "message": "请填写事项名称"}])
    departments = scope.department_choices(current_user)
    department = body.get("department") or (departments[0] if len(departments) == 1 else None)
    number = body.get("number") if isinstance(body.get("number"), int) else identifiers.next_number()
    slug = str(body.get("id") or "").strip() or identifiers.service_id(name)
    definition = drafts.starter(slug, number, name, str(body.get("category") or "综合服务").strip(),
                                department or "", body.get("audience") or ("staff", "student"))
    try:
        draft = drafts.create(definition, current_user, scope.managed_departments(current_user))
    except DefinitionError as exc:
        return _invalid(exc, definition)
    return jsonify(draft_json(draft)), 201


@bp.get("/drafts/<slug>/summary")
def draft_summary(slug):
    return jsonify(summary.for_draft(_draft_or_404(slug)))


@bp.post("/drafts/<slug>/publish")
def publish(slug):
    draft = _draft_or_404(slug)
    body = _body()
    revision = _revision(body)
    try:
        service, version, status = drafts.publish(draft, current_user, revision,
                                                  override_tests=body.get("override_tests") is True)
    except drafts.Conflict as exc:
        return jsonify(exc.to_json()), 409
    except scenarios.TestsFailed as exc:
        return jsonify(exc.to_json()), 422
    except DefinitionError as exc:
        return _invalid(exc, draft.definition)
    return jsonify({"service_id": service.id, "version": version.version, "status": status,
                    "revision": draft.revision})


@bp.get("/identifiers")
def make_identifier():
    kind, text = request.args.get("kind", "field"), request.args.get("text", "")
    if kind == "service":
        return jsonify({"id": identifiers.service_id(text)})
    definition = _draft_or_404(request.args["draft"]).definition if request.args.get("draft") else {}
    if kind == "step":
        return jsonify({"id": identifiers.step_id(text, definition)})
    if kind == "field":
        return jsonify({"id": identifiers.field_name(text, definition)})
    return _error(400, "bad_request", "kind 只能是 service、field 或 step")


@bp.get("/numbers/next")
def next_number():
    return jsonify({"number": identifiers.next_number()})


@bp.get("/numbers/<int:number>")
def number(number):
    owner = identifiers.number_owner(number, except_slug=request.args.get("draft") or None)
    return jsonify({"number": number, "free": owner is None, "owner": owner})
