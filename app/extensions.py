from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def _locale():
    from flask import request
    return request.cookies.get("lang") or request.accept_languages.best_match(["zh_CN", "en"]) or "zh_CN"


def init_app(app):
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(key):
        from app.models import User
        try:
            user_id, epoch = (int(p) for p in key.split(":"))
        except ValueError:
            return None
        user = User.get_or_none(User.id == user_id)
        if user is None or not user.is_active or user.session_epoch != epoch:
            return None
        return user
