"""Registries and built-in plugins: field types, autofill sources, assignee resolvers, …

``load(app)`` imports the built-in modules so that their decorators fill the registries.
"""
import importlib

BUILTIN = ("plugins.fields", "plugins.autofill", "plugins.assignees", "plugins.sms",
           "plugins.channels.inapp", "plugins.channels.mail", "plugins.channels.sms",
           "plugins.channels.wecom")


def load(app=None):
    for name in BUILTIN:
        importlib.import_module(name)
