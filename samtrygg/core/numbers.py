"""Numbers in tables as the reader's language writes them, the same on a page and in a PDF."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format

NONE = "–"


def whole(value: Any) -> str:
    """``value`` rounded to a whole number, its thousands grouped: ``7 147`` in Swedish,
    ``7,147`` in English; ``–`` when there is none."""
    if value is None:
        return NONE
    return str(floatformat(value, "0g"))


def grouped(value: Any) -> str:
    """``value`` with the decimals it has, its thousands grouped: ``8 432,6`` in Swedish;
    ``–`` when there is none."""
    if value is None:
        return NONE
    return str(number_format(value, force_grouping=True))
