"""Models of the hall part: 我的收藏 (favourites) and 评价 (ratings of completed instances)."""
import peewee

from app.models.base import BaseModel, JSONField, utcnow
from app.models.directory import User
from app.models.workflow import Instance, Service


class Favorite(BaseModel):
    """A service a user starred (☆) to find it again under 我的收藏."""
    user = peewee.ForeignKeyField(User, backref="favorites", on_delete="CASCADE")
    service = peewee.ForeignKeyField(Service, backref="favorited_by", on_delete="CASCADE")
    created = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "service"), True),)


class Rating(BaseModel):
    """评价: one per completed instance, by its applicant (the unique index enforces "once")."""
    instance = peewee.ForeignKeyField(Instance, unique=True, backref="ratings", on_delete="CASCADE")
    service = peewee.ForeignKeyField(Service, backref="ratings", on_delete="CASCADE")
    user = peewee.ForeignKeyField(User, on_delete="CASCADE")
    stars = peewee.SmallIntegerField(constraints=[peewee.Check("stars BETWEEN 1 AND 5")])
    remark = peewee.TextField(default="")
    created = peewee.DateTimeField(default=utcnow)
    reply = peewee.TextField(default="")                 # 差评回访: the department's answer
    replied_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    replied_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("service", "created"), False),)


class HallSetting(BaseModel):
    """Site-wide choices an admin makes in the pages (key → JSON value), e.g. how 热门服务
    and 推荐服务 are chosen."""
    key = peewee.CharField(primary_key=True, max_length=64)
    value = JSONField(null=True)
    updated = peewee.DateTimeField(default=utcnow)
