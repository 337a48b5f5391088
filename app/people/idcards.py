"""ID card numbers at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256), keys from
``ID_CARD_KEY``, plus a keyed hash (HMAC-SHA256) for lookups by number.

``ID_CARD_KEY`` is a list of Fernet keys (a Python list in instance/config.py, or a
comma-separated string in the environment). Values are encrypted with the first key and
decrypted with any of them, so a new key goes first and the old ones stay until
``flask users rekey`` has re-encrypted every number with the new key. Lookup hashes are
derived from each key too: a lookup tries every key's hash, rekey rewrites them.

Like ``app.people.passwords``, the keys are module state set once by ``configure`` at app start.
"""
import base64
import hashlib
import hmac
import os
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_state = {"fernet": None, "lookup_keys": ()}


class IdCardKeyError(RuntimeError):
    """The configured keys are unusable, or none of them decrypts a stored number."""


def parse_keys(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        keys = [str(k).strip() for k in value]
    else:
        keys = [k.strip() for k in str(value or "").replace("\n", ",").split(",")]
    return [k for k in keys if k]


def configure(keys) -> None:
    keys = parse_keys(keys)
    if not keys:
        raise IdCardKeyError("ID_CARD_KEY is empty")
    try:
        fernets = [Fernet(k.encode()) for k in keys]
    except (ValueError, TypeError) as exc:
        raise IdCardKeyError(f"ID_CARD_KEY: every key must be a Fernet key "
                        f"(32 url-safe base64-encoded bytes): {exc}") from None
    _state["fernet"] = MultiFernet(fernets)
    _state["lookup_keys"] = tuple(
        hmac.new(base64.urlsafe_b64decode(k), b"onehall id-card lookup v1", hashlib.sha256).digest()
        for k in keys)


def new_key() -> str:
    return Fernet.generate_key().decode()


def instance_key(instance_path: str) -> str:
    """A key kept in instance/id_card_key when ID_CARD_KEY is not configured."""
    os.makedirs(instance_path, exist_ok=True)
    path = os.path.join(instance_path, "id_card_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(new_key())
    with open(path) as f:
        return f.read().strip()


def _fernet() -> MultiFernet:
    if _state["fernet"] is None:
        raise IdCardKeyError("app.people.idcards.configure() has not run")
    return _state["fernet"]


def normalize(number: str) -> str:
    return (number or "").strip().upper()


def encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise IdCardKeyError("no key in ID_CARD_KEY decrypts a stored ID card number "
                        "(was a key removed before `flask users rekey`?)") from None


def rotate(token: str) -> str:
    """The same number encrypted with the first key."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise IdCardKeyError("no key in ID_CARD_KEY decrypts a stored ID card number") from None


def lookup_hashes(number: str) -> list[str]:
    """The number's lookup hash under each key, the current key's first."""
    data = normalize(number).encode()
    return [hmac.new(k, data, hashlib.sha256).hexdigest() for k in _state["lookup_keys"]]


def lookup_hash(number: str | None) -> str | None:
    return lookup_hashes(number)[0] if number else None


# ---------------------------------------------------------------- masking

def mask_id_card(id_card: str | None) -> str:
    if not id_card:
        return ""
    return id_card[:4] + "*" * max(0, len(id_card) - 8) + id_card[-4:]


ID_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)")


def mask_id_numbers(text: str) -> str:
    """Mask every 15/18-digit ID card number in free text (log lines, messages)."""
    return ID_NUMBER.sub(lambda m: mask_id_card(m.group(0)), text) if text else text
