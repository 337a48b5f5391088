"""The audit log (SPEC §7.5): the recorder (``log``, no Flask), its HMAC chain (``chain``) and
its place in the running app (``cli``: key, address, ``flask audit …``, the daily prune).

``from app import audit; audit.record(kind, user, detail)`` is how every part records.
"""
from app.audit.log import (KINDS, MIN_KEEP_DAYS, between, configure, keep_days, key, prune,  # noqa: F401
                           record, record_retention)
