"""流水号 while filling: a new form shows the serial its instance will get, as the guide does.

Opening the form reserves the next serial from the engine's counter and signs it for this
user and service; the POST that creates the instance uses it. A reservation never used leaves
a gap: serials stay unique and increase in the order they were handed out.
"""
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from app.models import Instance

MAX_AGE = 30 * 24 * 3600


@dataclass(frozen=True)
class Reservation:
    serial: int
    token: str


def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="onehall.serial")


def reserve(user, service) -> Reservation:
    from app.db import write_transaction
    from app.engine.serials import next_serial
    with write_transaction():
        serial = next_serial()
    return Reservation(serial, _signer().dumps([serial, user.id, service.id]))


def reserved(token, user, service) -> Reservation | None:
    """The reservation a form carried, when it is this user's, for this service, and unused."""
    if not token or not isinstance(token, str) or len(token) > 500:
        return None
    try:
        serial, user_id, service_id = _signer().loads(token, max_age=MAX_AGE)
    except (BadData, ValueError, TypeError):
        return None
    if user_id != user.id or service_id != service.id or not isinstance(serial, int):
        return None
    if Instance.select().where(Instance.serial == serial).exists():
        return None
    return Reservation(serial, token)
