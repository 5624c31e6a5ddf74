"""``{% period_choices period as groups %}``: the periods to choose from on the lägesbild
(recent weeks, months, tertials and years), each as (label, words), grouped by unit."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.analysis.picture import Period
from samtrygg.situation import wording

register = template.Library()

RECENT = {"week": 12, "month": 12, "tertial": 6, "year": 5}


def _recent(unit: str, newest: Period) -> list[Period]:
    return [Period(unit, newest.index - back) for back in range(RECENT[unit])]  # type: ignore[arg-type]


@register.simple_tag
def period_choices(chosen: Any = None) -> list[tuple[str, list[tuple[str, str]]]]:
    today = timezone.localdate()
    year, week, _day = today.isocalendar()
    newest = {
        "week": Period.week(year, week),
        "month": Period.month(today.year, today.month),
        "tertial": Period.tertial(today.year, (today.month - 1) // 4 + 1),
        "year": Period.year(today.year),
    }
    names = {"week": _("Veckor"), "month": _("Månader"), "tertial": _("Tertial"), "year": _("År")}
    groups = []
    for unit, name in names.items():
        periods = _recent(unit, newest[unit])
        if chosen is not None and chosen.unit == unit and chosen not in periods:
            periods.insert(0, chosen)
        groups.append(
            (str(name), [(p.label, wording.period_text(p.unit, p.index)) for p in periods])
        )
    return groups
