"""Lookups every blueprint shares: a published service by slug, an instance the user may see.

They raise the engine's ``NotFound`` (a 404 page on the web, the JSON error shape on the
API, by ``app.errors``), so no blueprint imports another blueprint's routes for them.
"""
from app.defs.store import latest_version
from app.engine import core, queries
from app.engine.exceptions import NotFound
from app.models import Service


def get_service(slug) -> Service:
    """A service that has a published version; 404 otherwise."""
    service = Service.get_or_none(Service.slug == slug)
    if service is None or latest_version(service) is None:
        raise NotFound("该服务不存在")
    return service


def visible_instance(serial, user):
    """404 for an unknown serial and for anyone who is neither participant nor admin
    (whether the instance exists is not leaked)."""
    instance = core.get_instance(serial)         # NotFound for bad or out-of-range serials
    if user is None or not queries.can_view(instance, user):
        raise NotFound("事项不存在")
    return instance
