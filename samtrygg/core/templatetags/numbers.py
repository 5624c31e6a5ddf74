"""``{% load numbers %}``: numbers in tables (see :mod:`samtrygg.core.numbers`)."""

from __future__ import annotations

from typing import Any

from django import template

from samtrygg.core import numbers

register = template.Library()


@register.filter
def whole(value: Any) -> str:
    """``{{ rate|whole }}``: ``7 147`` (rounded, thousands grouped); ``–`` for none."""
    return numbers.whole(value)


@register.filter
def grouped(value: Any) -> str:
    """``{{ count|grouped }}``: ``12 345`` or ``8 432,6`` (thousands grouped); ``–`` for none."""
    return numbers.grouped(value)
