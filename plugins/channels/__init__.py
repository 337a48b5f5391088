"""Notification channels: one small class per channel behind one interface, in ``CHANNELS``.

A channel says where a recipient can be reached (``address``) and sends one rendered
``Message`` there (``send``), raising on failure so that the outbox retries it. Channels do
no database work; the notify package resolves recipients and drives the outbox.
"""
from dataclasses import dataclass

from plugins.hooks import hookspec
from plugins.registry import Registry

CHANNELS = Registry("notification channel")


class ChannelError(Exception):
    """A send failed; the message says why (shown to admins on the failed list)."""


@dataclass(frozen=True)
class Recipient:
    """Where a user can be reached, resolved from their profile and settings."""
    user_id: int
    name: str
    email: str = ""
    phone: str = ""
    wecom_webhook: str = ""


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    link: str                  # absolute URL of the item


class Channel:
    name = ""
    label = ""
    always_on = False          # users cannot switch it off (in-app)
    inline = False             # delivered inside a database transaction: exactly once
    default_on = False         # switched on for users who never saved their settings

    @hookspec
    def address(self, recipient: Recipient) -> str:
        """Where to send for this recipient; "" when the channel cannot reach them."""
        raise NotImplementedError

    @hookspec
    def send(self, address: str, message: Message, config) -> None:
        """Deliver or raise ``ChannelError``; ``config`` is the app's config mapping."""
        raise NotImplementedError


def register(cls):
    """Class decorator: ``@register`` a Channel subclass under its ``name``."""
    return channel(cls.name)(cls)


def channel(name):
    """Class decorator: register one instance of a Channel subclass as channel ``name``."""
    def register_class(cls):
        from plugins.hooks import check_class
        check_class(cls, Channel, "notification channel", name)
        cls.name = name
        CHANNELS.register(name, cls(), owner=cls.__module__)
        return cls
    return register_class
