"""The huey queue: SQLite file by default, Redis with HUEY_URL=redis://….

Payloads are signed with SECRET_KEY (huey's SignedSerializer), so a process that can write
to the queue storage but does not hold the key cannot make a worker unpickle its data.
Tasks receive ids, never objects, and build their own app context.
"""
import os

from huey import RedisHuey, SqliteHuey
from huey.serializer import SignedSerializer

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_huey(url: str, secret: str, immediate: bool = False):
    serializer = SignedSerializer(secret=secret)
    if url.startswith("redis://") or url.startswith("rediss://"):
        return RedisHuey("onehall", url=url, serializer=serializer, immediate=immediate)
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else url
    if not os.path.isabs(path):
        path = os.path.join(_ROOT, path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey("onehall", filename=path, serializer=serializer, immediate=immediate)


def _default_secret():
    from app.config import _instance_secret
    return os.environ.get("SECRET_KEY") or _instance_secret(os.path.join(_ROOT, "instance"))


huey = make_huey(os.environ.get("HUEY_URL", "sqlite:///instance/huey.db"), _default_secret())
