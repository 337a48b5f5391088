"""One guarded attempt at proving who you are (password, 密保答案, 短信验证码).

Login, the change-password page, the security-question recovery and SMS code checks share
the same counters: per account (locks after LOGIN_MAX_FAILURES) and per client address.
The address is ``request.remote_addr``; behind a reverse proxy set TRUSTED_PROXIES so that
ProxyFix puts the real client there, otherwise every user shares the proxy's address.
"""
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import ngettext

from app.auth import throttle
from app.auth.throttle import LOGIN_ACCOUNT, LOGIN_ADDRESS


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str | None = None        # a lock-out message, when refused for that
    remaining: int | None = None      # attempts left on the account after a failure


def client_address() -> str:
    return request.remote_addr or "unknown"


def attempt(account: str | None, verify) -> Outcome:
    """Count the attempt, run ``verify()`` only if allowed, then settle the counters.

    ``account`` is what the person typed (known or not — unknown names are counted the same
    way, so a lock-out reveals nothing); None counts only the address.
    """
    address = client_address()
    rules = [(LOGIN_ADDRESS, address)] + ([(LOGIN_ACCOUNT, account)] if account else [])
    for rule, ident in rules:
        verdict = throttle.check(rule, ident)
        if not verdict.allowed:
            return Outcome(False, locked_message(rule, verdict))
    verdicts = [(rule, ident, throttle.hit(rule, ident)) for rule, ident in rules]
    for rule, ident, verdict in verdicts:
        if not verdict.allowed:
            return Outcome(False, locked_message(rule, verdict))
    if verify():
        throttle.release(LOGIN_ADDRESS, address)
        if account:
            throttle.clear(LOGIN_ACCOUNT, account)
        return Outcome(True)
    return _failed(verdicts)


def _failed(verdicts) -> Outcome:
    settled = [(rule, verdict, throttle.fail(rule, ident, verdict)) for rule, ident, verdict in verdicts]
    settled.sort(key=lambda item: item[0] is not LOGIN_ACCOUNT)      # the account speaks first
    for rule, _, after in settled:
        if not after.allowed:
            return Outcome(False, locked_message(rule, after))
    remaining = next((rule.limit - v.count for rule, v, _ in settled if rule is LOGIN_ACCOUNT), None)
    return Outcome(False, None, remaining)


def locked_message(rule, verdict) -> str:
    if rule is LOGIN_ACCOUNT:
        return ngettext("账号已锁定，请%(num)s分钟后再试", "账号已锁定，请%(num)s分钟后再试", verdict.minutes)
    return ngettext("该地址登录失败次数过多，请%(num)s分钟后再试", "该地址登录失败次数过多，请%(num)s分钟后再试",
                    verdict.minutes)


def failure_message(base: str, outcome: Outcome) -> str:
    """``用户名或密码错误`` (already translated) plus, near the limit, how many tries are left."""
    if outcome.message:
        return outcome.message
    if outcome.remaining is not None and 0 < outcome.remaining <= 3:
        return ngettext("%(base)s，再错%(num)s次账号将被锁定%(minutes)s分钟",
                        "%(base)s，再错%(num)s次账号将被锁定%(minutes)s分钟", outcome.remaining,
                        base=base, minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    return base
