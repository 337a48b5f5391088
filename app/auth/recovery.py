"""Password recovery: 密保问题 answers and one-time SMS codes (no views here).

Answers are normalised (NFKC, case-folded, inner spaces removed) and hashed with argon2.
Codes are 6 digits, stored as an HMAC over user, purpose and code (keyed with SECRET_KEY),
valid SMS_CODE_MINUTES, used once, voided after SMS_CODE_MAX_GUESSES wrong guesses. Every
guess first reserves one of those guesses with an atomic UPDATE, so parallel guesses cannot
exceed the limit.
"""
import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import timedelta

from flask import current_app
from app.db import write_transaction
from app.models import User, utcnow
from app.models.accounts import OneTimeCode, SecurityQuestion
from app.people.passwords import check_password, hash_password


def N_(text):
    """Marks a question for the catalogue; the stored value stays the Chinese text."""
    return text


QUESTIONS = (
    N_("您母亲的姓名是？"), N_("您父亲的姓名是？"), N_("您的出生地是？"), N_("您小学的校名是？"),
    N_("您初中班主任的姓名是？"), N_("您最喜欢的一本书是？"), N_("您的第一个宠物叫什么名字？"),
    N_("您配偶的姓名是？"),
)


def normalise_answer(answer: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", answer or "")).casefold()


def set_question(user: User, question: str, answer: str) -> None:
    hashed = hash_password(normalise_answer(answer))
    with write_transaction():
        (SecurityQuestion.insert(user=user, question=question, answer_hash=hashed, updated=utcnow())
         .on_conflict(conflict_target=[SecurityQuestion.user],
                      update={SecurityQuestion.question: question,
                              SecurityQuestion.answer_hash: hashed,
                              SecurityQuestion.updated: utcnow()})
         .execute())


def question_of(user: User) -> str | None:
    row = SecurityQuestion.get_or_none(SecurityQuestion.user == user)
    return row.question if row else None


def answer_ok(user: User | None, question: str, answer: str) -> bool:
    """One argon2 verification whatever the case, so unknown accounts take as long."""
    row = SecurityQuestion.get_or_none(SecurityQuestion.user == user) if user else None
    usable = row is not None and user.is_active and row.question == question
    ok = check_password(row.answer_hash if usable else None, normalise_answer(answer))
    return usable and ok


# ---------------------------------------------------------------- SMS codes

def _digest(user_id: int, purpose: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{user_id}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def issue_code(user: User, purpose: str = "reset") -> str:
    """A new code for ``user``; earlier unused codes of the same purpose are voided."""
    code = f"{secrets.randbelow(10**6):06d}"
    now = utcnow()
    expires = now + timedelta(minutes=current_app.config["SMS_CODE_MINUTES"])
    with write_transaction():
        (OneTimeCode.update(void=True)
         .where((OneTimeCode.user == user) & (OneTimeCode.purpose == purpose)
                & (OneTimeCode.void == False) & OneTimeCode.used.is_null())  # noqa: E712
         .execute())
        OneTimeCode.create(user=user, purpose=purpose, code_hash=_digest(user.id, purpose, code),
                           created=now, expires=expires)
    return code


def decoy_code(purpose: str = "reset") -> None:
    """The work ``issue_code`` does, for an account that gets no code (same timing shape)."""
    _digest(0, purpose, f"{secrets.randbelow(10**6):06d}")


def check_code(user: User | None, code: str, purpose: str = "reset"):
    """The live code row if ``code`` is right (one guess spent either way), else None.

    Nothing is consumed yet: the caller checks the new password first, then ``use_code``.
    """
    row = _live_code(user, purpose) if user is not None else None
    if row is None or not _reserve_guess(row):
        decoy_code(purpose)
        return None
    if hmac.compare_digest(row.code_hash, _digest(user.id, purpose, code)):
        return row
    limit = current_app.config["SMS_CODE_MAX_GUESSES"]
    with write_transaction():
        (OneTimeCode.update(void=True)
         .where((OneTimeCode.id == row.id) & (OneTimeCode.guesses >= limit)).execute())
    return None


def use_code(row) -> bool:
    """Mark the code used; False if another request used (or a newer code voided) it first."""
    with write_transaction():
        used = (OneTimeCode.update(used=utcnow())
                .where((OneTimeCode.id == row.id) & OneTimeCode.used.is_null()
                       & (OneTimeCode.void == False))  # noqa: E712
                .execute())
    return used == 1


def redeem_code(user: User | None, code: str, purpose: str = "reset") -> bool:
    row = check_code(user, code, purpose)
    return row is not None and use_code(row)


def _live_code(user, purpose):
    return (OneTimeCode.select()
            .where((OneTimeCode.user == user) & (OneTimeCode.purpose == purpose)
                   & (OneTimeCode.void == False) & OneTimeCode.used.is_null()  # noqa: E712
                   & (OneTimeCode.expires > utcnow()))
            .order_by(OneTimeCode.id.desc()).first())


def _reserve_guess(row) -> bool:
    """Take one guess atomically; none are left after SMS_CODE_MAX_GUESSES."""
    limit = current_app.config["SMS_CODE_MAX_GUESSES"]
    with write_transaction():
        taken = (OneTimeCode.update(guesses=OneTimeCode.guesses + 1)
                 .where((OneTimeCode.id == row.id) & (OneTimeCode.void == False)  # noqa: E712
                        & OneTimeCode.used.is_null() & (OneTimeCode.guesses < limit))
                 .execute())
    return taken == 1
