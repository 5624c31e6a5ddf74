"""The data check proposed for a claim: the counts for its area, period and categories against
the baseline, with the analysis engine's significance, and what the data cannot show.

Nothing is computed here: the records are loaded by ``situation.compute.load`` and judged by
``analysis.picture.compute_picture`` (through ``situation.compute.picture_of`` for a
delområde), the same numbers and the same test as the lägesbild. For the whole kommun every
record counts in one area, police events too; in a delområde police events cannot count (they
are placed by kommun only), and the check says so.

The check is stored as codes and numbers; :func:`summary`, :func:`period_words` and
:func:`limits` word it on the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from samtrygg.analysis.change import Verdict
from samtrygg.analysis.picture import Period, Picture, compute_picture
from samtrygg.core.models import Area, Partnership
from samtrygg.situation import wording
from samtrygg.situation.compute import POLICE, Filters, load, parse_period, picture_of

# What the data cannot show, stored as keys and worded on the reader's language.
UNREPORTED = "unreported"
POLICE_KOMMUN_ONLY = "police_kommun_only"
REPORTS_ONLY = "reports_only"
NO_BASELINE = "no_baseline"
PUBLIC_SUMMARIES = "public_summaries"
LIMIT_TEXT = {
    UNREPORTED: _(
        "Brott och händelser som ingen anmäler eller rapporterar syns inte i siffrorna; "
        "Brås trygghetsundersökning visar att många brott aldrig anmäls."
    ),
    POLICE_KOMMUN_ONLY: _(
        "Polisens händelser finns bara på kommunnivå och kan inte räknas i ett delområde."
    ),
    REPORTS_ONLY: _(
        "Samverkansparternas rapporter visar vad de har sett och rapporterat, inte allt som hänt."
    ),
    NO_BASELINE: _("Det finns ingen jämförelseperiod med data, så förändringen kan inte bedömas."),
    PUBLIC_SUMMARIES: _(
        "Polisens publicerade händelser är ett urval och beskriver inte alla anmälda brott."
    ),
}


def limits(check: dict[str, Any]) -> list[str]:
    """What the data cannot show, in the reader's language."""
    return [str(LIMIT_TEXT[key]) for key in check.get("limits", []) if key in LIMIT_TEXT]


def period_words(check: dict[str, Any]) -> str:
    if "unit" not in check:
        return str(check.get("period", ""))
    return wording.period_text(check["unit"], int(check["index"]))


def summary(check: dict[str, Any], min_count: int = 0) -> str:
    """``Centrum, vecka 47 2025: 7 händelser mot normalt 3,0: mer än vanligt (q = 0,012)``."""
    if not check:
        return ""
    verdict = Verdict(int(check.get("verdict", Verdict.NOT_ASSESSED)))
    observed = int(check["observed"])
    if 0 < observed < min_count:  # the public page shows no count under the public minimum
        count = str(_("färre än %(n)d händelser") % {"n": min_count})
    else:
        count = wording.events(observed)
    head = f"{check.get('place', '')}, {period_words(check)}: {count}"
    if verdict == Verdict.NOT_ASSESSED or check.get("expected") is None:
        return f"{head}; {wording.verdict_text(verdict)}"
    q = float(check["q"]) if check.get("q") is not None else 1.0
    q_text = "q < " + wording.number(0.001, 3) if q < 0.001 else "q = " + wording.number(q, 3)
    return _("%(head)s mot normalt %(expected)s: %(verdict)s (%(q)s)") % {
        "head": head,
        "expected": wording.number(check["expected"], 1),
        "verdict": wording.verdict_text(verdict),
        "q": q_text,
    }


def period_of(text: str) -> Period:
    """The claim's period (``2025-W47``, ``2025-11``, ``2025-T3`` or ``2025``); ValueError
    when it cannot be read."""
    return parse_period(text)


def data_check(
    partnership: Partnership, area: Area | None, period_text: str, category_ids: Sequence[int]
) -> dict[str, Any]:
    """The proposed check of a claim as stored JSON (Swedish text, numbers, the series)."""
    period = period_of(period_text)
    filters = Filters(categories=tuple(sorted(category_ids)))
    loaded = load(partnership, period, filters)
    police_code = loaded.source_keys.index(POLICE)
    if area is None:
        whole = np.zeros(loaded.times.size, dtype=np.int32)
        picture = compute_picture(
            loaded.times,
            loaded.categories,
            period=period,
            n_categories=max(len(loaded.category_ids), 1),
            areas=whole,
            n_areas=1,
            data_start=loaded.data_start,
        )
        index = 0
        place = partnership.municipality.name
    else:
        picture = picture_of(loaded, period)
        index = loaded.area_ids.index(area.pk) if area.pk in loaded.area_ids else -1
        place = area.name
    in_period = (loaded.times >= period.start) & (loaded.times < period.end)
    police_now = int((in_period & (loaded.sources == police_code)).sum())
    names = [
        name
        for pk, name in zip(loaded.category_ids, loaded.category_names, strict=True)
        if not category_ids or pk in category_ids
    ]
    return _described(picture, index, place, names, area is None, police_now)


def _described(
    picture: Picture,
    index: int,
    place: str,
    categories: list[str],
    whole_kommun: bool,
    police_now: int,
) -> dict[str, Any]:
    counts = picture.area_counts
    change = picture.change
    limits = [REPORTS_ONLY, UNREPORTED]
    if whole_kommun:
        limits.insert(0, PUBLIC_SUMMARIES)
    else:
        limits.insert(0, POLICE_KOMMUN_ONLY)
    baseline_columns = {int(c) for c in counts.baseline_columns}
    if index < 0:
        row = [0] * len(counts.labels)
        verdict = Verdict.NOT_ASSESSED
        observed, expected, q = 0, None, None
    else:
        row = [int(v) for v in counts.counts[index]]
        verdict = Verdict(int(change.verdict[index]))
        observed = int(change.observed[index])
        expected_value = float(change.expected[index])
        expected = None if np.isnan(expected_value) else round(expected_value, 2)
        q_value = float(change.q[index])
        q = None if np.isnan(q_value) else round(q_value, 4)
    if not baseline_columns:
        limits.append(NO_BASELINE)
    series = [
        {
            "label": label,
            "count": row[column],
            "role": (
                "current"
                if column == len(counts.labels) - 1
                else ("baseline" if column in baseline_columns else "other")
            ),
        }
        for column, label in enumerate(counts.labels)
    ]
    return {
        "period": picture.period.label,
        "unit": picture.period.unit,
        "index": picture.period.index,
        "place": place,
        "whole_kommun": whole_kommun,
        "categories": categories,
        "observed": observed,
        "expected": expected,
        "q": q,
        "verdict": int(verdict),
        "police_events": police_now if whole_kommun else 0,
        "police_outside": police_now if not whole_kommun else 0,
        "series": series,
        "limits": limits,
        "method": change.method,
    }
