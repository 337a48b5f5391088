"""The services list and the drafts list (scoped to the admin's departments)."""
from flask_admin.model.template import EndpointLinkRowAction

from app.defs.model import AUDIENCE_LABELS
from app.models import Service
from app.models.designer import ServiceDraft
from designer.views.base import ScopedModelView


class ServicesView(ScopedModelView):
    can_create = can_edit = can_delete = False
    list_template = "designer/services_list.html"
    scope_column = Service.department
    column_list = ("number", "name", "category", "department", "audience", "enabled",
                   "latest_version", "updated")
    column_labels = {"number": "事项编号", "name": "事项名称", "category": "服务类别",
                     "department": "主办部门", "audience": "服务对象", "enabled": "启用",
                     "latest_version": "最新版本", "updated": "更新时间", "slug": "标识",
                     "keywords": "关键词", "recommended": "推荐", "initials": "拼音首字母"}
    column_formatters = {"audience": lambda v, c, m, n: "、".join(
        AUDIENCE_LABELS.get(a, a) for a in m.audience.split(",") if a)}
    column_searchable_list = ("name", "slug", "keywords", "initials")
    column_filters = ("category", "department", "enabled", "recommended")
    column_default_sort = "number"
    column_extra_row_actions = [
        EndpointLinkRowAction("fa fa-magic", "designer_builder.open_service", title="设计器",
                              id_arg="service_id"),
        EndpointLinkRowAction("fa fa-pencil", "designer_studio.open_service", title="编辑草稿",
                              id_arg="service_id"),
        EndpointLinkRowAction("fa fa-history", "designer_studio.versions", title="版本",
                              id_arg="service_id"),
    ]


class DraftsView(ScopedModelView):
    can_create = can_edit = can_delete = False
    scope_column = ServiceDraft.department
    column_list = ("slug", "department", "service", "base_version", "dirty", "updated", "updated_by")
    column_labels = {"slug": "服务标识", "department": "主办部门", "service": "已发布服务",
                     "base_version": "基于版本", "dirty": "有未发布的修改", "updated": "修改时间",
                     "updated_by": "修改人"}
    column_formatters = {"service": lambda v, c, m, n: m.service.name if m.service_id else "（未发布）",
                         "updated_by": lambda v, c, m, n: m.updated_by.name if m.updated_by_id else ""}
    column_searchable_list = ("slug",)
    column_filters = ("department", "dirty")
    column_default_sort = ("updated", True)
    column_extra_row_actions = [
        EndpointLinkRowAction("fa fa-magic", "designer_builder.edit", title="设计器", id_arg="draft_id"),
        EndpointLinkRowAction("fa fa-pencil", "designer_studio.metadata", title="编辑", id_arg="draft_id"),
    ]


def views():
    return [ServicesView(Service, name="服务", endpoint="designer_services", url="/designer/services"),
            DraftsView(ServiceDraft, name="草稿", endpoint="designer_drafts", url="/designer/drafts")]
