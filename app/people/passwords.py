"""Password hashing (argon2id) with costs from configuration (cheap in tests)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
_dummy_hash = None


def configure(params: dict) -> None:
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(**params)
    _dummy_hash = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(hashed: str | None, password: str) -> bool:
    """Verify; with no hash at all, verify against a dummy so the time taken is the same."""
    if not hashed:
        _verify(_dummy(), password)
        return False
    return _verify(hashed, password)


def _verify(hashed, password):
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("no such account")
    return _dummy_hash


def initial_password(id_card: str | None) -> str | None:
    """The guide's first-login password: the last six characters of the ID card number."""
    return id_card[-6:].upper() if id_card and len(id_card) >= 6 else None


def login_password_ok(user, typed: str) -> bool:
    """The password check of login and re-authentication.

    The initial password is accepted only until the account is activated — even if an
    administrator later set it again, it no longer opens the account. An unknown or disabled
    account costs one dummy verification, like a known one.
    """
    if user is None or not user.is_active:
        check_password(None, typed)
        return False
    initial = initial_password(user.id_card)
    is_initial = bool(initial) and typed.upper() == initial
    if is_initial and not user.activated:
        typed = initial                       # a lower-case x is the same ID card
    ok = check_password(user.password_hash, typed)
    return ok and not (is_initial and user.activated)
