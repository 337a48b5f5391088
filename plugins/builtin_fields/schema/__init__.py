"""Field types that show the JSON Schema constructs of a ``schema:`` form (SPEC §8.1).

A form defined by a schema is validated by that schema alone (``app.defs.schemadraft``):
these types render, read the browser's POST into the JSON shape the schema describes
(nested objects stay nested, numbers are numbers, an enum's value keeps its JSON type)
and display stored values. Their ``x_*`` keys are written by ``app.defs.schema_fields``.
One module per type, as for the other built-ins; ``base.py`` holds what they share.
"""
from plugins.builtin_fields.schema import (string, integer, boolean, choice,  # noqa: F401
                                           multichoice, list, group, tuple)
