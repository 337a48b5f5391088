"""Moving outbox rows along: claim → send → sent, or back to pending with backoff → failed.

A row is claimed with one conditional UPDATE (pending and due, or 'sending' with an expired
lease → 'sending' with our ``claimed_at``): of two workers holding the same id, exactly
one UPDATE matches, so a row is sent once per channel.

- In-app rows (``Channel.inline``) are claimed and marked sent in one database
  transaction: exactly once.
- External channels (email, SMS, 企业微信) are sent between the claim and the mark. A
  crash in that window leaves a 'sending' row whose lease expires and which the sweeper
  sends again: at-least-once towards the outside system in that window only.
"""
from datetime import timedelta

from app.db import write_transaction
from app.models import utcnow
from app.models.notify import Notification
from app.notify import messages, prefs
from plugins.channels import CHANNELS, ChannelError

N = Notification
MAX_BACKOFF = 6 * 3600


def settings(config) -> dict:
    return {"max_attempts": int(config.get("NOTIFY_MAX_ATTEMPTS", 5)),
            "retry": float(config.get("NOTIFY_RETRY_SECONDS", 60)),
            "lease": float(config.get("NOTIFY_LEASE_SECONDS", 300))}


def _claimable(now, lease):
    return (((N.status == "pending") & (N.next_attempt_at <= now))
            | ((N.status == "sending") & (N.claimed_at < now - timedelta(seconds=lease))))


def claim(nid: int, now, lease: float) -> bool:
    return N.update(status="sending", claimed_at=now, attempts=N.attempts + 1).where(
        N.id == nid, _claimable(now, lease)).execute() == 1


def deliver(nid: int, config) -> tuple[str, float]:
    """Deliver one row: ("sent" | "retry" | "failed" | "skipped", retry delay in seconds)."""
    rules = settings(config)
    row = N.get_or_none(N.id == nid)
    if row is None:
        return "skipped", 0
    channel = CHANNELS.get(row.channel) if row.channel in CHANNELS else None
    if channel is not None and channel.inline:
        with write_transaction():
            return _claim_and_send(nid, channel, config, rules)
    return _claim_and_send(nid, channel, config, rules)


def _claim_and_send(nid, channel, config, rules):
    now = utcnow()
    if not claim(nid, now, rules["lease"]):
        return "skipped", 0
    row = N.get_by_id(nid)
    try:
        if channel is None:
            raise ChannelError(f"未知的通知渠道 {row.channel}")
        message = messages.render(row, config)
        address = channel.address(prefs.recipient(row.user, prefs.setting_of(row.user)))
        if not address:
            raise ChannelError(f"{channel.label}: 该用户没有可用的地址")
        channel.send(address, message, config)
    except Exception as e:        # any failure of a send is recorded on the row and retried
        return _failed(row, now, e, rules)
    N.update(status="sent", sent_at=utcnow(), title=message.subject, body=message.text,
             last_error="").where(N.id == nid, N.status == "sending", N.claimed_at == now).execute()
    return "sent", 0


def backoff(attempts: int, base: float) -> float:
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _failed(row, claimed_at, error, rules):
    error_text = f"{type(error).__name__}: {error}"[:1000]
    if row.attempts >= rules["max_attempts"]:
        outcome, delay, fields = "failed", 0, {"status": "failed"}
    else:
        delay = backoff(row.attempts, rules["retry"])
        outcome = "retry"
        fields = {"status": "pending", "next_attempt_at": utcnow() + timedelta(seconds=delay)}
    N.update(last_error=error_text, **fields).where(
        N.id == row.id, N.status == "sending", N.claimed_at == claimed_at).execute()
    return outcome, delay


def due_ids(config, limit=500) -> list[int]:
    """Rows the sweeper should (re)deliver: pending and due, or 'sending' past the lease."""
    now = utcnow()
    query = (N.select(N.id).where(_claimable(now, settings(config)["lease"]))
             .order_by(N.next_attempt_at).limit(limit))
    return [n.id for n in query]


def retry(nid: int | None = None) -> list[int]:
    """An admin's 重试: failed rows back to pending with fresh attempts; returns their ids."""
    query = N.select(N.id).where(N.status == "failed")
    if nid is not None:
        query = query.where(N.id == nid)
    ids = [n.id for n in query]
    if ids:
        N.update(status="pending", attempts=0, next_attempt_at=utcnow(), claimed_at=None).where(
            N.id.in_(ids), N.status == "failed").execute()
    return ids
