"""/ratings: the ratings of a department's services, for its dept_admin and for admins."""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from peewee import fn

from app.engine.queries import PAGE_SIZE, page
from app.hall.ratings import department_ratings, departments_for
from app.hall.routes import bp
from app.models import Service
from app.models.hall import Rating
from app.web.urls import bounded_int


@bp.route("/ratings")
@login_required
def ratings():
    allowed = departments_for(current_user)
    if allowed == []:
        abort(403, description=_("只有部门管理员和系统管理员可以查看服务评价"))
    department = request.args.get("department", "").strip()
    if department and allowed is not None and department not in allowed:
        abort(403, description=_("只能查看本部门服务的评价"))
    query = department_ratings(allowed, department)
    rows, total, page_no = page(query, request.args.get("page", 1, type=bounded_int) or 1)
    return render_template("hall/ratings.html", rows=rows, total=total, page=page_no,
                           pages=max(1, -(-total // PAGE_SIZE)), department=department,
                           departments=allowed if allowed is not None else _all_departments(),
                           summary=_summary(allowed, department))


def _all_departments():
    return [s.department for s in Service.select(Service.department).distinct().order_by(Service.department)]


def _summary(allowed, department):
    """Average and count per service over the listed departments, in one grouped query."""
    query = (Service.select(Service.id, Service.name, Service.department,
                            fn.AVG(Rating.stars).alias("avg"), fn.COUNT(Rating.id).alias("n"))
             .join(Rating).group_by(Service.id, Service.name, Service.department)
             .order_by(Service.department, Service.name))
    if allowed is not None:
        query = query.where(Service.department.in_(allowed or [""]))
    if department:
        query = query.where(Service.department == department)
    return [(s, round(float(s.avg), 1), s.n) for s in query]
