"""Models of the accounts part: server-side sessions, throttles, security questions, SMS codes."""
import peewee

from app.models.base import BaseModel, JSONField, utcnow  # noqa: F401
from app.models.directory import User


class AccountSession(BaseModel):
    """One signed-in browser. The Flask session holds the random id; we store only its sha256."""
    sid_hash = peewee.CharField(unique=True, max_length=64)
    user = peewee.ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    remember = peewee.BooleanField(default=False)                # 记住我: lives REMEMBER_DAYS
    created = peewee.DateTimeField(default=utcnow)
    last_seen = peewee.DateTimeField(default=utcnow)
    revoked = peewee.BooleanField(default=False)
    sso_ticket = peewee.CharField(null=True, max_length=64, index=True)   # sha256 of the CAS ticket (single logout)

    class Meta:
        indexes = ((("user", "revoked"), False),)


class Throttle(BaseModel):
    """A fixed-window attempt counter, e.g. ``login-account:t2001`` or ``sms-phone-hour:138…``.

    ``count`` is only ever changed with ``UPDATE … SET count = count + 1`` inside a write
    transaction, so concurrent attempts are all counted.
    """
    key = peewee.CharField(unique=True, max_length=200)
    count = peewee.IntegerField(default=0)
    window_start = peewee.DateTimeField(default=utcnow)
    locked_until = peewee.DateTimeField(null=True)


class SecurityQuestion(BaseModel):
    """密保问题: one per user; the answer is normalised and hashed with argon2."""
    user = peewee.ForeignKeyField(User, unique=True, backref="security_question", on_delete="CASCADE")
    question = peewee.CharField(max_length=100)
    answer_hash = peewee.CharField(max_length=255)
    updated = peewee.DateTimeField(default=utcnow)


class OneTimeCode(BaseModel):
    """An SMS code, stored as an HMAC bound to the user and the purpose."""
    user = peewee.ForeignKeyField(User, backref="codes", on_delete="CASCADE")
    purpose = peewee.CharField(max_length=32)                     # "reset"
    code_hash = peewee.CharField(max_length=64)
    created = peewee.DateTimeField(default=utcnow)
    expires = peewee.DateTimeField()
    guesses = peewee.IntegerField(default=0)                      # wrong guesses so far
    used = peewee.DateTimeField(null=True)
    void = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("user", "purpose", "void"), False),)
