"""The hall: catalog, service guide, starting a service."""
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from peewee import fn

from app import webforms
from app.defs.store import latest_version, load_version
from app.engine import core
from app.engine.context import applicant_view
from app.engine.exceptions import Invalid, NotAllowed
from app.models import Service
from plugins.assignees import describe

bp = Blueprint("hall", __name__, template_folder="templates")


def get_service(slug) -> Service:
    service = Service.get_or_none(Service.slug == slug)
    if service is None or latest_version(service) is None:
        abort(404, description="该服务不存在")
    return service


def catalog_query(q="", category=None):
    query = Service.select().where(Service.enabled == True)  # noqa: E712
    if q:
        like = f"%{q.strip()}%"
        query = query.where(Service.name ** like | Service.keywords ** like |
                            Service.department ** like | Service.initials ** like)
    if category:
        query = query.where(Service.category == category)
    return query.order_by(Service.number)


@bp.route("/")
def index():
    services = list(catalog_query(request.args.get("q", "")))
    categories = {}
    for s in services:
        categories.setdefault(s.category, []).append(s)
    return render_template("hall/index.html", services=services, categories=categories,
                           recommended=[s for s in services if s.recommended],
                           q=request.args.get("q", ""))


@bp.route("/services")
def catalog():
    q, category = request.args.get("q", ""), request.args.get("category") or None
    services = list(catalog_query(q, category))
    categories = [r.category for r in Service.select(Service.category, fn.COUNT(Service.id))
                  .where(Service.enabled == True).group_by(Service.category)]  # noqa: E712
    return render_template("hall/catalog.html", services=services, q=q, category=category,
                           categories=categories)


@bp.route("/services/<slug>")
def guide(slug):
    service = get_service(slug)
    sdef = load_version(latest_version(service))
    steps = [(s, describe(s.by)) for s in sdef.steps]
    return render_template("hall/guide.html", service=service, sdef=sdef, steps=steps)


@bp.route("/services/<slug>/start", methods=["GET", "POST"])
@login_required
def start(slug):
    service = get_service(slug)
    sdef = load_version(latest_version(service))
    try:
        core.check_can_start(service, sdef, current_user)
    except NotAllowed as e:
        return render_template("hall/denied.html", service=service, message=e.message), 403
    editable = core.editable_fields(sdef, sdef.steps[0])
    data = core.initial_data(sdef, current_user)
    errors = {}
    if request.method == "POST":
        try:
            posted = webforms.submitted_data(sdef, current_user, editable, data)
            instance = core.start(service, current_user, posted,
                                  submit=request.form.get("op") == "submit",
                                  idempotency_key=request.form.get("idempotency_key") or None)
            return redirect(url_for("center.instance", serial=instance.serial))
        except Invalid as e:
            errors = e.fields or {"_": [e.message]}
    wtform = webforms.build(sdef, data, editable, formdata=request.form if request.method == "POST" else None)
    milestones = [{"name": s.name, "state": "current" if i == 0 else "future"}
                  for i, s in enumerate(sdef.steps)] + [{"name": "完成", "state": "future"}]
    return render_template("hall/start.html", service=service, sdef=sdef, wtform=wtform,
                           applicant=applicant_view(current_user),
                           editable=editable, errors=errors, milestones=milestones,
                           idempotency_key=request.form.get("idempotency_key") or _new_key()), (422 if errors else 200)


def _new_key():
    import secrets
    return secrets.token_urlsafe(16)
