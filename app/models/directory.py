"""People: departments, users, roles (a role held optionally within a department), API tokens."""
import peewee

from app.models.base import BaseModel, utcnow


class Department(BaseModel):
    name = peewee.CharField(unique=True, max_length=100)
    code = peewee.CharField(null=True, max_length=50)


class User(BaseModel):
    username = peewee.CharField(unique=True, max_length=64)       # 工号 / 学号
    name = peewee.CharField(max_length=100)
    type = peewee.CharField(max_length=16)                       # staff | student | external
    department = peewee.ForeignKeyField(Department, null=True, backref="users", on_delete="SET NULL")
    id_card = peewee.CharField(null=True, max_length=32)
    phone = peewee.CharField(null=True, max_length=32)
    email = peewee.CharField(null=True, max_length=200)
    password_hash = peewee.CharField(max_length=255)
    activated = peewee.BooleanField(default=False)               # False while the initial password is in use
    is_active = peewee.BooleanField(default=True)
    session_epoch = peewee.IntegerField(default=0)               # bumped to end every session of the user
    created = peewee.DateTimeField(default=utcnow)

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
