"""SMS gateways: ``send_sms(phone, text)`` hands the message to the gateway named by the
``SMS_GATEWAY`` setting. The built-in ``log`` gateway writes it to the server log (logger
``onehall.sms``) — enough for development and for reading a code in tests. A real gateway
is one function registered here or from a plugin::

    @GATEWAYS.register("aliyun")
    def aliyun(phone, text): ...

A slow gateway should be called from a huey task so that a reset request for an existing
account takes no longer than one for an unknown account.
"""
import logging

from flask import current_app

from plugins.registry import Registry

GATEWAYS = Registry("sms gateway")
logger = logging.getLogger("onehall.sms")


@GATEWAYS.register("log")
def log_gateway(phone: str, text: str) -> None:
    logger.info("SMS to %s: %s", phone, text)


def send_sms(phone: str, text: str) -> None:
    GATEWAYS.get(current_app.config.get("SMS_GATEWAY", "log"))(phone, text)
