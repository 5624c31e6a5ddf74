"""Small template helpers for the lägesbild."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from samtrygg.analysis.levels import LEVEL_KEYS, Level
from samtrygg.core import numbers

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if not mapping:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def level_key(level: Any) -> str:
    try:
        return LEVEL_KEYS[Level(int(level))]
    except (TypeError, ValueError):
        return "green"


# Charts whose numbers are rates (per 100 000 invånare): written whole, as the Brå table writes
# them (``charts.all_charts`` names the charts).
WHOLE_NUMBER_CHARTS = frozenset({"crime"})


@register.simple_tag(takes_context=True)
def chart_table_rows(context: template.Context, rows: Any, chart: str = "") -> str:
    """The body rows of a chart's table: the first value of each row heads it, the others are
    numbers with their thousands grouped ("–" for none; whole numbers in the ``chart``s of
    :data:`WHOLE_NUMBER_CHARTS`). Written here rather than as loops in the template, since a
    year of weeks by category is a thousand cells, which the template language takes tens of
    milliseconds to write; each value is escaped as ``{{ v }}`` would be."""
    use_l10n = context.use_l10n
    number = numbers.whole if chart in WHOLE_NUMBER_CHARTS else numbers.grouped
    # The counts repeat (most are small), and localising a number is the costly part.
    written: dict[tuple[type, Any], str] = {}

    def head(value: Any) -> str:
        return str(localize(value, use_l10n=use_l10n))

    def cell(value: Any) -> str:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return number(value)
        return head(value)

    def text(value: Any) -> str:
        key = (type(value), value)
        try:
            return written[key]
        except KeyError:
            written[key] = conditional_escape(cell(value))
            return written[key]
        except TypeError:  # a value that cannot be a key is written each time
            return conditional_escape(cell(value))

    out = []
    for row in rows:
        first, *values = row
        cells = "".join(f'<td class="numbers">{"–" if v is None else text(v)}</td>' for v in values)
        out.append(f'<tr><th scope="row">{conditional_escape(head(first))}</th>{cells}</tr>')
    return mark_safe("".join(out))  # every value above is escaped
