"""Compliance at a glance: each obligation of lag (2023:196) for one partnership, with its
date, status and a link to the evidence.

:func:`obligations` reads a fixed handful of rows for one partnership (the latest adopted
version, the samordningsfunktion, the review settings, the latest follow-up);
:func:`obligations_for` reads the same rows for many partnerships in as many queries, for a
county page that shows every kommun of a län. Both build the answer with the same function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.models import Partnership
from samtrygg.statutory.models import (
    CoordinationFunction,
    PlanFollowUp,
    ReportStatus,
    ReviewSettings,
    StatutoryReport,
)

# The columns the obligations read of the latest adopted version (never its texts or snapshot).
ADOPTED_FIELDS = (
    "id",
    "decided_on",
    "plan_items",
    "period_start",
    "period_end",
    "version",
    "decision__reference",
    "decision__body__name",
)
# Newest decision first; the same order picks the latest version for one partnership or many.
ADOPTED_ORDER = ("-decided_on", "-version")

# The first åtgärdsplan was due on 1 July 2024 (the law in force 1 July 2023).
FIRST_DEADLINE = dt.date(2024, 7, 1)
# The law took effect on this day: the samordningsfunktion is due from it.
IN_FORCE = dt.date(2023, 7, 1)

OK = "ok"
MISSING = "missing"
OVERDUE = "overdue"


@dataclass(frozen=True)
class Obligation:
    key: str
    label: str
    date: dt.date | None
    status: str  # ok, missing, overdue
    evidence_url: str
    detail: str = ""

    @property
    def status_label(self) -> str:
        return {OK: _("Uppfyllt"), MISSING: _("Saknas"), OVERDUE: _("Försenat")}[self.status]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months (the last day of a shorter month when needed)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    return dt.date(year, month, 28)


def next_review_date(adopted_on: dt.date | None, settings: ReviewSettings | None) -> dt.date | None:
    """The next review of the whole lägesbild and plan: the set date, else the last adoption
    plus the review interval (24 months unless the kommun chose otherwise)."""
    if settings is not None and settings.next_review:
        return settings.next_review
    if adopted_on is None:
        return None
    months = settings.full_review_months if settings is not None else 24
    return add_months(adopted_on, months)


def obligations(partnership: Partnership, today: dt.date | None = None) -> list[Obligation]:
    """The obligations of ``partnership`` under lag (2023:196), in the order the law sets them."""
    adopted = (
        StatutoryReport.objects.filter(partnership=partnership, status=ReportStatus.ANTAGEN)
        .select_related("decision__body")
        .order_by(*ADOPTED_ORDER)
        .only(*ADOPTED_FIELDS)
        .first()
    )
    function = (
        CoordinationFunction.objects.filter(partnership=partnership)
        .select_related("decision")
        .only("id", "unit", "decision__date", "created_at")
        .first()
    )
    settings = ReviewSettings.objects.filter(partnership=partnership).first()
    last_follow_up = PlanFollowUp.objects.filter(item__partnership=partnership).aggregate(
        last=Max("date")
    )["last"]
    return _obligations_of(adopted, function, settings, last_follow_up, today, _pages())


def obligations_for(
    partnerships: Iterable[Partnership], today: dt.date | None = None
) -> dict[int, list[Obligation]]:
    """:func:`obligations` of each partnership, by its id, in four queries however many."""
    ids = [p.pk for p in partnerships]
    if not ids:
        return {}
    adopted: dict[int, StatutoryReport] = {}
    for report in (
        StatutoryReport.objects.filter(partnership_id__in=ids, status=ReportStatus.ANTAGEN)
        .select_related("decision__body")
        .order_by("partnership_id", *ADOPTED_ORDER)
        .only("partnership", *ADOPTED_FIELDS)
    ):
        adopted.setdefault(report.partnership_id, report)
    functions = {
        f.partnership_id: f
        for f in CoordinationFunction.objects.filter(partnership_id__in=ids)
        .select_related("decision")
        .only("id", "partnership", "unit", "decision__date", "created_at")
    }
    settings = {s.partnership_id: s for s in ReviewSettings.objects.filter(partnership_id__in=ids)}
    last_follow_ups: dict[int, Any] = dict(
        PlanFollowUp.objects.filter(item__partnership_id__in=ids)
        .order_by()
        .values("item__partnership_id")
        .annotate(last=Max("date"))
        .values_list("item__partnership_id", "last")
    )
    pages = _pages()
    return {
        pk: _obligations_of(
            adopted.get(pk),
            functions.get(pk),
            settings.get(pk),
            last_follow_ups.get(pk),
            today,
            pages,
        )
        for pk in ids
    }


def _pages() -> dict[str, str]:
    """The pages the evidence links point to (resolved once for many partnerships)."""
    return {
        "overview": reverse("statutory-overview"),
        "compliance": reverse("statutory-compliance"),
        "plan": reverse("statutory-plan"),
        "coordination": reverse("statutory-coordination"),
    }


def _obligations_of(
    adopted: StatutoryReport | None,
    function: CoordinationFunction | None,
    settings: ReviewSettings | None,
    last_follow_up: dt.date | None,
    today: dt.date | None,
    pages: dict[str, str],
) -> list[Obligation]:
    """The obligations from the rows read: the latest adopted version, the samordnings-
    funktion, the review settings and the day of the latest follow-up of the plan."""
    today = today or timezone.localdate()
    overview = pages["overview"]
    compliance = pages["compliance"]
    adopted_url = (
        reverse("statutory-report", args=[adopted.pk]) if adopted is not None else overview
    )
    adopted_on = adopted.decided_on if adopted is not None else None
    review = next_review_date(adopted_on, settings)
    late = today > FIRST_DEADLINE
    result: list[Obligation] = []

    # Lägesbild (4 §).
    if adopted is None:
        result.append(
            Obligation(
                "lagesbild",
                _("Lägesbild antagen"),
                None,
                OVERDUE if late else MISSING,
                overview,
                _("Ingen antagen lägesbild."),
            )
        )
    else:
        stale = review is not None and review < today
        result.append(
            Obligation(
                "lagesbild",
                _("Lägesbild antagen"),
                adopted_on,
                OVERDUE if stale else OK,
                adopted_url,
                _("Period %(period)s, version %(version)d.")
                % {"period": adopted.period_label, "version": adopted.version},
            )
        )

    # Åtgärdsplan.
    if adopted is None or not adopted.plan_items:
        result.append(
            Obligation(
                "atgardsplan",
                _("Åtgärdsplan beslutad"),
                None,
                OVERDUE if late else MISSING,
                pages["plan"],
                _("Ingen beslutad åtgärdsplan."),
            )
        )
    else:
        result.append(
            Obligation(
                "atgardsplan",
                _("Åtgärdsplan beslutad"),
                adopted_on,
                OVERDUE if review is not None and review < today else OK,
                adopted_url,
                _("%(body)s %(reference)s, %(n)d åtgärder.")
                % {
                    "body": adopted.decision.body.name if adopted.decision else "",
                    "reference": adopted.decision.reference if adopted.decision else "",
                    "n": adopted.plan_items,
                },
            )
        )

    # Samordningsfunktion.
    function_url = pages["coordination"]
    if function is None:
        status = OVERDUE if today > IN_FORCE else MISSING
        result.append(
            Obligation(
                "samordningsfunktion",
                _("Samordningsfunktion inrättad"),
                None,
                status,
                function_url,
                _("Ingen samordningsfunktion."),
            )
        )
    elif function.decision is None:
        result.append(
            Obligation(
                "samordningsfunktion",
                _("Samordningsfunktion inrättad"),
                None,
                MISSING,
                function_url,
                _("Beslut om inrättande saknas."),
            )
        )
    else:
        result.append(
            Obligation(
                "samordningsfunktion",
                _("Samordningsfunktion inrättad"),
                function.decision.date,
                OK,
                function_url,
                function.unit,
            )
        )

    # Uppföljning: at least once per mapping interval after the plan was decided.
    interval = settings.mapping_months if settings is not None else 12
    follow_up_url = pages["plan"]
    if adopted is None or not adopted.plan_items or adopted_on is None:
        result.append(
            Obligation(
                "uppfoljning",
                _("Uppföljning gjord"),
                last_follow_up,
                MISSING,
                follow_up_url,
                _("Ingen beslutad plan att följa upp."),
            )
        )
    else:
        due = add_months(last_follow_up or adopted_on, interval)
        if last_follow_up is not None and last_follow_up >= adopted_on and due >= today:
            status = OK
        elif due < today:
            status = OVERDUE
        else:
            status = MISSING
        result.append(
            Obligation(
                "uppfoljning",
                _("Uppföljning gjord"),
                last_follow_up,
                status,
                follow_up_url,
                _("Nästa uppföljning senast %(date)s.") % {"date": due.isoformat()},
            )
        )

    # Nästa översyn.
    if review is None:
        result.append(
            Obligation(
                "oversyn",
                _("Nästa översyn"),
                None,
                OVERDUE if late else MISSING,
                compliance,
                _("Bestäms när lägesbilden antas."),
            )
        )
    else:
        result.append(
            Obligation(
                "oversyn",
                _("Nästa översyn"),
                review,
                OVERDUE if review < today else OK,
                compliance,
                _("Hela lägesbilden och åtgärdsplanen ses över."),
            )
        )
    return result
