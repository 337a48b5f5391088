from app.models import Counter

SERIAL_START = 10000


def next_serial() -> int:
    """The next 流水号; call inside the write transaction that creates the instance."""
    updated = (Counter.update(value=Counter.value + 1)
               .where(Counter.name == "serial").execute())
    if not updated:
        Counter.create(name="serial", value=SERIAL_START + 1)
    return Counter.get_by_id("serial").value
