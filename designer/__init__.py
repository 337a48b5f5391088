"""The designer: Flask-Admin views where admins build, test and publish services.

Mounted at /designer by ``init_app(app)``. Views only check access, scope their queries
and call the plain functions of ``designer.drafts`` / ``app.defs`` / ``app.engine`` /
``app.people.directory``; the rules live there.
"""
from flask import Blueprint


def init_app(app):
    from flask_admin import Admin
    from flask_admin.theme import Bootstrap4Theme

    from app.web.security import csp_nonce
    from designer import jobs  # noqa: F401  (jobs registers the huey task)
    from designer.views import audit, builder, directory, home, instances, paper, services, studio

    assets = Blueprint("designer_assets", __name__, template_folder="templates",
                       static_folder="static", static_url_path="/designer-assets")
    app.register_blueprint(assets)
    admin = Admin(app, name="服务设计器", url="/designer", endpoint="designer",
                  index_view=home.HomeView(name="首页", url="/designer", endpoint="designer"),
                  theme=Bootstrap4Theme(base_template="designer/base.html", fluid=True),
                  csp_nonce_generator=csp_nonce)
    for view in (services.views() + [studio.StudioView(name="编辑", endpoint="designer_studio",
                                                        url="/designer/studio"),
                                      builder.BuilderView(name="设计器", endpoint="designer_builder",
                                                          url="/designer/builder"),
                                      paper.PaperView(name="从纸质表单导入", endpoint="designer_paper",
                                                      url="/designer/paper")]
                 + instances.views() + directory.views() + audit.views()):
        admin.add_view(view)
    app.context_processor(_nav)
    from designer import scenarios
    scenarios.settings["directory"] = app.config.get("DEFS_TEST_DIRECTORY")   # else the demo directory
    return admin


def _nav():
    """``can_design()`` for the site's nav link (asked only when a page renders it)."""
    from flask import g
    from flask_login import current_user

    from designer import scope

    def can_design():
        if "can_design" not in g:
            g.can_design = scope.is_designer(current_user)
        return g.can_design
    return {"can_design": can_design}
