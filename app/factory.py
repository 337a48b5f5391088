"""The OneHall app factory: reads top to bottom and names every subsystem it wires in."""
from flask import Flask


def create_app(test_config=None):
    app = Flask("app", instance_path=_instance_path())
    from app.web import urls
    urls.init_app(app)                      # <int:…> bounded to ids a database holds: no 500s
    from app import config
    config.load(app, test_config)
    from app.web import uploads
    uploads.init_app(app)                   # form pages answer oversize uploads in the form
    from app.web import parked
    parked.init_app(app)                    # a form survives an ended session (before CSRF)

    from app import extensions
    from app.people import passwords
    extensions.init_database(app)           # DATABASE_URL; a connection per request
    from app import storage
    storage.init_app(app)                   # STORAGE_URL: attachments, exports, kept originals
    passwords.configure(app.config["PASSWORD_HASH"])
    from app.people import idcards
    idcards.configure(app.config["ID_CARD_KEY"])   # ID card numbers encrypted at rest
    extensions.init_app(app)
    from app import queue
    queue.init_app(app)

    import plugins
    plugins.load(app)

    from app import auth, hall, center, api, cli
    from app.web import errors, templating
    templating.init_app(app)
    from app.web import plugin_widgets
    plugin_widgets.init_app(app)            # plugins' own widget templates and scripts
    errors.init_app(app)
    from app.web import security
    security.init_app(app)                  # CSP with per-request nonces, nosniff, no framing
    app.register_blueprint(auth.bp)
    auth.init_app(app)                      # secure cookies, ProxyFix, ID numbers masked in logs
    app.register_blueprint(hall.bp)
    app.register_blueprint(center.bp)
    app.register_blueprint(api.bp)
    from app import stats
    app.register_blueprint(stats.bp)        # /stats 统计分析 and its downloads
    from app import exports
    app.register_blueprint(exports.bp)      # print, PDF/Word, verification, bulk export
    extensions.csrf.exempt(api.bp)          # the API checks CSRF itself for session callers
    from app import notify
    notify.init_app(app)                    # outbox listeners, huey tasks, bell and admin pages
    from app.queue import retention          # noqa: F401  (the daily retention run in the worker)
    import designer
    designer.init_app(app)                  # /designer: Flask-Admin service designer, directory, audit
    cli.init_app(app)
    from app import ops
    ops.init_app(app)                       # /healthz, /readyz, /metrics (Prometheus)
    from app.audit import cli as audit_cli
    audit_cli.init_app(app)                 # the recorder's key and address, `flask audit …`, the daily prune
    return app


def _instance_path():
    from app.config import instance_path
    return instance_path()
