"""A stand-in SMS gateway for tests, like aiosmtpd for mail: ``SMS_GATEWAY = "test-inbox"``
keeps each (phone, text) in ``SENT`` instead of sending it."""
from plugins.sms import GATEWAYS

SENT = []


@GATEWAYS.register("test-inbox")
def inbox_gateway(phone: str, text: str) -> None:
    SENT.append((phone, text))
