"""Password hashing (argon2id) with costs from configuration (cheap in tests)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def configure(params: dict) -> None:
    global _hasher
    _hasher = PasswordHasher(**params)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def initial_password(id_card: str | None) -> str | None:
    """The guide's first-login password: the last six characters of the ID card number."""
    return id_card[-6:].upper() if id_card and len(id_card) >= 6 else None
