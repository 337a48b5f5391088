"""The JSON API, /api/v1: thin views over the engine (see SPEC §4 "HTTP API").

Errors leave as engine exceptions or HTTP aborts; ``app.web.errors`` turns both into
``{"error", "message", "fields"}`` for every path under /api/.
"""
import json
import string

from flask import Blueprint, abort, jsonify, request

from app.api import auth
from app.api.auth import caller, login_required
from app.defs.jsonschema_form import form_to_schema
from app.defs.model import AUDIENCES
from app.defs.store import latest_version, load_version
from app.engine import core, history, queries
from app.engine.exceptions import Invalid
from app.engine.states import Action as A
from app.hall.catalog import catalog_query
from app.web.batch_approval import bulk_one
from app.web.lookups import get_service, visible_instance
from app.models import Service

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(auth.authenticate)

MAX_OPINION = 2000
MAX_IDEMPOTENCY_KEY = 128
MAX_SERIAL = 2 ** 63 - 1                # a BIGINT: larger numbers name no instance
ACTIONS = (A.APPROVE, A.RETURN, A.TERMINATE, A.TRANSFER, A.WITHDRAW, A.SUBMIT, A.SAVE_DRAFT,
           A.REMIND, A.ADD_SIGNER)
# member: (type, required, may be null) — as the OpenAPI description says (app/api/openapi.py)
START_FIELDS = {"data": (dict, False, False), "submit": (bool, False, False)}
ACTION_FIELDS = {"action": (str, True, False), "opinion": (str, False, True),
                 "data": (dict, False, True), "to_step": (str, False, True),
                 "to_user": (str, False, True), "field_notes": (dict, False, True),
                 "to_users": (list, False, True), "position": (str, False, True)}
BULK_FIELDS = {"serials": (list, True, False), "action": (str, True, False),
               "opinion": (str, False, True)}
BULK_ACTIONS = (A.APPROVE, A.RETURN, A.TERMINATE)
MAX_BULK = 100
TYPE_NAMES = {str: "字符串", dict: "JSON 对象", bool: "true 或 false", list: "JSON 数组"}


# ---------------------------------------------------------------- request helpers

def json_body(allowed: dict) -> dict:
    """The request's JSON object, its members type-checked against ``allowed``.

    Malformed JSON → 400; not an object, an unknown member or a wrong type → 422.
    """
    body = request_json()
    if not isinstance(body, dict):
        raise Invalid("请求体必须是 JSON 对象", fields={"body": ["必须是 JSON 对象"]})
    errors = {name: ["未知的字段"] for name in body if name not in allowed}
    for name, (kind, required, nullable) in allowed.items():
        value = body.get(name)
        if value is None and name in body and not nullable:
            errors[name] = ["不能为 null"]
        elif value is None:
            if required:
                errors[name] = ["必填"]
        elif not isinstance(value, kind):
            errors[name] = [f"必须是{TYPE_NAMES[kind]}"]
    if errors:
        raise Invalid("请求参数有误", fields=errors)
    return body


def request_json():
    """The request body parsed as JSON; malformed, over-deep or not UTF-8 → 400.

    Werkzeug's ``get_json(silent=True)`` swallows ValueError only: a body of 100,000 nested
    ``[`` raises RecursionError from the parser, which must not become a 500.
    """
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw)
    except RecursionError:
        abort(400, description="请求体的 JSON 嵌套过深")
    except (ValueError, UnicodeDecodeError):
        abort(400, description="请求体不是有效的 JSON")


def query_choice(name, choices, default=None, normalize=str):
    """An enumerated query parameter: absent → ``default``; present, it must be one of
    ``choices`` (an empty ``?box=`` is as invalid as ``?box=nope``)."""
    if name not in request.args:
        return default
    value = normalize(request.args[name])
    if value not in choices:
        raise Invalid(f"参数 {name} 无效", fields={name: [f"可选值：{', '.join(choices)}"]})
    return value


