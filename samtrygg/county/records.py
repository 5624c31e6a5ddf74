"""What the county level reads of each partnership's statutory work and agreements.

The statutory app (lag 2023:196: lägesbild, åtgärdsplan, samordningsfunktion, follow-up)
and the promises app (agreement, medborgarlöfte, follow-ups) answer for one partnership or,
in the same few queries, for every partnership of a län (the ``_for`` functions, which the
county pages use); this module turns their answers into the matrix's columns. Only dates,
decision bodies and yes/no: never the text of a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from samtrygg.core.models import Partnership
from samtrygg.promises import queries as promise_queries


@dataclass(frozen=True)
class StatutoryEntries:
    lagesbild_adopted: dt.date | None = None
    action_plan_decided: dt.date | None = None
    action_plan_body: str = ""
    coordination_function: bool | None = None
    plan_follow_up: dt.date | None = None
    next_review: dt.date | None = None
    overdue: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PromiseEntries:
    agreement_valid_to: dt.date | None = None
    promise_valid_to: dt.date | None = None
    last_follow_up_published: dt.date | None = None


def statutory_entries(partnership: Partnership, today: dt.date | None = None) -> StatutoryEntries:
    """The partnership's statutory entries (lag 2023:196), as its own compliance page has them."""
    from samtrygg.statutory.compliance import obligations

    return _from_obligations(obligations(partnership, today))


def statutory_entries_for(
    partnerships: Sequence[Partnership], today: dt.date | None = None
) -> dict[int, StatutoryEntries]:
    """:func:`statutory_entries` of each partnership, by its id, in a fixed number of queries."""
    from samtrygg.statutory.compliance import obligations_for

    return {
        pk: _from_obligations(found) for pk, found in obligations_for(partnerships, today).items()
    }


# The statutory app's obligation keys, and the matrix's overdue flag for each.
OBLIGATION_FLAGS = {
    "lagesbild": "lagesbild",
    "atgardsplan": "action_plan",
    "samordningsfunktion": "coordination",
    "uppfoljning": "follow_up",
    "oversyn": "review",
}


def _from_obligations(obligations: list[Any]) -> StatutoryEntries:
    """The statutory app's obligations (key, date, status ok/missing/overdue, detail) as the
    matrix's columns: the dates, whether the samordningsfunktion is set up, and which are
    overdue."""
    by_key = {getattr(o, "key", ""): o for o in obligations}

    def day(key: str) -> dt.date | None:
        found = by_key.get(key)
        return _day(getattr(found, "date", None)) if found is not None else None

    function = by_key.get("samordningsfunktion")
    plan = by_key.get("atgardsplan")
    return StatutoryEntries(
        lagesbild_adopted=day("lagesbild"),
        action_plan_decided=day("atgardsplan"),
        action_plan_body=str(getattr(plan, "detail", "") or "") if day("atgardsplan") else "",
        coordination_function=(getattr(function, "status", "") == "ok")
        if function is not None
        else None,
        plan_follow_up=day("uppfoljning"),
        next_review=day("oversyn"),
        overdue=frozenset(
            flag
            for key, flag in OBLIGATION_FLAGS.items()
            if getattr(by_key.get(key), "status", "") == "overdue"
        ),
    )


def promise_entries(partnership: Partnership) -> PromiseEntries:
    """The partnership's agreement and promise validity; empty where none are kept."""
    found = promise_queries.validity(partnership)
    return PromiseEntries(
        agreement_valid_to=_day(found.get("agreement_valid_to")),
        promise_valid_to=_day(found.get("promise_valid_to")),
        last_follow_up_published=_day(found.get("last_follow_up_published")),
    )


def promise_entries_for(partnerships: Sequence[Partnership]) -> dict[int, PromiseEntries]:
    """:func:`promise_entries` of each partnership, by its id, in a fixed number of queries."""
    return {
        pk: PromiseEntries(
            agreement_valid_to=_day(found.get("agreement_valid_to")),
            promise_valid_to=_day(found.get("promise_valid_to")),
            last_follow_up_published=_day(found.get("last_follow_up_published")),
        )
        for pk, found in promise_queries.validity_for(partnerships).items()
    }


def _focus_areas(promise: Any) -> set[tuple[str, str]]:
    from django.utils.translation import gettext as _

    if promise is None:
        return set()
    return {
        (_("Fokusområde i medborgarlöftet"), " ".join(area.title.split()))
        for area in promise.focus_areas.all()
    }


def themes_of(partnership: Partnership) -> set[tuple[str, str]]:
    """(kind, label) of the partnership's themes, each once: the focus areas of its public
    citizen promise (the one in force, or else the next to come), and of its decided
    åtgärdsplan the types of the actions its åtgärder count and the categories of the
    problems they answer."""
    from django.utils.translation import gettext as _

    from samtrygg.actions.models import ActionType
    from samtrygg.statutory.models import ActionPlanItem, ReportStatus, StatutoryReport

    found = _focus_areas(promise_queries.current_promise(partnership)[0])
    if StatutoryReport.objects.filter(
        partnership=partnership, status=ReportStatus.ANTAGEN
    ).exists():
        items = ActionPlanItem.objects.filter(partnership=partnership)
        for kind in items.exclude(actions__isnull=True).values_list("actions__type", flat=True):
            label = dict(ActionType.choices).get(kind, kind)
            found.add((_("Åtgärdstyp i åtgärdsplanen"), str(label)))
        for name in items.exclude(problem__categories__isnull=True).values_list(
            "problem__categories__name", flat=True
        ):
            found.add((_("Problemkategori i åtgärdsplanen"), name))
    return found


def themes_for(partnerships: Sequence[Partnership]) -> dict[int, set[tuple[str, str]]]:
    """:func:`themes_of` each partnership, by its id, in a fixed number of queries however
    many."""
    from django.utils.translation import gettext as _

    from samtrygg.actions.models import ActionType
    from samtrygg.statutory.models import ActionPlanItem, ReportStatus, StatutoryReport

    found: dict[int, set[tuple[str, str]]] = {
        pk: _focus_areas(promise_queries.current_of(shown)[0])
        for pk, shown in promise_queries.public_promises_for(partnerships).items()
    }
    decided = set(
        StatutoryReport.objects.filter(partnership_id__in=found, status=ReportStatus.ANTAGEN)
        .order_by()
        .values_list("partnership_id", flat=True)
        .distinct()
    )
    if not decided:
        return found
    items = ActionPlanItem.objects.filter(partnership_id__in=decided).order_by()
    action_types = dict(ActionType.choices)
    for pk, kind in items.exclude(actions__isnull=True).values_list(
        "partnership_id", "actions__type"
    ):
        found[pk].add((_("Åtgärdstyp i åtgärdsplanen"), str(action_types.get(kind, kind))))
    for pk, name in items.exclude(problem__categories__isnull=True).values_list(
        "partnership_id", "problem__categories__name"
    ):
        found[pk].add((_("Problemkategori i åtgärdsplanen"), name))
    return found


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
