"""审计日志 (system admins): read-only list of audit events, filtered by user, kind and date."""
from flask_admin.contrib.peewee.filters import FilterEqual

from app.audit import KINDS
from app.models.audit import AuditEvent
from app.web.templating import local_time
from designer.views.base import AdminModelView


class AuditView(AdminModelView):
    """No create, edit or delete here, and no bulk action: the log is append-only."""
    can_create = can_edit = can_delete = False
    can_view_details = True
    action_disallowed_list = ["delete"]
    column_list = ("at", "kind", "username", "detail", "address")
    column_details_list = column_list
    column_labels = {"at": "时间", "kind": "类别", "username": "用户", "detail": "详情",
                     "address": "来源地址"}
    column_formatters = {"at": lambda v, c, m, n: local_time(m.at, "%Y-%m-%d %H:%M:%S"),
                         "kind": lambda v, c, m, n: KINDS.get(m.kind, m.kind)}
    column_formatters_detail = column_formatters
    column_searchable_list = ("username", "detail")
    column_filters = ("username",
                      FilterEqual(AuditEvent.kind, "类别", options=list(KINDS.items())),
                      "at")
    column_default_sort = ("at", True)
    page_size = 50

    def get_actions_list(self):
        return [], {}


def views():
    return [AuditView(AuditEvent, name="审计日志", endpoint="designer_audit", url="/designer/audit")]