def query_number(name, default=None):
    """A positive integer query parameter (at most MAX_SERIAL), else 422."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_SERIAL:
        raise Invalid(f"参数 {name} 无效", fields={name: ["必须是正整数"]})
    return int(raw)


def iso(moment):
    """Naive UTC datetimes from the database as ISO 8601 with a Z."""
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


# ---------------------------------------------------------------- lookups

# ---------------------------------------------------------------- representations

def catalog_item(service) -> dict:
    return {"id": service.slug, "number": service.number, "name": service.name,
            "category": service.category, "department": service.department,
            "audience": [a for a in service.audience.split(",") if a],
            "recommended": service.recommended}


def service_detail(sdef) -> dict:
    detail = {k: v for k, v in sdef.to_dict().items() if k not in ("form", "steps")}
    detail["form"] = form_to_schema(sdef.form)
    detail["steps"] = [{"id": s.id, "name": s.name, "mode": s.mode, "actions": list(s.actions),
                        "opinion": s.opinion} for s in sdef.steps]
    return detail


def record_item(record, behalf=None) -> dict:
    """``behalf``: {user id: username} of the delegators the records acted for."""
    return {"step": record.step, "action": record.action,
            "user": record.user.username if record.user_id else None,
            "on_behalf_of": (behalf or {}).get(record.on_behalf_of),
            "at": iso(record.at), "opinion": record.opinion, "detail": record.detail or ""}


def _behalf_usernames(records) -> dict:
    """{user id: username} of every delegator in ``records``, in one query (none if none)."""
    ids = {r.on_behalf_of for r in records if r.on_behalf_of}
    if not ids:
        return {}
    from app.models import User
    return dict(User.select(User.id, User.username).where(User.id.in_(list(ids))).tuples())


def instance_state(instance, user) -> dict:
    sdef = core.service_def(instance)
    records = queries.flow_records(instance)
    behalf = _behalf_usernames(records)
    return {"serial": instance.serial, "service": instance.service.slug,
            "title": instance.title, "status": instance.status, "step": instance.step,
            "data": queries.visible_data(sdef, instance, user),
            "records": [record_item(r, behalf) for r in records],
            "actions": core.available_actions(instance, user, sdef),
            "milestones": queries.milestones(sdef, instance),
            "field_notes": history.latest_notes(instance, records),
            "revisions": [{"revision": r.number, "at": iso(r.at),
                           "by": r.by.username if r.by_id else None}
                          for r in history.revisions(instance)]}


def box_item(instance) -> dict:
    return {"serial": instance.serial, "title": instance.title,
            "service": instance.service.slug, "status": instance.status,
            "step": instance.step, "created": iso(instance.created),
            "updated": iso(instance.updated), "due": iso(instance.due),
            "overdue": queries.is_overdue(instance)}


# ---------------------------------------------------------------- the catalog

@bp.get("/services")
def services():
    query = catalog_query(request.args.get("q", ""), request.args.get("category") or None)
    if request.args.get("department"):
        query = query.where(Service.department == request.args["department"])
    audience = query_choice("audience", AUDIENCES)
    if audience:
        query = query.where(Service.audience.contains(audience))
    initial = query_choice("initial", tuple(string.ascii_lowercase),
                           normalize=lambda v: v.lower() if v.isascii() else v)
    if initial:
        query = query.where(Service.initials.startswith(initial))
    items = [catalog_item(s) for s in query]
    return jsonify(items=items, total=len(items))


@bp.get("/services/<slug>")
def service(slug):
    return jsonify(service_detail(load_version(latest_version(get_service(slug)))))


# ---------------------------------------------------------------- instances

@bp.post("/services/<slug>/instances")
@login_required
def start(slug):
    """A repeated Idempotency-Key answers 201 with the instance the first request created."""
    service = get_service(slug)
    body = json_body(START_FIELDS)
    key = request.headers.get("Idempotency-Key") or None
    if key and len(key) > MAX_IDEMPOTENCY_KEY:
        raise Invalid("Idempotency-Key 过长",
                      fields={"Idempotency-Key": [f"最多{MAX_IDEMPOTENCY_KEY}个字符"]})
    instance = core.start(service, caller(), body.get("data"),
                          submit=body.get("submit", True), idempotency_key=key)
    return jsonify(serial=instance.serial, status=instance.status, step=instance.step), 201


@bp.get("/instances/<int:serial>")
@login_required
def instance(serial):
    user = caller()
    return jsonify(instance_state(visible_instance(serial, user), user))


@bp.post("/instances/<int:serial>/actions")
@login_required
def act(serial):
    user = caller()
    instance = visible_instance(serial, user)
    body = json_body(ACTION_FIELDS)
    if body["action"] not in ACTIONS:
        raise Invalid(f"未知的操作 {body['action']}",
                      fields={"action": [f"可选值：{', '.join(ACTIONS)}"]})
    if len(body.get("opinion") or "") > MAX_OPINION:
        raise Invalid("意见最多2000个字", fields={"opinion": [f"最多可输入{MAX_OPINION}个字"]})
    return jsonify(instance_state(perform(instance, user, body), user))


def perform(instance, user, body):
    """Route the action to the engine function that owns it."""
    action, data = body["action"], body.get("data")
    if action == A.SUBMIT:
        return core.submit(instance, user, data)
    if action == A.SAVE_DRAFT:
        return core.save_draft(instance, user, data)
    if action == A.WITHDRAW:
        return core.withdraw(instance, user)
    return core.act(instance, user, action, opinion=body.get("opinion") or "", data=data,
                    to_step=body.get("to_step"), to_user=body.get("to_user"),
                    field_notes=body.get("field_notes"), to_users=body.get("to_users"),
                    position=body.get("position"))


@bp.get("/instances/<int:serial>/diff")
@login_required
def instance_diff(serial):
    """What changed between two submissions (revisions), as the caller may see it."""
    user = caller()
    instance = visible_instance(serial, user)
    first, second = query_number("from"), query_number("to")
    if first is None or second is None:
        raise Invalid("需要 from 和 to", fields={k: ["必填"] for k, v in (("from", first), ("to", second))
                                                if v is None})
    sdef = core.service_def(instance)
    hidden = queries.hidden_fields(sdef, instance, user)
    return jsonify(changes=history.revision_diff(sdef, instance, first, second, hidden,
                                                 reveal=queries.may_reveal(instance, user)))


@bp.get("/services/<slug>/prefill")
@login_required
def prefill(slug):
    """再次申请: the caller's last submitted data for this service (no autofill, no files)."""
    service = get_service(slug)
    data, serial = history.prefill(service, caller(), load_version(latest_version(service)))
    return jsonify(data=data, from_serial=serial)


