"""The personal center's boxes: 待办, 进行中, 已完成, 抄送, 我的申请, 我的收藏, and 批量通过."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.engine.states import Action as A, TaskStatus
from app.center.routes import bp
from app.engine import queries
from app.hall import catalog, ratings
from app.web.urls import bounded_int
from app.models import Service
from app.web.templating import N_, translated

BOX_LABELS = {"todo": N_("待办事项"), "in_progress": N_("进行中事项"), "done": N_("已完成事项"),
              "cc": N_("抄送事项"), "drafts": N_("我的申请"), "favorites": N_("我的收藏")}


def box_labels() -> dict:
    """The tabs' names in the request's language (translated once a page)."""
    return {key: translated(label) for key, label in BOX_LABELS.items()}


@bp.route("/me/items")
def items():
    box = request.args.get("box", "todo")
    if box not in BOX_LABELS:
        box = "todo"
    q, serial = request.args.get("q", "").strip()[:100], request.args.get("serial", "").strip()[:20]
    page_no = request.args.get("page", 1, type=bounded_int) or 1
    if box == "favorites":
        return _favorites(q, page_no)
    if serial:
        rows, total, page_no = queries.page(queries.serial_search(current_user, serial, q), page_no)
    else:
        rows, total, page_no = queries.box_page(current_user, box, q, page_no)
    steps = queries.current_step_names(rows)
    return render_template("center/items.html", box=box, boxes=box_labels(), rows=rows, total=total,
                           behalf=_deputy_for(rows) if box == "todo" else {},
                           page=page_no, pages=max(1, -(-total // queries.PAGE_SIZE)), q=q,
                           serial=serial, steps=steps, size=queries.PAGE_SIZE,
                           show_ratings=_reads_ratings())


def _deputy_for(rows) -> dict:
    """{instance id: delegator's name} of the to-dos the user holds as someone's deputy (代X)."""
    from app.models import Task, User
    ids = [inst.id for inst in rows]
    if not ids:
        return {}
    return dict(Task.select(Task.instance, User.name).join(User, on=(Task.on_behalf_of == User.id))
                .where(Task.instance.in_(ids), Task.assignee == current_user.id, Task.status == TaskStatus.OPEN)
                .tuples())


BULK_RESULTS = {200: _l("已通过"), 403: _l("无权办理"), 404: _l("未找到此事项"),
                409: _l("已被他人处理")}


@bp.route("/me/items/actions", methods=["POST"])
def bulk_act():
    """批量通过 from 待办: each item on its own (the bulk API's logic), a result per item."""
    from app.web.batch_approval import bulk_one
    serials = []
    for value in request.form.getlist("serial"):
        if value.isdigit() and int(value) >= 1 and int(value) not in serials:
            serials.append(int(value))
    if not serials:
        flash(_("请先勾选要批量通过的事项"), "error")
        return redirect(url_for(".items", box="todo"))
    user = current_user._get_current_object()
    opinion = request.form.get("opinion", "").strip()[:2000]
    for serial in serials[:100]:
        result = bulk_one(serial, user, A.APPROVE, opinion)
        status, error = result["status"], result["error"] or ""
        if status == 422 and "表单" in error:
            reason = _("需要在办理页面填写表单")
        elif status == 422 and "意见" in error:
            reason = _("需要填写意见")
        elif status in BULK_RESULTS:
            reason = str(BULK_RESULTS[status])
        else:
            reason = error
        flash(_("流水号 %(serial)s：%(result)s", serial=serial, result=reason),
              "success" if status == 200 else "error")
    return redirect(url_for(".items", box="todo"))


def _favorites(q, page_no):
    """我的收藏: the services the user starred, with their ratings (a fixed number of queries)."""
    query = catalog.favorites_query(current_user)
    if q:
        query = query.where(Service.name.contains(q) | Service.department.contains(q) |
                            Service.initials.contains(q.lower()))
    rows, total, page_no = queries.page(query, page_no)
    return render_template("center/favorites.html", box="favorites", boxes=box_labels(), rows=rows,
                           total=total, page=page_no, pages=max(1, -(-total // queries.PAGE_SIZE)),
                           q=q, size=queries.PAGE_SIZE, ratings=catalog.rating_summary(rows),
                           show_ratings=_reads_ratings())


def _reads_ratings() -> bool:
    """Department admins and admins get a link to /ratings (服务评价)."""
    return ratings.departments_for(current_user._get_current_object()) != []
