"""The public aggregation: the only way any public page or endpoint reads records.

Records become counts by delområde and period. Counts under the partnership's minimum
(default 5) are suppressed and shown as "färre än 5"; places are coarsened to their
delområde (the input carries no point, so none can leak); records marked not for
publication are dropped before counting. When exactly one count in a period is suppressed
while the period's total is shown, the next smallest count is suppressed too, so that no
suppressed count can be worked out by subtraction (secondary suppression).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Period = Literal["week", "month", "tertial", "year"]

DEFAULT_MIN_COUNT = 5


@dataclass(frozen=True)
class PublicRecord:
    """What a public count may know of a record: its delområde, time, category, publishability.

    ``area`` is the delområde name (None: outside every delområde of the kommun).
    """

    area: str | None
    occurred: dt.datetime
    category: str | None = None
    publishable: bool = True


@dataclass(frozen=True)
class PublicCount:
    """One published cell: ``count`` is None when suppressed; ``display`` is what to show."""

    area: str
    period: str
    category: str | None
    count: int | None
    display: str

    @property
    def suppressed(self) -> bool:
        return self.count is None


def period_label(moment: dt.datetime, period: Period) -> str:
    """The Stockholm-time period of a moment: 2025-W47, 2025-11, 2025-T3, 2025."""
    local = moment.astimezone(STOCKHOLM)
    if period == "week":
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{local.year}-{local.month:02d}"
    if period == "tertial":
        return f"{local.year}-T{(local.month - 1) // 4 + 1}"
    return str(local.year)


def _display(count: int | None, min_count: int) -> str:
    if count is None:
        return _("färre än %(n)d") % {"n": min_count}
    return str(count)


def public_counts(
    records: Iterable[PublicRecord],
    *,
    period: Period = "month",
    min_count: int = DEFAULT_MIN_COUNT,
    by_category: bool = False,
    other_area_label: str | None = None,
) -> list[PublicCount]:
    """Aggregate records for publication (see the module docstring for the rules).

    Returns one row per (area, period[, category]) with records, plus a total row per
    period with area "Hela kommunen"; rows are sorted by period, area and category.
    """
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    other = other_area_label or _("Utanför delområden")
    total_label = _("Hela kommunen")
    cells: Counter[tuple[str, str, str | None]] = Counter()
    for record in records:
        if not record.publishable:
            continue
        key = (
            period_label(record.occurred, period),
            record.area or other,
            record.category if by_category else None,
        )
        cells[key] += 1
    totals: Counter[tuple[str, str | None]] = Counter()
    for (period_key, _area, category), count in cells.items():
        totals[(period_key, category)] += count

    shown: dict[tuple[str, str, str | None], int | None] = {
        key: (count if count >= min_count else None) for key, count in cells.items()
    }
    total_shown: dict[tuple[str, str | None], int | None] = {
        key: (count if count >= min_count else None) for key, count in totals.items()
    }
    # Secondary suppression: never leave a single suppressed cell beside a shown total.
    for (period_key, category), total in total_shown.items():
        if total is None:
            continue
        group = [k for k in shown if k[0] == period_key and k[2] == category]
        hidden = [k for k in group if shown[k] is None]
        if len(hidden) == 1:
            visible = sorted((k for k in group if shown[k] is not None), key=lambda k: cells[k])
            if visible:
                shown[visible[0]] = None
            else:
                total_shown[(period_key, category)] = None

    rows = [
        PublicCount(area, period_key, category, count, _display(count, min_count))
        for (period_key, area, category), count in shown.items()
    ]
    rows += [
        PublicCount(total_label, period_key, category, count, _display(count, min_count))
        for (period_key, category), count in total_shown.items()
    ]
    rows.sort(key=lambda r: (r.period, r.area == total_label, r.area, r.category or ""))
    return rows


def public_counts_for(
    items: Iterable[object],
    *,
    to_record: Callable[[object], PublicRecord],
    period: Period = "month",
    min_count: int = DEFAULT_MIN_COUNT,
    by_category: bool = False,
) -> list[PublicCount]:
    """The same, for model instances: ``to_record`` picks only what may be public."""
    return public_counts(
        (to_record(item) for item in items),
        period=period,
        min_count=min_count,
        by_category=by_category,
    )
