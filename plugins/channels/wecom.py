"""企业微信 group robot: POST {"msgtype":"text","text":{"content":…}} to a webhook URL.

The URL is the user's own or their department's. Only http/https URLs whose host is in
``WECOM_WEBHOOK_HOSTS`` (default qyapi.weixin.qq.com; "*" allows any) are used, and
redirects are not followed, so a webhook cannot make the worker call internal services.
"""
import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from plugins.channels import Channel, ChannelError, register

DEFAULT_HOSTS = "qyapi.weixin.qq.com"


def allowed_hosts(config) -> set:
    raw = config.get("WECOM_WEBHOOK_HOSTS") or DEFAULT_HOSTS
    return {h.strip().lower() for h in raw.split(",") if h.strip()}


def webhook_problem(url: str, config) -> str:
    """Why ``url`` cannot be used as a webhook ("" when it can)."""
    if len(url) > 500:
        return "地址过长"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "只支持 http:// 或 https:// 地址"
    hosts = allowed_hosts(config)
    if "*" not in hosts and parts.hostname.lower() not in hosts:
        return f"主机 {parts.hostname} 不在允许的列表中（{', '.join(sorted(hosts))}）"
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise ChannelError(f"webhook 返回重定向 {code}，已拒绝")


_opener = urllib.request.build_opener(_NoRedirect)


@register
class WeCom(Channel):
    name = "wecom"
    label = "企业微信"

    def address(self, recipient):
        return recipient.wecom_webhook or ""

    def send(self, address, message, config):
        problem = webhook_problem(address, config)
        if problem:
            raise ChannelError(f"企业微信 webhook 不可用: {problem}")
        content = f"{message.subject}\n{message.text}\n{message.link}"
        body = json.dumps({"msgtype": "text", "text": {"content": content}},
                          ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(address, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with _opener.open(request, timeout=10) as response:
                answer = response.read(65536)
        except urllib.error.HTTPError as e:
            raise ChannelError(f"企业微信 webhook HTTP {e.code}") from e
        except (OSError, ValueError) as e:
            raise ChannelError(f"企业微信 webhook: {e}") from e
        _check_answer(answer)


def _check_answer(answer: bytes) -> None:
    """The robot answers 200 with {"errcode": 0, …}; a non-zero errcode is a failure."""
    try:
        data = json.loads(answer or b"{}")
    except ValueError:
        return
    if isinstance(data, dict) and data.get("errcode", 0) not in (0, "0"):
        raise ChannelError(f"企业微信 errcode {data.get('errcode')}: {data.get('errmsg', '')}")
