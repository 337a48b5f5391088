"""Access rules shared by every designer view (Flask-Admin hooks only)."""
from flask import abort, redirect, request, url_for
from flask_admin.contrib.peewee import ModelView
from flask_login import current_user
from flask_wtf import FlaskForm

from app.web.urls import MAX_ID
from designer import scope


class DesignerAccess:
    """Admins and department admins; anyone else gets 403 (anonymous users: the login)."""

    def is_accessible(self):
        return scope.is_designer(current_user)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path))
        abort(403)


class SystemAdminAccess(DesignerAccess):
    """The directory: system admins only."""

    def is_accessible(self):
        return scope.is_system_admin(current_user)


class ScopedModelView(DesignerAccess, ModelView):
    """A model list scoped to the departments the admin manages (``scope_column``).

    Every query — the list, its count, a single row — goes through the scope, so a row of
    another department is a 404 even when its id is typed into the URL.
    """
    form_base_class = FlaskForm          # Flask-WTF's CSRF (SecureForm double-checks)
    scope_column = None
    page_size = 50

    def scoped(self, query):
        if self.scope_column is None:
            return query
        return scope.scope_query(query, current_user, self.scope_column)

    def get_query(self):
        return self.scoped(super().get_query())

    def search_placeholder(self):
        """Flask-Admin's peewee views have none (the box said "None"): name the searched columns."""
        labels = [self.column_labels.get(c, c) if isinstance(c, str) else str(c)
                  for c in self.column_searchable_list or ()]
        return "搜索：" + "、".join(labels) if labels else "搜索"

    def get_list(self, page, *args, **kwargs):
        """A page number past any database offset (``?page=99999999999999999999``) is the
        last possible page, empty — not an overflow."""
        size = kwargs.get("page_size") or self.page_size or 50
        if page is not None:
            page = min(max(int(page), 0), MAX_ID // (size * 2))
        return super().get_list(page, *args, **kwargs)

    def get_one(self, id):
        row = self.get_query().where(self.model._meta.primary_key == _int(id)).first()
        if row is None:
            abort(404)
        return row


class AdminModelView(SystemAdminAccess, ScopedModelView):
    pass


def _int(value):
    """An id from the URL, or -1 (no row) when it is not one a database holds."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1
    return number if 0 <= number <= MAX_ID else -1
