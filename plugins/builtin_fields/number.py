"""数字: any number within ``minimum``/``maximum``."""
from __future__ import annotations

from plugins.builtin_fields.base import NumberBase
from plugins.fields import field_type_class


@field_type_class("number")
class Number(NumberBase):
    label = "数字"
