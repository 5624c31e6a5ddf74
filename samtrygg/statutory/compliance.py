"""Compliance at a glance: each obligation of lag (2023:196) for one partnership, with its
date, status and a link to the evidence.

:func:`obligations` reads a fixed handful of rows (the latest adopted version, the
samordningsfunktion, the review settings, the latest follow-up), so a county page may call it
for every kommun of a län.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    today = today or timezone.localdate()
    adopted = (
        StatutoryReport.objects.filter(partnership=partnership, status=ReportStatus.ANTAGEN)
        .select_related("decision__body")
        .order_by("-decided_on", "-version")
        .only(
            "id",
            "decided_on",
            "plan_items",
            "period_start",
            "period_end",
            "version",
            "decision__reference",
            "decision__body__name",
        )
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

    overview = reverse("statutory-overview")
    compliance = reverse("statutory-compliance")
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
                reverse("statutory-plan"),
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
    function_url = reverse("statutory-coordination")
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
    follow_up_url = reverse("statutory-plan")
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
