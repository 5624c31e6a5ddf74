"""Swedish number formatting for the plain-text explanations (decimal comma, space as the
thousands separator)."""

from __future__ import annotations

import math

__all__ = ["number_sv", "pvalue_sv"]


def number_sv(value: float, decimals: int = 0) -> str:
    """``1234.5`` → ``"1 234,5"`` (with ``decimals=1``); NaN → ``"–"``."""
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace("-", "−")


def pvalue_sv(name: str, value: float) -> str:
    """``"q = 0,012"`` or ``"q < 0,001"``."""
    if value < 0.001:
        return f"{name} < 0,001"
    return f"{name} = {number_sv(value, 3)}"
