from app.models import Counter
from app.models.workflow import SERIAL_START  # noqa: F401  (serials.SERIAL_START stays importable)


def next_serial() -> int:
    """The next 流水号; call inside the write transaction that creates the instance.

    One ``UPDATE … RETURNING`` (SQLite ≥ 3.35, PostgreSQL): the row lock it takes makes
    concurrent transactions queue for the counter, so serials are unique and increasing."""
    row = (Counter.update(value=Counter.value + 1).where(Counter.name == "serial")
           .returning(Counter.value).tuples().execute())
    values = [r[0] for r in row]
    if values:
        return values[0]
    Counter.create(name="serial", value=SERIAL_START + 1)
    return SERIAL_START + 1
