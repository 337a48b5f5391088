"""短信 through the SMS gateway interface of ``plugins.sms`` (its default backend logs)."""
import importlib

from plugins.channels import Channel, ChannelError, register

MAX_TEXT = 300


@register
class Sms(Channel):
    name = "sms"
    label = "短信"

    def address(self, recipient):
        return recipient.phone or ""

    def send(self, address, message, config):
        try:
            gateway = importlib.import_module("plugins.sms")
        except ImportError as e:
            raise ChannelError("短信网关模块 plugins.sms 不可用") from e
        text = f"{message.text} {message.link}"
        try:
            gateway.send_sms(address, text[:MAX_TEXT], config)
        except Exception as e:          # a gateway backend may raise anything: retry it
            raise ChannelError(f"短信发送失败: {e}") from e
