"""Notifications: an outbox written inside engine transitions, delivered by huey through the
channel plugins in ``plugins.channels`` (in-app, email, SMS, 企业微信).

``init_app(app)`` registers the engine-event listeners, the huey tasks, the blueprint (the
bell's pages and the admin pages) and the after-context hook that enqueues new rows.
"""
from app.notify.routes import bp


def init_app(app) -> None:
    from app.notify import listeners, outbox, tasks  # noqa: F401  (tasks register on huey)
    listeners.register()
    app.register_blueprint(bp)
    app.teardown_appcontext(outbox.flush)
