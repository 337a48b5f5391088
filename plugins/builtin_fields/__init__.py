"""The built-in field types of the definition format (SPEC §2), one module each.

Loaded through the ``onehall.plugins`` entry point like any third-party type: importing
this package imports every module below, in the order the designer's palette shows them.
``NAME.py`` registers field type ``NAME``; ``base.py`` holds what several of them extend.
The ``schema`` package holds the types that show a ``schema:`` form's JSON Schema constructs.
"""
from plugins.builtin_fields import (text, textarea, number, money, date, datetime,  # noqa: F401
                                    select, radio, checkboxes, agree, file, user, department,
                                    rows, section)
from plugins.builtin_fields import schema  # noqa: F401,E402
