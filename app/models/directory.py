"""People: departments, users, roles (a role held optionally within a department), API tokens."""
import peewee

from app.people import idcards
from app.models.base import BaseModel, utcnow


class EncryptedIdCard(peewee.TextField):
    """An ID card number, stored encrypted (``app.people.idcards``); plain text in Python only."""

    def db_value(self, value):
        if not value:
            return None
        return idcards.encrypt(idcards.normalize(value))      # whatever was typed, even "gAAAA…"

    def python_value(self, value):
        return None if value is None else idcards.decrypt(value)


class Department(BaseModel):
    name = peewee.CharField(unique=True, max_length=100)
    code = peewee.CharField(null=True, max_length=50)


class User(BaseModel):
    username = peewee.CharField(unique=True, max_length=64)       # 工号 / 学号
    name = peewee.CharField(max_length=100)
    type = peewee.CharField(max_length=16)                       # staff | student | external
    department = peewee.ForeignKeyField(Department, null=True, backref="users", on_delete="SET NULL")
    id_card = EncryptedIdCard(null=True, column_name="id_card_secret")   # never plain at rest
    id_card_hash = peewee.CharField(null=True, index=True, max_length=64)  # HMAC, for lookups
    phone = peewee.CharField(null=True, max_length=32)
    email = peewee.CharField(null=True, max_length=200)
    password_hash = peewee.CharField(max_length=255)
    activated = peewee.BooleanField(default=False)               # False while the initial password is in use
    is_active = peewee.BooleanField(default=True)
    session_epoch = peewee.IntegerField(default=0)               # bumped to end every session of the user
    created = peewee.DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        self.id_card_hash = idcards.lookup_hash(self.id_card)
        return super().save(*args, **kwargs)

    # Flask-Login protocol
    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        return f"{self.id}:{self.session_epoch}"

    @property
    def department_name(self):
        return self.department.name if self.department_id else ""


class Role(BaseModel):
    code = peewee.CharField(unique=True, max_length=64)
    name = peewee.CharField(max_length=100)


class UserRole(BaseModel):
    user = peewee.ForeignKeyField(User, backref="role_links", on_delete="CASCADE")
    role = peewee.ForeignKeyField(Role, backref="holders", on_delete="CASCADE")
    department = peewee.ForeignKeyField(Department, null=True, on_delete="CASCADE")

    class Meta:
        indexes = ((("user", "role", "department"), True), (("role", "department"), False))


class ApiToken(BaseModel):
    user = peewee.ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = peewee.CharField(unique=True, max_length=64)    # sha256 hex of the token
    created = peewee.DateTimeField(default=utcnow)
