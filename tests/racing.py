"""Racing real threads at one instance: each on its own database connection, released together."""
import threading

from app.db import db
from app.engine import core
from app.engine.exceptions import Conflict
from app.models import User


def race(app_obj, serial, moves):
    """Each (username, action) acts on the instance at the same moment on its own connection."""
    barrier = threading.Barrier(len(moves))
    outcomes = {}

    def worker(username, action):
        with app_obj.app_context():
            db.connect(reuse_if_open=True)
            try:
                person = User.get(User.username == username)
                inst = core.get_instance(serial)
                barrier.wait()
                core.act(inst, person, action, opinion=username, expected_step=inst.step)
                outcomes[username] = "ok"
            except Conflict:
                outcomes[username] = "conflict"
            finally:
                db.close()

    threads = [threading.Thread(target=worker, args=m) for m in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes
