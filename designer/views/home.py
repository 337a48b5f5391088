"""The designer's start page."""
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from app.models import Service
from app.models.designer import ServiceDraft
from designer import scope
from designer.views.base import DesignerAccess


class HomeView(DesignerAccess, AdminIndexView):
    @expose("/")
    def index(self):
        managed = scope.managed_departments(current_user)
        services = scope.scope_query(Service.select(), current_user, Service.department)
        drafts = scope.scope_query(ServiceDraft.select().where(ServiceDraft.dirty == True),  # noqa: E712
                                   current_user, ServiceDraft.department)
        return self.render("designer/home.html", managed=managed, service_count=services.count(),
                           draft_count=drafts.count(), is_system_admin=managed is scope.ALL)
