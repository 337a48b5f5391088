"""The bell's pages: my notifications (mark as read) and my channel settings."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.db.prepared import PreparedQuery, counting
from app.web.urls import bounded_int, safe_next
from app.models import utcnow
from app.models.notify import Notification
from app.notify import forms, prefs
from plugins.channels import CHANNELS

bp = Blueprint("notify", __name__, template_folder="templates")
PAGE_SIZE = 20
N = Notification


def inbox(user):
    """The user's in-app messages: delivered in-app rows."""
    return N.select().where(N.user == user, N.channel == "inapp", N.status == "sent")


UNREAD = PreparedQuery(                 # the bell on every signed-in page asks
    lambda user: counting(inbox(user).where(N.read_at.is_null())), user=int
).named("notify.unread", user=lambda w: w.leader)


def unread_count(user) -> int:
    return UNREAD.first(user=user.id)[0]


@bp.app_context_processor
def _bell():
    if current_user.is_authenticated:
        return {"notify_unread": unread_count(current_user)}
    return {"notify_unread": 0}


def _own(nid):
    row = inbox(current_user).where(N.id == nid).first()
    if row is None:
        abort(404, description="消息不存在")
    return row


@bp.route("/me/notifications")
@login_required
def index():
    page = max(request.args.get("page", 1, type=bounded_int) or 1, 1)
    query = inbox(current_user)
    total = query.count()
    rows = list(query.order_by(N.created.desc(), N.id.desc()).paginate(page, PAGE_SIZE))
    return render_template("notify/index.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)))


@bp.route("/me/notifications/<int:nid>/open", methods=["POST"])
@login_required
def open_(nid):
    row = _own(nid)
    N.update(read_at=utcnow()).where(N.id == row.id, N.read_at.is_null()).execute()
    return redirect(safe_next(row.link) if row.link else url_for("notify.index"))


@bp.route("/me/notifications/<int:nid>/read", methods=["POST"])
@login_required
def read(nid):
    row = _own(nid)
    N.update(read_at=utcnow()).where(N.id == row.id, N.read_at.is_null()).execute()
    return redirect(url_for("notify.index"))


@bp.route("/me/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    ids = [n.id for n in inbox(current_user).where(N.read_at.is_null())]
    if ids:
        N.update(read_at=utcnow()).where(N.id.in_(ids)).execute()
    flash("已全部标为已读", "success")
    return redirect(url_for("notify.index"))


@bp.route("/me/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    setting = prefs.setting_of(current_user)
    chosen = prefs.chosen(setting)
    form = forms.settings_form(data={"wecom_webhook": setting.wecom_webhook if setting else "",
                                     **{f"ch_{n}": n in chosen for n in CHANNELS.names()}})
    if form.validate_on_submit():
        picked = [n for n in CHANNELS.names() if getattr(form, f"ch_{n}", None) is not None
                  and getattr(form, f"ch_{n}").data]
        prefs.save(current_user, picked, form.wecom_webhook.data)
        flash("通知设置已保存", "success")
        return redirect(url_for("notify.settings"))
    status = 422 if form.errors else 200
    reach = prefs.recipient(current_user, setting)
    rows = [(name, c, c.address(reach)) for name, c in sorted(CHANNELS.items())]
    return render_template("notify/settings.html", form=form, rows=rows,
                           department_webhook=bool(prefs.department_webhook(current_user))), status


from app.notify import admin  # noqa: E402,F401  (admin routes on the same blueprint)
