"""One rule for every cell a CSV or Excel export writes (bulk export, /stats tables, the
audit log): a text a spreadsheet could take for a formula or a command gets a leading
apostrophe, so it is shown, never run.

Dangerous first characters: ``= + - @`` (formulas), tab, CR and LF (a new cell or row in
some importers), a space (Excel trims it and reads what follows), the full-width
``＝ ＋ － ＠`` (some spreadsheets fold them to ASCII) and ``|`` (DDE in older Excel).
"""

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n", " ", "＝", "＋", "－", "＠", "|")


def neutralise(value) -> str:
    """The cell's text, with an apostrophe in front when it starts dangerously."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_FIRST) else text
