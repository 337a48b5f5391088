from app.db.prepared import Statement
from app.models import Counter
from app.models.workflow import SERIAL_START  # noqa: F401  (serials.SERIAL_START stays importable)


BUMP = Statement(lambda s: Counter.update(value=Counter.value + 1)
                 .where(Counter.name == "serial").returning(Counter.value)).named("engine.bump_serial")


def next_serial() -> int:
    """The next 流水号; call inside the write transaction that creates the instance.

    One ``UPDATE … RETURNING`` (SQLite ≥ 3.35, PostgreSQL): the row lock it takes makes
    concurrent transactions queue for the counter, so serials are unique and increasing."""
    value = BUMP.scalar()
    if value is not None:
        return value
    Counter.create(name="serial", value=SERIAL_START + 1)
    return SERIAL_START + 1


MAX_SERIAL = 2 ** 63 - 1


def parse_serial(value) -> int | None:
    """A 流水号 from user input, or None when it cannot be one (not a number, out of range)."""
    try:
        serial = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return serial if 0 < serial <= MAX_SERIAL else None
