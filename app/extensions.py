from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def N_(text):
    """Mark ``text`` for the catalogue; it is translated later (here by localize_callback)."""
    return text


LOCALES = ("zh_CN", "en")       # Chinese by default; English available (app/translations/en)


def _locale():
    """The ``lang`` cookie (中文 / English link), else Accept-Language, else Chinese."""
    from flask import has_request_context, request
    if not has_request_context():          # CLI and workers: Chinese
        return "zh_CN"
    chosen = request.cookies.get("lang")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "zh_CN"


def init_app(app):
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("请先登录")
    from flask_babel import gettext
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(key):
        from app.auth.sessions import load_user as from_session
        return from_session(key)           # the identity AND a live server-side session row


def init_database(app) -> None:
    """Bind ``app.db`` to DATABASE_URL; a connection per request (here, not in app.db: the
    engine imports that module and never Flask)."""
    from flask import g

    from app.db import bind, db, is_sqlite, make_database
    database = make_database(app.config["DATABASE_URL"], root=app.root_path + "/..",
                             pool_size=app.config["DATABASE_POOL_SIZE"],
                             synchronous=app.config["SQLITE_SYNCHRONOUS"])
    bind(database)

    @app.before_request
    def _connect():
        g.db_opened = db.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        # Close only the connection this request opened: a task or CLI command that opened
        # one around its app context closes it itself (closing it here broke their
        # connection_context on PostgreSQL). On PostgreSQL close() hands the connection back
        # to the process's pool (DATABASE_POOL_SIZE) rather than ending it. SQLite: keep the worker thread's connection
        # (opening one costs a file open and four PRAGMAs per request). Tests drive requests
        # and queries from one thread on one connection: keep it.
        opened = g.pop("db_opened", False)
        if opened and not db.is_closed() and not is_sqlite() and not app.config.get("TESTING"):
            db.close()
