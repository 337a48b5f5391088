"""Configuration: defaults here → instance/config.py → environment → a test dict.

Every setting of Defaults may come from the environment under its own name; the value is
JSON-decoded when it parses (``True``/``true``, ``10``, ``{"name": "name"}``), else taken
as a string. A setting whose default is text (or None) stays text: ``MAIL_PASSWORD=123456``
is the string "123456".
"""
import json
import os


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
    EXPORT_DIR = ""                        # empty: instance/exports beside UPLOAD_DIR (file storage)
    EXPORT_KEEP_DAYS = 7                   # the worker deletes bulk-export files older than this
    PDF_TIMEOUT = 20                       # seconds a PDF may take; then the renderer is killed
    PDF_RENDER_PROCESSES = 1               # renderer processes per web process
    PDF_RENDER_MAX_TASKS = 100             # a renderer process is replaced after this many PDFs
    PUBLIC_URL = ""                        # host in printed QR codes; empty: the request's host
    HUEY_IMMEDIATE = False                 # run tasks inline in the web process (tests only)
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
    # operations (app/storage, app/ops.py)
    DATABASE_POOL_SIZE = 8                 # PostgreSQL connections kept open per process
    SQLITE_SYNCHRONOUS = "full"            # SQLite files: each commit on disk; "off" for throw-away test files
    STORAGE_URL = ""                       # file:///path or s3://bucket/prefix; empty: the instance folder
    S3_ENDPOINT_URL = ""                   # MinIO / Ceph RGW; empty: AWS
    AWS_ACCESS_KEY_ID = ""                 # empty: boto3's own lookup (environment, ~/.aws, instance role)
    AWS_SECRET_ACCESS_KEY = ""
    S3_REGION = ""                         # empty: us-east-1
    METRICS_ALLOW = "127.0.0.1"            # comma-separated addresses that may read /metrics
    METRICS_TOKEN = ""                     # or with Authorization: Bearer METRICS_TOKEN


def env_value(text: str):
    """``True``/``10``/``{"a": 1}`` decoded as JSON (Python's True/False/None too), else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return _PYTHON_LITERALS.get(text, text)


_PYTHON_LITERALS = {"True": True, "False": False, "None": None}


def _from_env(key, text):
    """A text setting (default a string or None: keys, passwords, URLs) stays text even when
    it looks like a number — a password 123456 must not become an int."""
    value = env_value(text)
    default = getattr(Defaults, key)
    if (default is None or isinstance(default, str)) and not isinstance(value, str):
        return text
    return value


def settings() -> list[str]:
    return [k for k in vars(Defaults) if k.isupper()]


def load(app, test_config=None):
    app.config.from_object(Defaults)
    # the instance folder's file (a bare "config.py" would be read from app/, i.e. this module)
    app.config.from_pyfile(os.path.join(app.instance_path, "config.py"), silent=True)
    for key in settings():
        if os.environ.get(key):
            app.config[key] = _from_env(key, os.environ[key])
    app.config["MAIL_PORT"] = int(app.config["MAIL_PORT"])
    if test_config:
        app.config.update(test_config)
    app.config["AUDIT_KEEP_DAYS"] = max(180, int(app.config["AUDIT_KEEP_DAYS"]))
    root = os.path.dirname(app.root_path)
    upload = app.config["UPLOAD_DIR"]
    app.config["UPLOAD_DIR"] = upload if os.path.isabs(upload) else os.path.join(root, upload)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret(app.instance_path)
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = instance_secret(app.instance_path, "audit_key")
    if not app.config.get("ID_CARD_KEY"):
        from app.people.idcards import instance_key
        app.config["ID_CARD_KEY"] = instance_key(app.instance_path)


def instance_path() -> str:
    """INSTANCE_PATH (environment only: it locates instance/config.py), else ./instance."""
    if os.environ.get("INSTANCE_PATH"):
        return os.path.abspath(os.environ["INSTANCE_PATH"])
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "instance")


def instance_secret(instance_path, name="secret_key"):
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
