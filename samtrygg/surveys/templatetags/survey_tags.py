"""Shares as percentages in the reader's language (``12,3 %`` in Swedish)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def pct(value: Any, decimals: int = 1) -> str:
    """A share (0–1) as a percentage; "–" for none."""
    if value is None or value == "":
        return "–"
    return f"{floatformat(float(value) * 100, decimals)}\u00a0%"


@register.filter
def pct_change(value: Any) -> str:
    """A difference of shares in percentage points, with its sign."""
    if value is None or value == "":
        return "–"
    points = float(value) * 100
    sign = "+" if points > 0.05 else ("−" if points < -0.05 else "±")
    return f"{sign}{floatformat(abs(points), 1)}\u00a0p.e."


@register.filter
def interval(result: Any) -> str:
    if result is None or getattr(result, "share", None) is None:
        return "–"
    return f"{pct(result.ci_low)}–{pct(result.ci_high)}"
