"""委托设置: the user's delegations (委托/代理), made and revoked from the personal center."""
from datetime import datetime, time, timedelta, timezone

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.center.people import username_for
from app.center.routes import bp
from app.engine import delegation
from app.engine.exceptions import EngineError
from app.models import Service, User

CHINA = timezone(timedelta(hours=8))


def _utc_day(text, end=False):
    """A date typed in China time → naive UTC (the end date is included whole)."""
    day = datetime.strptime(text, "%Y-%m-%d").date()
    if end:
        day += timedelta(days=1)
    return datetime.combine(day, time(), CHINA).astimezone(timezone.utc).replace(tzinfo=None)


@bp.route("/me/delegations", methods=["GET", "POST"])
def delegations():
    user = current_user._get_current_object()
    errors, status = {}, 200
    if request.method == "POST":
        try:
            start = _utc_day(request.form.get("start", ""))
            end = _utc_day(request.form.get("end", ""), end=True)
        except ValueError:
            errors["start"] = [_("请填写开始和结束日期")]
        else:
            services = request.form.getlist("services") or None
            try:
                delegation.create(user, username_for(request.form.get("to_user", ""), "to_user"),
                                  start, end, services, move_open=request.form.get("move_open") == "1")
            except EngineError as exc:
                errors = _at_inputs(exc)
            else:
                flash(_("委托已设置：期间新到的待办将交给受托人办理"), "success")
                return redirect(url_for(".delegations"))
        status = 422
    staff = (User.select(User.username, User.name).where(User.type == "staff", User.is_active == True,  # noqa: E712
                                                         User.id != user.id).order_by(User.username))
    services = list(Service.select(Service.slug, Service.name).order_by(Service.number))
    return render_template("center/delegations.html", items=_shown(delegation.for_user(user), services),
                           staff=staff, services=services, errors=errors, form=request.form), status


INPUTS = ("to_user", "start", "end", "services")


def _at_inputs(exc) -> dict:
    """The engine's refusal, in its full words, at the input it concerns."""
    keys = [k for k in (exc.fields or {}) if k in INPUTS]
    if not keys:
        return {"_": [exc.message]}
    if len(keys) == 1:
        return {keys[0]: [exc.message]}
    return {k: exc.fields[k] for k in keys}


def _shown(items, services) -> list:
    """Each delegation as chosen: dates in China time, the end date the last day included
    (it is stored as the next midnight), services by name."""
    names = {s.slug: s.name for s in services}
    return [dict(id=d.id, delegate=d.delegate, start=_local_day(d.start),
                 end=_local_day(d.end - timedelta(seconds=1)),
                 services=[names.get(slug, slug) for slug in d.services or ()])
            for d in items]


def _local_day(moment) -> str:
    return moment.replace(tzinfo=timezone.utc).astimezone(CHINA).strftime("%Y-%m-%d")


@bp.route("/me/delegations/<int:delegation_id>/revoke", methods=["POST"])
def revoke_delegation(delegation_id):
    try:
        delegation.revoke(delegation_id, current_user._get_current_object())
    except EngineError as exc:
        flash(exc.message, "error")
    else:
        flash(_("委托已撤销"), "success")
    return redirect(url_for(".delegations"))
