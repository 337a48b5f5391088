"""评价: the applicant rates a completed instance once; the owning department reads the ratings."""
from __future__ import annotations

import peewee

from app.db import write_transaction
from app.engine.exceptions import Conflict, Invalid, NotAllowed
from app.engine.states import Status
from app.people.roles import managed_departments
from app.hall import followups
from app.models import Instance, Service, User
from app.models.hall import Rating

MAX_REMARK = 500


def rating_of(instance) -> Rating | None:
    return Rating.get_or_none(Rating.instance == instance.id)


def can_rate(instance, user) -> bool:
    return instance.applicant_id == user.id and instance.status == Status.COMPLETED


def rate(instance: Instance, user: User, stars, remark: str = "") -> Rating:
    """Record the applicant's rating; a second one is refused (the unique index decides)."""
    if instance.applicant_id != user.id:
        raise NotAllowed("只有申请人可以评价该事项")
    if instance.status != Status.COMPLETED:
        raise NotAllowed("事项办结后才能评价")
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise Invalid("请选择1到5星的评分", fields={"stars": ["请选择1到5星的评分"]})
    remark = (remark or "").strip()
    if len(remark) > MAX_REMARK:
        raise Invalid(f"评价备注最多{MAX_REMARK}个字", fields={"remark": [f"评价备注最多{MAX_REMARK}个字"]})
    try:
        with write_transaction():
            rating = Rating.create(instance=instance.id, service=instance.service_id, user=user.id,
                                   stars=stars, remark=remark)
            followups.open_for(rating, instance.service)
            return rating
    except peewee.IntegrityError:
        raise Conflict("您已评价过该事项，每个事项只能评价一次") from None


def departments_for(user) -> list[str] | None:
    """Departments whose ratings the user may read: None means all (admin)."""
    managed = managed_departments(user)
    return None if managed is None else sorted(managed)


def department_ratings(departments, department=""):
    """Ratings of the services owned by these departments (None: all), newest first."""
    query = (Rating.select(Rating, Service, Instance, User)
             .join(Service).switch(Rating).join(Instance).switch(Rating).join(User))
    if departments is not None:
        query = query.where(Service.department.in_(departments or [""]))
    if department:
        query = query.where(Service.department == department)
    return query.order_by(Rating.created.desc(), Rating.id.desc())
