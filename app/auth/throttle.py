"""Fixed-window attempt counters shared by login, recovery and SMS sends.

An attempt is counted *before* the password is checked (``hit``), so N parallel guesses
cannot slip past a limit of 5: the counter is raised with one atomic
``UPDATE … SET count = count + 1`` in a write transaction and each attempt sees its own
number. A successful login clears the account counter and gives the address its attempt
back (``release``); a failure at the limit sets ``locked_until``.
"""
import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from peewee import Case

from app.db import write_transaction
from app.models import utcnow
from app.models.accounts import Throttle


@dataclass(frozen=True)
class Rule:
    name: str            # key prefix
    limit_key: str       # config key of the limit
    window_key: str      # config key of the window, in minutes
    locks: bool = False  # reaching the limit locks for one window

    @property
    def limit(self) -> int:
        return int(current_app.config[self.limit_key])

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=float(current_app.config[self.window_key]))


@dataclass(frozen=True)
class Verdict:
    count: int
    allowed: bool
    wait: int            # seconds until another attempt is allowed (0 when allowed)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.wait / 60))


LOGIN_ACCOUNT = Rule("login-account", "LOGIN_MAX_FAILURES", "LOGIN_LOCK_MINUTES", locks=True)
LOGIN_ADDRESS = Rule("login-address", "ADDRESS_MAX_FAILURES", "ADDRESS_WINDOW_MINUTES", locks=True)
SMS_PHONE_MINUTE = Rule("sms-phone-minute", "SMS_PER_PHONE_MINUTE", "SMS_MINUTE_WINDOW")
SMS_PHONE_HOUR = Rule("sms-phone-hour", "SMS_PER_PHONE_HOUR", "SMS_HOUR_WINDOW")
SMS_ADDRESS_HOUR = Rule("sms-address-hour", "SMS_PER_ADDRESS_HOUR", "SMS_HOUR_WINDOW")


def _key(rule: Rule, ident: str) -> str:
    return f"{rule.name}:{(ident or '').strip().lower()}"[:200]


def _wait(row, rule: Rule, now) -> int:
    until = row.locked_until if row.locked_until and row.locked_until > now \
        else row.window_start + rule.window
    return max(0, math.ceil((until - now).total_seconds()))


def check(rule: Rule, ident: str) -> Verdict:
    """Is ``ident`` locked out right now? Counts nothing."""
    now = utcnow()
    row = Throttle.get_or_none(Throttle.key == _key(rule, ident))
    if row is None or not row.locked_until or row.locked_until <= now:
        return Verdict(row.count if row else 0, True, 0)
    return Verdict(row.count, False, _wait(row, rule, now))


def hit(rule: Rule, ident: str) -> Verdict:
    """Count one attempt atomically; allowed while the count stays within the limit."""
    now, key = utcnow(), _key(rule, ident)
    expired = ((Throttle.window_start <= now - rule.window)
               | (Throttle.locked_until.is_null(False) & (Throttle.locked_until <= now)))
    with write_transaction():
        Throttle.insert(key=key, count=0, window_start=now).on_conflict_ignore().execute()
        (Throttle.update(count=Case(None, [(expired, 1)], Throttle.count + 1),
                         window_start=Case(None, [(expired, now)], Throttle.window_start),
                         locked_until=Case(None, [(expired, None)], Throttle.locked_until))
         .where(Throttle.key == key).execute())
        row = Throttle.get(Throttle.key == key)
    locked = row.locked_until is not None and row.locked_until > now
    allowed = row.count <= rule.limit and not locked
    return Verdict(row.count, allowed, 0 if allowed else _wait(row, rule, now))


def fail(rule: Rule, ident: str, verdict: Verdict) -> Verdict:
    """A counted attempt failed: lock when it was the last one allowed."""
    if not rule.locks or verdict.count < rule.limit:
        return verdict
    until = utcnow() + rule.window
    with write_transaction():
        Throttle.update(locked_until=until).where(Throttle.key == _key(rule, ident)).execute()
    return Verdict(verdict.count, False, math.ceil(rule.window.total_seconds()))


def clear(rule: Rule, ident: str) -> None:
    with write_transaction():
        Throttle.delete().where(Throttle.key == _key(rule, ident)).execute()


def release(rule: Rule, ident: str) -> None:
    """Give back one counted attempt (it succeeded)."""
    with write_transaction():
        (Throttle.update(count=Throttle.count - 1)
         .where((Throttle.key == _key(rule, ident)) & (Throttle.count > 0)).execute())


def purge() -> int:
    """Delete counters whose window and lock are long over (``flask accounts purge``)."""
    cutoff = utcnow() - timedelta(days=1)
    with write_transaction():
        return (Throttle.delete()
                .where((Throttle.window_start < cutoff)
                       & (Throttle.locked_until.is_null() | (Throttle.locked_until < cutoff)))
                .execute())
