"""Reading the fields of a request (JSON body or query string) and writing numbers into JSON.

Every refusal is an :class:`~fritekst.errors.InputError` (E111) that the web layer answers with 400.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..errors import InputError


def number(value: Any) -> float | None:
    """``value`` as a JSON number rounded to 6 places; ``None`` (JSON null) for NaN or non-numbers."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else round(number, 6)


def text_field(body: Mapping[str, Any], name: str) -> str:
    """The non-empty text field ``name`` of a JSON body."""
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise InputError(f"{name} is missing; send it as text", code="E111")
    return value


def int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """The whole-number query parameter ``name`` in ``low..high``, ``default`` when absent."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise InputError(f"{name} must be a whole number, got {raw!r}", code="E111") from None
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low} and {high}, got {value}", code="E111")
    return value


def float_param(params: Mapping[str, str], name: str, default: float) -> float:
    """The number query parameter ``name``, ``default`` when absent."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(str(raw))
    except ValueError:
        raise InputError(f"{name} must be a number, got {raw!r}", code="E111") from None
