"""Configuration: defaults here → instance/config.py → environment → a test dict."""
import os

ENV_KEYS = ("SECRET_KEY", "DATABASE_URL", "HUEY_URL", "UPLOAD_DIR", "MAIL_SERVER",
            "MAIL_PORT", "MAIL_FROM", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS",
            "BASE_URL", "HUEY_NAME", "WECOM_WEBHOOK_HOSTS", "REMINDER_INTERVAL_HOURS",
            "NOTIFY_MAX_ATTEMPTS", "NOTIFY_RETRY_SECONDS", "NOTIFY_LEASE_SECONDS",
            "EXPORT_DIR", "EXPORT_KEEP_DAYS", "PDF_TIMEOUT",
            "CAS_SERVER_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET",
            "AUDIT_KEEP_DAYS", "ID_CARD_KEY", "AUDIT_KEY")


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
    # notifications (app/notify, plugins/channels)
    BASE_URL = "http://127.0.0.1:5000"     # absolute links in emails, SMS and 企业微信 messages
    HUEY_NAME = "onehall"                  # queue name (key prefix on Redis)
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False                   # STARTTLS
    WECOM_WEBHOOK_HOSTS = "qyapi.weixin.qq.com"   # comma-separated hosts webhooks may use; "*" any
    REMINDER_INTERVAL_HOURS = 24           # an overdue to-do reminds its assignee this often
    NOTIFY_MAX_ATTEMPTS = 5                # then the row is failed (admins retry it)
    NOTIFY_RETRY_SECONDS = 60              # backoff: 60 s, 120 s, 240 s, …
    NOTIFY_LEASE_SECONDS = 300             # a 'sending' row older than this is sent again
    # exports and PDF (app/exports, renderers/pdf.py)
    EXPORT_KEEP_DAYS = 7                   # the worker deletes bulk-export files older than this
    PDF_TIMEOUT = 20                       # seconds a PDF may take; then the renderer is killed
    # accounts (app/auth): lock-out, sessions, recovery, SMS
    LOGIN_MAX_FAILURES = 5                 # per account …
    LOGIN_LOCK_MINUTES = 15                # … then locked this long
    ADDRESS_MAX_FAILURES = 20              # per client address (request.remote_addr) …
    ADDRESS_WINDOW_MINUTES = 15            # … within this window, then locked this long
    TRUSTED_PROXIES = 0                    # >0: apply ProxyFix for that many proxy hops
    PREFER_HTTPS = False                   # True: session cookie always Secure
    SESSION_IDLE_MINUTES = 120             # a session without 记住我 ends after this idle time
    PERMANENT_SESSION_LIFETIME = 14 * 24 * 3600   # 记住我: seconds
    RECOVERY_QUESTIONS_ENABLED = True      # 通过密保问题找回密码
    SMS_GATEWAY = "log"                    # plugins/sms.py GATEWAYS; "log" writes to the server log
    SMS_CODE_MINUTES = 10
    SMS_CODE_MAX_GUESSES = 5
    SMS_PER_PHONE_MINUTE = 1
    SMS_MINUTE_WINDOW = 1
    SMS_PER_PHONE_HOUR = 5
    SMS_PER_ADDRESS_HOUR = 10
    SMS_HOUR_WINDOW = 60
    # 统一身份认证 (app/auth/cas.py, app/auth/oidc.py, app/auth/sso.py)
    CAS_SERVER_URL = ""                    # e.g. https://cas.example.edu.cn/cas; empty: no CAS
    CAS_USERNAME_ATTRIBUTE = ""            # empty: the username is cas:user
    OIDC_ISSUER = ""                       # discovery at ISSUER/.well-known/openid-configuration
    OIDC_CLIENT_ID = ""
    OIDC_CLIENT_SECRET = ""
    OIDC_USERNAME_CLAIM = "preferred_username"
    OIDC_SCOPE = "openid profile email phone"
    SSO_TIMEOUT = 10                       # seconds for each call to the CAS server or OIDC provider
    SSO_PROVISION = False                  # True: an unknown identity gets an account
    SSO_ATTRIBUTE_MAP = {"name": "name", "email": "email", "phone": "phone_number"}  # field → attribute/claim
    SSO_ONLY = False                       # True: password login for admins only
    # hardening
    AUDIT_KEEP_DAYS = 365                  # audit events older than this are pruned (never < 180)
    ID_CARD_KEY = None                     # Fernet key(s), newest first; else instance/id_card_key
    AUDIT_KEY = None                       # HMAC key of the audit chain; else instance/audit_key


def load(app, test_config=None):
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    app.config["MAIL_PORT"] = int(app.config["MAIL_PORT"])
    if test_config:
        app.config.update(test_config)
    app.config["AUDIT_KEEP_DAYS"] = max(180, int(app.config["AUDIT_KEEP_DAYS"]))
    root = os.path.dirname(app.root_path)
    upload = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = upload if os.path.isabs(upload) else os.path.join(root, upload)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = _instance_secret(app.instance_path, "audit_key")
    if not app.config.get("ID_CARD_KEY"):
        from app.idcards import instance_key
        app.config["ID_CARD_KEY"] = instance_key(app.instance_path)


def _instance_secret(instance_path, name="secret_key"):
    """A random key kept in instance/NAME so it survives restarts (sessions, the audit chain)."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, name)
    if not os.path.exists(path):
        temp = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex())
        try:
            os.link(temp, path)             # whole, and only if no other process made it first
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
    with open(path) as f:
        return f.read().strip()
