"""/stats 统计分析: the page, its CSV/XLSX downloads and the quality-loop setting."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.hall import quality
from app.models import Service
from app.people.roles import is_admin, managed_departments
from app.stats import charts, tables
from app.stats.access import Denied, scope_for
from app.stats.figures import figures
from app.stats.periods import DEFAULT_PERIOD, PERIODS, BadPeriod, custom, preset, today_local

bp = Blueprint("stats", __name__, template_folder="templates")


@bp.before_request
@login_required
def _require_login():
    pass


def _request_figures():
    """(figures, period, error) for the query string; 403 for those who may not read them."""
    args = request.args
    try:
        scope = scope_for(current_user._get_current_object(), args.get("department", ""),
                          args.get("service", ""))
    except Denied as e:
        abort(403, description=_(str(e)))
    period = args.get("period") or ("custom" if args.get("from") or args.get("to") else DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    today, error = today_local(), None
    try:
        window = custom(args.get("from", "").strip(), args.get("to", "").strip(), today) \
            if period == "custom" else preset(period, today)
    except BadPeriod as e:
        error, period, window = e, DEFAULT_PERIOD, preset(DEFAULT_PERIOD, today)
    return figures(scope, window), scope, period, error


@bp.route("/stats")
def index():
    fig, scope, period, error = _request_figures()
    typed = {}
    if error:       # the dates stay as typed, the message at the date it concerns
        period = "custom"
        typed = {"from": request.args.get("from", "")[:20], "to": request.args.get("to", "")[:20]}
    managed = managed_departments(current_user)
    services = Service.select(Service.slug, Service.name, Service.department).order_by(Service.department, Service.number)
    if managed is not None:
        services = services.where(Service.department.in_(sorted(managed)))
    services = list(services)
    departments = sorted({s.department for s in services})
    return render_template(
        "stats/index.html", fig=fig, scope=scope, period=period, periods=PERIODS,
        departments=departments, services=services, charts=_charts(fig),
        service_rows=tables.service_rows(fig), step_rows=tables.step_rows(fig),
        tables=tables, admin=is_admin(current_user), ranking=quality.ranking(),
        rankings=quality.RANKINGS, export_args=_export_args(fig, scope), typed=typed,
        date_errors={k: [_(m) for m in ms] for k, ms in (error.fields if error else {}).items()})


def _export_args(fig, scope) -> dict:
    args = {"from": fig.window.start.isoformat(), "to": fig.window.end.isoformat()}
    if scope.department:
        args["department"] = scope.department
    if scope.service:
        args["service"] = scope.service
    return args


def _charts(fig) -> dict:
    weeks = [w["week"][5:] for w in fig.trend]
    out = {"trend": charts.line_chart(_("按周趋势"), weeks, {
        _("发起"): [w["started"] for w in fig.trend],
        _("办结"): [w["completed"] for w in fig.trend]})}
    shown = [s for s in fig.services if s["started"]] or fig.services
    out["services"] = charts.bar_chart(_("按服务"), [s["name"] for s in shown], {
        _("发起"): [s["started"] for s in shown], _("办结"): [s["completed"] for s in shown],
        _("逾期"): [s["overdue"] for s in shown]}, size="wide")
    steps = [(s, st) for s in shown for st in s["steps"] if st["median_hours"] is not None or st["overdue"]]
    label = (lambda s, st: st["name"]) if len({s["id"] for s, _ in steps}) <= 1 else \
        (lambda s, st: f"{s['name']}·{st['name']}")
    out["steps"] = charts.bar_chart(_("各环节等待时间（小时）"), [label(s, st) for s, st in steps], {
        _("中位数"): [st["median_hours"] for _, st in steps],
        _("P90"): [st["p90_hours"] for _, st in steps]})
    return out


@bp.route("/stats/export.<fmt>")
def export(fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    fig, scope, period, error = _request_figures()
    if error:
        abort(422, description=str(error))
    name = f"stats-{fig.window.start:%Y%m%d}-{fig.window.end:%Y%m%d}"
    if fmt == "xlsx":
        return Response(tables.to_xlsx(fig), mimetype=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            headers={"Content-Disposition": f"attachment; filename={name}.xlsx"})
    table = request.args.get("table", "services")
    if table not in tables.TABLES:
        abort(404)
    return Response(tables.to_csv(fig, table), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}-{table}.csv"})


@bp.route("/stats/settings", methods=["POST"])
def settings():
    if not is_admin(current_user):
        abort(403, description=_("只有系统管理员可以修改该设置"))
    try:
        quality.set_ranking(request.form.get("ranking", ""))
    except ValueError:
        abort(422, description=_("无效的选项"))
    flash(_("首页“热门服务”与“推荐服务”的选取方式已保存"), "success")
    return redirect(url_for(".index"))


@bp.app_context_processor
def _nav():
    """``can_read_stats()`` for the nav link: admins and dept_admins (role holdings are
    read once per request and kept on the user)."""
    def can_read_stats():
        return current_user.is_authenticated and managed_departments(current_user) != set()
    return {"can_read_stats": can_read_stats}
