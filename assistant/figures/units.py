"""Money units: conversion to 元 and back, in ``float`` for display and in
``Decimal`` for exact equivalence.

Example:
    >>> money_to_yuan(3.9, "億元")
    390000000.0
    >>> to_yuan_decimal("3.9", "億元") == to_yuan_decimal("390,000", "千元")
    True

Place values are those of :data:`assistant.figures.quantities.MONEY_UNITS`
(萬 = 10^4, 億 = 10^8, 兆 = 10^12, as used in Taiwan).
"""
from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from .quantities import money_unit_factor


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """A number as an exact ``Decimal``: a float by its shortest repr
    (``0.1`` -> ``Decimal("0.1")``, not the binary expansion), a string as
    printed with thousands separators removed (``"390,000"``); trailing
    zeros dropped (``Decimal("3.90")`` -> ``Decimal("3.9")``).

    Raises:
        TypeError: ``value`` is a bool or not a number/str.
        ValueError: a string that is not a number, or a non-finite value.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise TypeError(f"value must be a number or str, not {type(value).__name__}")
    try:
        d = Decimal(value.replace(",", "").strip()) if isinstance(value, str) else Decimal(repr(value) if isinstance(value, float) else value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    d = d.normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def to_yuan_decimal(value: float | int | str | Decimal, unit: str) -> Decimal:
    """An amount in ``unit`` (元, 千元, 萬元, 百萬元, 億元 …) as exact 元:
    ``to_yuan_decimal("3.9", "億元")`` -> ``Decimal("390000000")``.

    Raises:
        TypeError, ValueError: as :func:`to_decimal`; unknown unit (the
            message lists the valid ones).
    """
    _, factor = money_unit_factor(unit)
    return to_decimal(to_decimal(value) * factor)


def money_to_yuan(value: float, unit: str) -> float:
    """Convert an amount written in ``unit`` to 元: ``money_to_yuan(3.9, "億元")``
    -> 390000000.0.

    ``unit`` is a key of MONEY_UNITS (元, 千元, 萬元, 百萬元, 千萬元, 億元, 兆元
    ...), optionally after 新臺幣/新台幣/NT$, full-width or Simplified forms
    allowed; English "thousand"/"million"/"billion"/"NTD" are accepted too.

    Raises:
        TypeError: ``value`` is not a real number or ``unit`` not a str.
        ValueError: unknown unit (the message lists the valid ones).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"value must be a number, not {type(value).__name__}")
    _, factor = money_unit_factor(unit)
    if isinstance(value, int):
        return float(value * factor)
    return value * factor


def format_money(value_yuan: float, unit: str = "千元", *,
                 decimals: int | None = None) -> str:
    """Write an amount in 元 in ``unit``: ``format_money(390000000)`` ->
    ``"390,000 千元"``, ``format_money(390000000, "億元")`` -> ``"3.9 億元"``.

    Thousands separators are used; with ``decimals=None`` the shortest
    exact form is written (at most 15 significant digits), otherwise
    exactly ``decimals`` decimal places.  The result parses back with
    ``extract_quantities`` to the same value.

    Raises:
        TypeError: ``value_yuan`` is not a real number.
        ValueError: unknown unit, non-finite value or negative ``decimals``.
    """
    if isinstance(value_yuan, bool) or not isinstance(value_yuan, (int, float)):
        raise TypeError(f"value_yuan must be a number, not {type(value_yuan).__name__}")
    name, factor = money_unit_factor(unit)
    if not math.isfinite(value_yuan):
        raise ValueError(f"cannot format non-finite amount {value_yuan!r}")
    if decimals is not None:
        if decimals < 0:
            raise ValueError("decimals must be >= 0")
        return f"{value_yuan / factor:,.{decimals}f} {name}"
    if isinstance(value_yuan, int) and value_yuan % factor == 0:
        return f"{value_yuan // factor:,} {name}"
    q = value_yuan / factor
    if q.is_integer() and abs(q) < 2**53:
        return f"{int(q):,} {name}"
    s = f"{q:,.15g}"
    if "e" in s:
        s = f"{q:,.6f}".rstrip("0").rstrip(".")
    return f"{s} {name}"


__all__ = ["format_money", "money_to_yuan", "to_decimal", "to_yuan_decimal"]
