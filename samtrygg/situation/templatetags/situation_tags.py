"""Small template helpers for the lägesbild."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from samtrygg.analysis.levels import LEVEL_KEYS, Level

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


@register.simple_tag(takes_context=True)
def chart_table_rows(context: template.Context, rows: Any) -> str:
    """The body rows of a chart's table: the first value of each row heads it, the others are
    numbers ("–" for none). Written here rather than as loops in the template, since a year of
    weeks by category is a thousand cells, which the template language takes tens of
    milliseconds to write; each value is localised and escaped as ``{{ v }}`` would be."""
    use_l10n = context.use_l10n
    # The counts repeat (most are small), and localising a number is the costly part.
    written: dict[tuple[type, Any], str] = {}

    def text(value: Any) -> str:
        key = (type(value), value)
        try:
            return written[key]
        except KeyError:
            written[key] = conditional_escape(localize(value, use_l10n=use_l10n))
            return written[key]
        except TypeError:  # a value that cannot be a key is written each time
            return conditional_escape(localize(value, use_l10n=use_l10n))

    out = []
    for row in rows:
        head, *numbers = row
        cells = "".join(
            f'<td class="numbers">{"–" if v is None else text(v)}</td>' for v in numbers
        )
        out.append(f'<tr><th scope="row">{text(head)}</th>{cells}</tr>')
    return mark_safe("".join(out))  # every value above is escaped
