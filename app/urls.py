"""URL helpers every blueprint shares."""
from urllib.parse import urlparse

from flask import url_for


def safe_next(target: str | None) -> str:
    """Only same-site relative paths: no scheme, no host, no `//evil`, no `/\\evil`."""
    home = url_for("hall.index")
    if not target or not target.startswith("/") or target.startswith("//"):
        return home
    if any(c in target for c in "\\\r\n\t") or any(ord(c) < 32 for c in target):
        return home
    parts = urlparse(target)
    if parts.scheme or parts.netloc:
        return home
    return target
