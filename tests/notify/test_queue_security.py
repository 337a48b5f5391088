"""A process that can write to the queue storage but lacks SECRET_KEY cannot run code."""
import os
import pickle

from app.queue import huey
from tests.notify.conftest import wait_until


class Exploit:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_unsigned_and_forged_payloads_are_rejected_and_nothing_runs(app, tmp_path, consumer, user):
    from app.defs.store import import_text
    from app.engine import core
    from app.models.notify import Notification
    from tests.engine.conftest import CHAIN
    core.start(import_text(CHAIN, "t.yaml")[0], user("t2001"), {"subject": "x"})   # 2 pending rows
    marker = str(tmp_path / "pwned")
    payload = pickle.dumps(Exploit(marker))
    huey.storage.enqueue(payload, 0)                                   # unsigned
    huey.storage.enqueue(payload + b":" + b"0" * 40, 0)                # forged signature
    huey.storage.enqueue(b"garbage without a separator", 0)
    with_other_key = pickle.dumps(Exploit(marker))
    import hashlib
    import hmac
    key = hashlib.sha1(b"huey" + b"not-the-secret").digest()
    huey.storage.enqueue(with_other_key + b":" + hmac.new(key, with_other_key, hashlib.sha1).hexdigest().encode(), 0)

    from app.notify.tasks import sweep
    sweep()                                                           # a legitimate message after them
    consumer.start()
    wait_until(lambda: huey.pending_count() == 0 and not Notification.select().where(
        Notification.status != "sent").exists())             # the consumer went on working
    assert not os.path.exists(marker)


def test_payloads_carry_ids_not_objects(app):
    from app.notify.tasks import deliver_task
    deliver_task(12345)
    raw = huey.storage.dequeue()
    message = huey.serializer.deserialize(raw)
    assert message.args == (12345,) and message.kwargs == {}
