"""SMS gateways: ``send_sms(phone, text, config)`` hands the message to the gateway named by
the ``SMS_GATEWAY`` setting of ``config`` (the caller's settings: this module, like every
plugin the engine may load, imports no Flask). The built-in ``log`` gateway only records in
the server log (logger ``onehall.sms``) that a message went to a masked number — never the text, which may hold a
one-time code (anyone reading the log could reset that account). A real gateway is one
function registered here or from a plugin::

    @GATEWAYS.register("aliyun")
    def aliyun(phone, text): ...

A slow gateway should be called from a huey task so that a reset request for an existing
account takes no longer than one for an unknown account.
"""
import logging

from plugins.registry import Registry

GATEWAYS = Registry("sms gateway")
logger = logging.getLogger("onehall.sms")


def masked_phone(phone: str) -> str:
    """13912345678 → 139****5678 (the digits a person needs to tell their own numbers apart)."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


@GATEWAYS.register("log")
def log_gateway(phone: str, text: str) -> None:
    logger.info("SMS to %s: %d characters, not sent (SMS_GATEWAY is 'log'; the text is not logged)",
                masked_phone(phone), len(text))


def send_sms(phone: str, text: str, config) -> None:
    GATEWAYS.get(config.get("SMS_GATEWAY", "log"))(phone, text)