@bp.post("/me/items/actions")
@login_required
def bulk_actions():
    """批量审批: each item in its own transaction; one failure never rolls back another."""
    user = caller()
    body = json_body(BULK_FIELDS)
    serials, action = [serial_item(s) for s in body["serials"]], body["action"]
    if action not in BULK_ACTIONS:
        raise Invalid("批量办理只支持通过、退回、终止", fields={"action": [f"可选值：{', '.join(BULK_ACTIONS)}"]})
    if not serials or len(serials) > MAX_BULK or None in serials:
        raise Invalid("serials 必须是 1–100 个流水号", fields={"serials": [f"1–{MAX_BULK} 个整数"]})
    opinion = body.get("opinion") or ""
    if len(opinion) > MAX_OPINION:
        raise Invalid("意见最多2000个字", fields={"opinion": [f"最多可输入{MAX_OPINION}个字"]})
    results = [bulk_one(serial, user, action, opinion) for serial in dict.fromkeys(serials)]
    return jsonify(results=results)


def serial_item(value):
    """A serial in a JSON array: a positive integer (JSON Schema counts 39.0 as one), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if value >= 1 else None


@bp.get("/me/items")
@login_required
def my_items():
    box = query_choice("box", queries.BOXES, "todo")
    serial = query_number("serial")
    rows, total, page_no = queries.box_page(caller(), box, request.args.get("q", "").strip(),
                                            query_number("page", 1), serial)
    return jsonify(items=[box_item(i) for i in rows], total=total, page=page_no,
                   page_size=queries.PAGE_SIZE)


# ---------------------------------------------------------------- 委托

DELEGATION_FIELDS = {"to_user": (str, True, False), "start": (str, True, False),
                     "end": (str, True, False), "services": (list, False, True),
                     "move_open": (bool, False, True)}


def _when(name, text, end=False):
    """YYYY-MM-DD (a whole day in China time) or an ISO date-time; stored as naive UTC."""
    from datetime import datetime, time, timedelta, timezone
    china = timezone(timedelta(hours=8))
    try:
        if len(text) == 10:
            day = datetime.fromisoformat(text).date()
            moment = datetime.combine(day + timedelta(days=1) if end else day, time(), china)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=china)
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):      # OverflowError: 0001-01-01 in UTC is year 0
        raise Invalid(f"{name} 不是有效的日期", fields={name: ["格式：YYYY-MM-DD 或 ISO 8601 时间"]}) from None


def delegation_item(d) -> dict:
    from app.models import utcnow
    now = utcnow()
    return {"id": d.id, "to_user": d.delegate.username, "to_name": d.delegate.name,
            "start": iso(d.start), "end": iso(d.end), "services": d.services,
            "active": d.revoked is None and d.start <= now < d.end}


@bp.get("/me/delegations")
@login_required
def my_delegations():
    from app.engine import delegation
    items = [delegation_item(d) for d in delegation.for_user(caller())]
    return jsonify(items=items, total=len(items))


@bp.post("/me/delegations")
@login_required
def create_delegation():
    from app.engine import delegation
    body = json_body(DELEGATION_FIELDS)
    d = delegation.create(caller(), body["to_user"], _when("start", body["start"]),
                          _when("end", body["end"], end=True), body.get("services"),
                          move_open=bool(body.get("move_open")))
    return jsonify(delegation_item(d)), 201


@bp.delete("/me/delegations/<int:delegation_id>")
@login_required
def revoke_delegation(delegation_id):
    from app.engine import delegation
    delegation.revoke(delegation_id, caller())
    return "", 204


# ---------------------------------------------------------------- the description

@bp.get("/openapi.json")
def openapi():
    from app.api.openapi import document
    return jsonify(document())
