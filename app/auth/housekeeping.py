"""Deleting what the accounts part no longer needs (``flask accounts purge``)."""
from datetime import timedelta

from flask import current_app

from app.auth import throttle
from app.db import write_transaction
from app.models import utcnow
from app.models.accounts import AccountSession, OneTimeCode


def purge_all() -> str:
    day_ago = utcnow() - timedelta(days=1)
    stale = utcnow() - current_app.permanent_session_lifetime - timedelta(days=1)
    counters = throttle.purge()
    with write_transaction():
        codes = OneTimeCode.delete().where(OneTimeCode.expires < day_ago).execute()
        ended = (AccountSession.delete()
                 .where(((AccountSession.revoked == True) & (AccountSession.last_seen < day_ago))  # noqa: E712
                        | (AccountSession.last_seen < stale)).execute())
    return f"counters {counters}, codes {codes}, sessions {ended}"
