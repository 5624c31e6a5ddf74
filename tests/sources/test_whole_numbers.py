"""Brå's rates are written as whole numbers with their thousands grouped, on every page and
in every PDF that shows them."""

from __future__ import annotations

from django.utils import translation

from samtrygg.core.numbers import grouped, whole


def test_a_whole_number_is_rounded_and_grouped_as_the_language_writes_it() -> None:
    with translation.override("sv"):
        assert whole(8432.6) == "8\u00a0433"
        assert whole(7147.0) == "7\u00a0147"
        assert whole(11610) == "11\u00a0610"
        assert whole(449.5) == "450"
        assert whole(None) == "–"
        assert grouped(8432.6) == "8\u00a0432,6"
    with translation.override("en"):
        assert whole(8432.6) == "8,433"
        assert grouped(8432.6) == "8,432.6"
