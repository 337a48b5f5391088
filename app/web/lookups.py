"""Lookups every blueprint shares: a published service by slug, an instance the user may see.

They raise the engine's ``NotFound`` (a 404 page on the web, the JSON error shape on the
API, by ``app.web.errors``), so no blueprint imports another blueprint's routes for them.
"""
from peewee import JOIN, SQL, fn

from app.engine import core, queries
from app.engine.exceptions import NotFound
from app.db.prepared import Columns, Statement
from app.models import Department, Instance, Service, ServiceVersion, Task, User

_SERVICE, _INSTANCE = Columns(Service), Columns(Instance)
_APPLICANT, _DEPARTMENT = Columns(User), Columns(Department)

SERVICE_WITH_LATEST = Statement(
    lambda s: (Service.select(*_SERVICE.columns(), ServiceVersion.id, ServiceVersion.digest)
               .join(ServiceVersion, JOIN.LEFT_OUTER,
                     on=((ServiceVersion.service == Service.id)
                         & (ServiceVersion.version == Service.latest_version)))
               .where(Service.slug == s.slug)),
    slug=Service.slug).named("lookups.service_with_latest", slug=lambda w: w.instance.service.slug)

INSTANCE_FOR_VIEWER = Statement(
    lambda s: (Instance.select(*_INSTANCE.columns(), *_SERVICE.columns(), *_APPLICANT.columns(),
                               *_DEPARTMENT.columns(), ServiceVersion.digest,
                               fn.EXISTS(Task.select(SQL("1")).where(
                                   Task.instance == Instance.id,
                                   (Task.assignee == s.user) | (Task.on_behalf_of == s.user))))
               .join(Service, on=(Instance.service == Service.id)).switch(Instance)
               .join(User, on=(Instance.applicant == User.id))
               .join(Department, JOIN.LEFT_OUTER, on=(User.department == Department.id))
               .switch(Instance)
               .join(ServiceVersion, on=(Instance.version == ServiceVersion.id))
               .where(Instance.serial == s.serial)),
    serial=Instance.serial, user=Task.assignee).named(
    "lookups.instance_for_viewer", serial=lambda w: w.instance.serial, user=lambda w: w.leader)


def get_service(slug) -> Service:
    """A service that has a published version; 404 otherwise. Read with its latest
    version's id and digest in one query (``core.start`` needs no other)."""
    row = SERVICE_WITH_LATEST.execute(slug=str(slug)).fetchone()
    if row is None or row[_SERVICE.width] is None:
        raise NotFound("该服务不存在")
    service = _SERVICE.make(row)
    service._latest = tuple(row[_SERVICE.width:])
    return service


def visible_instance(serial, user):
    """404 for an unknown serial and for anyone who is neither participant nor admin
    (whether the instance exists is not leaked).

    One query reads the instance with its service, applicant (and department), its
    version's digest and whether the user holds a task on it: the pages and the API need
    them all."""
    number = core.parse_serial(serial)
    row = INSTANCE_FOR_VIEWER.execute(serial=number, user=user.id if user else 0).fetchone() \
        if number else None
    if row is None:
        raise NotFound("事项不存在")
    instance = _INSTANCE.make(row)
    at = _INSTANCE.width
    instance.service = _SERVICE.make(row, at)
    at += _SERVICE.width
    applicant = _APPLICANT.make(row, at)
    at += _APPLICANT.width
    department = _DEPARTMENT.make(row, at)
    if department is not None:
        applicant.department = department
        applicant._dirty.clear()
    instance.applicant = applicant
    instance._dirty.clear()
    digest, mine = row[-2], row[-1]
    core.remember_digest(instance, digest)
    if user is None or not (instance.applicant_id == user.id or mine or queries.is_admin(user)):
        raise NotFound("事项不存在")
    return instance
