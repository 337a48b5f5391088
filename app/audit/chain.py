"""The audit log's HMAC chain: each event carries ``mac = HMAC(AUDIT_KEY, prev + event)``
where ``prev`` is the previous event's mac, so an event edited, deleted or inserted behind
the app's back breaks the chain at that event (``flask audit verify``).

Appending locks the chain's head row (an UPDATE first: a row lock on PostgreSQL, the write
lock on SQLite), so concurrent writers append one after the other and ids follow the
chain. Events written before the chain existed have no mac: verification starts at the
first chained event and reports how many earlier ones it cannot vouch for. The retention
prune re-anchors the chain at the first event it keeps (``anchor``, an HMAC as well).

Limits: whoever holds AUDIT_KEY can forge; an attacker who kept an old copy of the head row
could cut the newest events and put that copy back — keep the key out of the database's
reach and ship events to a log host if that matters.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass

from app.db import write_transaction
from app.models.audit import AuditChain, AuditEvent

HEAD_ID = 1


def _mac(key: bytes, *parts) -> str:
    text = json.dumps([str(p) if p is not None else None for p in parts], ensure_ascii=False,
                      separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def event_mac(key: bytes, prev: str, at, kind, username, address, detail) -> str:
    return _mac(key, "event", prev, at.isoformat(), kind, username, address, detail)


def _seal(key, head) -> str:
    return _mac(key, "head", head.last_id, head.last_mac, head.anchor)


def _anchor(key, event) -> str:
    return _mac(key, "anchor", event.id, event.prev)


def _locked_head(key: bytes) -> AuditChain:
    """The head row, locked for the rest of the transaction (created on first use)."""
    bump = AuditChain.update(appends=AuditChain.appends + 1).where(AuditChain.id == HEAD_ID)
    if bump.execute() == 0:
        head = AuditChain(id=HEAD_ID)
        head.seal = _seal(key, head)
        AuditChain.insert(id=HEAD_ID, last_id=0, last_mac="", seal=head.seal,
                          appends=1).on_conflict_ignore().execute()
        bump.execute()
    return AuditChain.get_by_id(HEAD_ID)


def _save_head(key, head) -> None:
    head.seal = _seal(key, head)
    (AuditChain.update(last_id=head.last_id, last_mac=head.last_mac, anchor=head.anchor,
                       seal=head.seal).where(AuditChain.id == HEAD_ID).execute())


def append(key: bytes, *, at, kind, username, address, detail) -> int:
    """Insert one event chained to the last; its id."""
    with write_transaction():
        head = _locked_head(key)
        prev = head.last_mac
        mac = event_mac(key, prev, at, kind, username, address, detail)
        new_id = AuditEvent.insert(at=at, kind=kind, username=username, address=address,
                                   detail=detail, prev=prev, mac=mac).execute()
        head.last_id, head.last_mac = new_id, mac
        _save_head(key, head)
    return new_id


def prune_before(key: bytes, cutoff) -> int:
    """Delete events older than ``cutoff`` and anchor the chain at the first one kept."""
    with write_transaction():
        head = _locked_head(key)
        deleted = AuditEvent._prune_query().where(AuditEvent.at < cutoff).execute()
        if deleted:
            first = (AuditEvent.select().where(AuditEvent.mac.is_null(False))
                     .order_by(AuditEvent.id).first())
            if first is None:
                head.last_mac, head.anchor = "", None        # nothing kept: a new chain
            else:
                head.anchor = _anchor(key, first) if first.prev else None
            _save_head(key, head)
    return deleted


@dataclass
class Report:
    ok: bool
    message: str
    checked: int = 0
    unchained: int = 0


def verify(key: bytes) -> Report:
    """Walk the events in id order; the first break names the event where it is."""
    head = AuditChain.get_or_none(AuditChain.id == HEAD_ID)
    if head is not None and not hmac.compare_digest(head.seal, _seal(key, head)):
        return Report(False, "链头记录被改动（或 AUDIT_KEY 不是写入时的密钥）")
    unchained, checked, last = 0, 0, None           # last: the previous chained event
    events = AuditEvent.select().order_by(AuditEvent.id).iterator()
    pending = None                                  # an event whose mac failed: edited or inserted?
    for event in events:
        if last is None and pending is None and event.mac is None:
            unchained += 1                          # before the chain existed
            continue
        if pending is not None:
            bad, before = pending
            if event.prev == (before.mac if before else bad.prev) and event.prev != bad.mac:
                return Report(False, f"事件 #{bad.id} 是绕过系统插入的", checked, unchained)
            return Report(False, f"事件 #{bad.id} 被篡改", checked, unchained)
        if event.mac is None:
            return Report(False, f"事件 #{event.id} 是绕过系统插入的（没有校验码）", checked, unchained)
        if last is None:
            if event.prev and (head is None or not head.anchor
                               or not hmac.compare_digest(head.anchor, _anchor(key, event))):
                return Report(False, f"事件 #{event.id} 之前的事件被删除", checked, unchained)
        elif event.prev != last.mac:
            return Report(False, f"事件 #{last.id} 与 #{event.id} 之间的事件被删除", checked, unchained)
        expected = event_mac(key, event.prev, event.at, event.kind, event.username, event.address,
                             event.detail)
        if not hmac.compare_digest(expected, event.mac):
            pending = (event, last)
            continue
        last, checked = event, checked + 1
    if pending is not None:
        bad, _ = pending
        if head is not None and head.last_id != bad.id:
            return Report(False, f"事件 #{bad.id} 是绕过系统插入的", checked, unchained)
        return Report(False, f"事件 #{bad.id} 被篡改", checked, unchained)
    if head is not None and head.last_id and (last is None or last.id != head.last_id
                                              or last.mac != head.last_mac):
        after = f"#{last.id} 之后" if last else "全部"
        return Report(False, f"最新的事件被删除（{after}的事件缺失，链头为 #{head.last_id}）",
                      checked, unchained)
    return Report(True, f"审计日志完整：{checked} 条事件校验通过"
                        + (f"；另有 {unchained} 条早于链的事件未校验" if unchained else ""),
                  checked, unchained)
