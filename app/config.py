"""Configuration: defaults here → instance/config.py → environment → a test dict."""
import os

ENV_KEYS = ("SECRET_KEY", "DATABASE_URL", "HUEY_URL", "UPLOAD_DIR", "MAIL_SERVER",
            "MAIL_PORT", "MAIL_FROM")


class Defaults:
    SECRET_KEY = None                      # generated into instance/secret_key when unset
    DATABASE_URL = "sqlite:///instance/onehall.db"
    HUEY_URL = "sqlite:///instance/huey.db"
    UPLOAD_DIR = "instance/uploads"
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_FROM = "onehall@localhost"
    MAX_CONTENT_LENGTH = 60 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None             # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "zh_CN"
    PASSWORD_HASH = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}
    SITE_NAME = "齐鲁工业大学 一网通 线上办事大厅"


def load(app, test_config=None):
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config["MAIL_PORT"] = int(app.config["MAIL_PORT"])
    if test_config:
        app.config.update(test_config)
    root = os.path.dirname(app.root_path)
    upload = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = upload if os.path.isabs(upload) else os.path.join(root, upload)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)


def _instance_secret(instance_path):
    """A random key kept in instance/secret_key so sessions survive restarts."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex())
    with open(path) as f:
        return f.read().strip()
