"""Engine events: listeners run inside the transaction of the transition that emits them.

A listener that writes rows (the notification outbox) therefore commits or rolls back with
the transition itself. Listeners must not do I/O beyond the database.

Events and their keyword arguments:
- ``task_created``    (instance, task)       a new to-do for ``task.assignee``
- ``cc_created``      (instance, task)       a copy (抄送) for ``task.assignee``
- ``returned``        (instance, task, by, opinion)  back to the applicant (``task`` is theirs)
- ``finished``        (instance, status)     completed | terminated
"""
from collections import defaultdict

_listeners = defaultdict(list)

EVENTS = ("task_created", "cc_created", "returned", "finished", "reminded")


def listen(event: str, fn=None):
    if event not in EVENTS:
        raise ValueError(f"unknown engine event {event!r}")
    if fn is None:
        return lambda f: listen(event, f)
    if fn not in _listeners[event]:
        _listeners[event].append(fn)
    return fn


def emit(event: str, **kwargs) -> None:
    for fn in _listeners[event]:
        fn(**kwargs)
