"""The OneHall plugin API, version 1.0: everything a plugin imports, from one module.

One registration style: a decorator named after the registry, called with the name::

    from plugins.api import FieldType, field_type_class

    @field_type_class("mobile")
    class Mobile(FieldType): ...

=========================  ===========================================  ==================
decorator                  what it decorates                             registry
=========================  ===========================================  ==================
``field_type_class(n)``    a ``FieldType`` subclass                      field types
``assignee_kind(n)``       an ``AssigneeKind`` subclass                  assignee kinds
``autofill_source(n)``     ``def f(user, now) -> value``                 autofill sources
``channel(n)``             a ``Channel`` subclass                        notification channels
``writer(n)``              a class like ``Writer`` (path; write; close)  export formats
``print_rule(n)``          ``def f(instance, user) -> bool``             print rules
``sms_gateway(n)``         ``def f(phone, text) -> None``                SMS gateways
=========================  ===========================================  ==================

Every hook a plugin may override is declared on its base class with ``@hookspec``; the
decorators check the plugin's signatures when it is loaded and refuse a mismatch naming the
plugin, class, hook and the expected signature. A plugin's entry-point module may say which
API it was written for with ``requires_api = "1"``: another major version stops start-up.
"""
from __future__ import annotations

from plugins.assignees import AssigneeKind, Context, assignee_kind
from plugins.autofill import SOURCES
from plugins.channels import Channel, ChannelError, Message, Recipient, channel
from plugins.fields import (COMMON_KEYS, KEYS, FieldType, WidgetContext, common_kwargs,
                            field_type_class, shared_key)
from plugins.hooks import (API_VERSION, HookError, check_class, check_function,  # noqa: F401
                           check_requires, hookspec)   # (check_requires: plugins.api's before)
from plugins.registry import RegistryError


__all__ = ["API_VERSION", "AssigneeKind", "Channel", "ChannelError", "COMMON_KEYS", "Context",
           "FieldType", "HookError", "KEYS", "Message", "Recipient", "RegistryError",
           "WidgetContext", "Writer", "assignee_kind", "autofill_source", "channel",
           "common_kwargs", "field_type_class", "hookspec", "print_rule", "shared_key",
           "sms_gateway", "users_with_role", "writer"]


# ---------------------------------------------------------------- function hooks' specs

def autofill_source_spec(user, now):
    """The value of a field with ``autofill: NAME`` for ``user`` (None before sign-in) at ``now``."""


def print_rule_spec(instance, user):
    """Whether ``user`` may print ``instance`` under a service's ``print: {who: NAME}``."""


def sms_gateway_spec(phone, text):
    """Hand ``text`` to the gateway for ``phone``; raise on failure."""


class Writer:
    """The shape of an export format: ``extension``, ``mimetype`` and three hooks."""
    extension = ""
    mimetype = "application/octet-stream"

    @hookspec
    def __init__(self, path):
        self.path = path

    @hookspec
    def write(self, values):
        """One row: a list of strings (already guarded against spreadsheet formulas)."""
        raise NotImplementedError

    @hookspec
    def close(self):
        raise NotImplementedError


# ---------------------------------------------------------------- registration

def autofill_source(name):
    """Function decorator: ``@autofill_source("user.title")`` on ``def f(user, now)``."""
    def register(fn):
        check_function(fn, autofill_source_spec, "autofill source", name)
        SOURCES.register(name, fn, owner=fn.__module__)
        return fn
    return register


def print_rule(name):
    """Function decorator: ``@print_rule("leaders")`` on ``def f(instance, user) -> bool``."""
    def register(fn):
        from plugins.print_rules import PRINT_RULES
        check_function(fn, print_rule_spec, "print rule", name)
        PRINT_RULES.register(name, fn, owner=fn.__module__)
        return fn
    return register


def sms_gateway(name):
    """Function decorator: ``@sms_gateway("aliyun")`` on ``def f(phone, text)``."""
    def register(fn):
        from plugins.sms import GATEWAYS
        check_function(fn, sms_gateway_spec, "SMS gateway", name)
        GATEWAYS.register(name, fn, owner=fn.__module__)
        return fn
    return register


def writer(name):
    """Class decorator: ``@writer("ods")`` on a class shaped like ``Writer``."""
    def register(cls):
        from app.exports.bulk import WRITERS
        check_class(cls, Writer, "export format", name, subclass=False)
        WRITERS.register(name, cls, owner=cls.__module__)
        return cls
    return register


def registries() -> list[tuple[str, object]]:
    """(label, registry) of every registry a plugin can add to, for ``flask plugins``."""
    from app.exports.bulk import WRITERS
    from plugins.print_rules import PRINT_RULES
    from plugins.assignees import ASSIGNEE_KINDS
    from plugins.channels import CHANNELS
    from plugins.fields import FIELD_TYPES
    from plugins.sms import GATEWAYS
    return [("field types", FIELD_TYPES), ("assignee kinds", ASSIGNEE_KINDS),
            ("autofill sources", SOURCES), ("channels", CHANNELS), ("writers", WRITERS),
            ("print rules", PRINT_RULES), ("SMS gateways", GATEWAYS)]


# ---------------------------------------------------------------- helpers for assignee kinds

def users_with_role(role: str, department: str | None = None) -> list:
    """Users holding ``role`` (within the department named ``department`` when given); an
    assignee kind's ``resolve`` may return them as they are: OneHall drops inactive users."""
    from plugins.assignees import _users_where
    if department is None:
        return _users_where("role").all(role=role)
    from app.models import Department
    dept = Department.get_or_none(Department.name == department)
    return [] if dept is None else _users_where("role_in").all(role=role, department=dept.id)
