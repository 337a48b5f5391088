"""The hall: home page, service center, service guide, starting a service, 我的收藏, language."""
import secrets

from flask import (Blueprint, abort, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.web import lookups, parked, webforms
from app.defs.model import AUDIENCES
from app.defs.store import latest_version, load_version
from app.engine import core, history
from app.engine.context import applicant_view
from app.engine.exceptions import Invalid, NotAllowed
from app.extensions import LOCALES
from app.hall import catalog, quality, reservations
from app.models import Service
from app.hall.steps import describe_steps

bp = Blueprint("hall", __name__, template_folder="templates")

AUDIENCE_TABS = {"student": _l("学生办事"), "staff": _l("教工办事"), "external": _l("校外办事")}



def get_service(slug) -> Service:
    return lookups.get_service(slug)


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.route("/favicon.ico")
def favicon():
    """Clients that ask the old way get the page icon every page links to."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.route("/")
def index():
    audience = catalog.Filters.from_args(request.args).audience      # the 学生/教工/校外办事 tab
    services = list(catalog.filtered(catalog.Filters(audience=audience)))
    categories = {}
    for s in services:
        categories.setdefault(s.category, []).append(s)
    recommended = quality.recommended_services()
    hot = quality.hot_services()
    user = _user()
    favorites = list(catalog.favorites_query(user).limit(8)) if user else []
    shown = services + recommended + hot + favorites
    return render_template(
        "hall/index.html", categories=categories, recommended=recommended, hot=hot,
        favorites=favorites, audience=audience, tabs=AUDIENCE_TABS,
        ratings=catalog.rating_summary(shown), starred=catalog.favorite_ids(user, shown),
        startable=catalog.startable_count(user) if user else 0)


@bp.route("/services", endpoint="catalog")
def catalog_page():
    filters = catalog.Filters.from_args(request.args)
    services, total, page, pages = catalog.page_of(catalog.filtered(filters), filters.page)
    return render_template(
        "hall/catalog.html", f=filters, services=services, total=total, page=page, pages=pages,
        counts=catalog.facet_counts(filters), letters=catalog.LETTERS,
        audiences=AUDIENCES, ratings=catalog.rating_summary(services),
        starred=catalog.favorite_ids(_user(), services))


@bp.route("/services/<slug>")
def guide(slug):
    service = get_service(slug)
    sdef = load_version(latest_version(service))
    steps = describe_steps(sdef.steps)
    user = _user()
    denied = None
    if user is not None:
        try:
            core.check_can_start(service, sdef, user)
        except NotAllowed as e:
            denied = e.message
    return render_template("hall/guide.html", service=service, sdef=sdef, steps=steps,
                           denied=denied, rating=catalog.rating_summary([service]).get(service.id),
                           starred=service.id in catalog.favorite_ids(user, [service]),
                           owner_view=user is not None and _owns(user, service))


def _owns(user, service) -> bool:
    """The owning department's admins (and admins) may read the ratings' remarks."""
    from app.hall.ratings import departments_for
    allowed = departments_for(user)
    return allowed is None or service.department in allowed


@bp.route("/services/<slug>/favorite", methods=["POST"])
@login_required
def favorite(slug):
    """☆ / ★: add to or remove from 我的收藏 (``on=1`` or ``on=0``: repeating it changes nothing)."""
    service = get_service(slug)
    on = request.form.get("on") == "1"
    catalog.set_favorite(current_user, service, on)
    flash(_("已加入我的收藏") if on else _("已取消收藏"), "success")
    from app.web.urls import safe_next
    return redirect(safe_next(request.form.get("next") or url_for(".guide", slug=slug)))


@bp.route("/lang/<code>")
def set_language(code):
    """中文 / English: remembered in the ``lang`` cookie for a year."""
    from app.web.urls import safe_next
    response = redirect(safe_next(request.args.get("next")))
    if code in LOCALES:
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


@bp.route("/services/<slug>/start", methods=["GET", "POST"])
@login_required
def start(slug):
    service = get_service(slug)
    sdef = load_version(latest_version(service))
    try:
        core.check_can_start(service, sdef, current_user)
    except NotAllowed as e:
        return render_template("hall/denied.html", service=service, message=e.message), 403
    user = current_user._get_current_object()
    editable = core.editable_fields(sdef, sdef.steps[0])
    data = core.initial_data(sdef, user)
    source = request.args.get("from", "")
    picked = int(source) if source.isdigit() and len(source) <= 12 else None     # 再次申请 of that item
    reused, from_serial = history.prefill(service, user, sdef, picked) if request.method == "GET" else ({}, None)
    prefilled = (request.method == "GET" and (source == "last" or picked is not None)
                 and from_serial is not None)
    if prefilled:           # 再次申请: what they typed last time; autofill, files, reuse: false stay fresh
        data = dict(data, **reused)
    errors, posted = {}, None
    reserved = reservations.reserved(request.form.get("serial_token"), user, service) \
        if request.method == "POST" else None
    if request.method == "POST":
        submit = request.form.get("op") == "submit"
        try:
            posted = webforms.submitted_data(sdef, user, editable, data, submit=submit)
            instance = core.start(service, user, posted, submit=submit,
                                  idempotency_key=request.form.get("idempotency_key") or None,
                                  serial=reserved.serial if reserved else None)
            flash(_("已提交") if submit else _("草稿已保存，可在“我的申请”中继续填写"), "success")
            return redirect(url_for("center.instance", serial=instance.serial))
        except Invalid as e:
            errors = e.fields or {"_": [e.message]}
            posted = getattr(e, "data", posted)
    formdata = request.form if request.method == "POST" else None
    if request.method == "GET":         # a form parked when the session ended (app/web/parked.py)
        formdata, posted = parked.restore(sdef, user, editable, data)
    if reserved is None:
        reserved = reservations.reserve(user, service)
    wtform = webforms.build(sdef, data, editable, formdata=formdata, posted=posted)
    milestones = [{"name": s.name, "state": "current" if i == 0 else "future"}
                  for i, s in enumerate(sdef.steps)] + [{"name": _("完成"), "state": "future"}]
    return render_template("hall/start.html", service=service, sdef=sdef, wtform=wtform,
                           applicant=applicant_view(user),
                           editable=editable, errors=errors, milestones=milestones,
                           from_serial=from_serial, prefilled=prefilled,
                           serial=reserved.serial, serial_token=reserved.token,
                           idempotency_key=request.form.get("idempotency_key") or secrets.token_urlsafe(16)
                           ), (422 if errors else 200)


from app.hall import ratings_views  # noqa: E402,F401  (registers /ratings on bp)
from app.hall import followup_views  # noqa: E402,F401  (差评回访 replies)
