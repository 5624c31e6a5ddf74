"""Reads of surveys, results, published figures and dialogues, scoped to the actor's
partnership and role. Results are aggregates (indicators, distributions); no page or export
ever shows a single answer.

``latest_indicators(actor, codes)`` is what other apps read: the latest random-sample wave's
kommun-level indicators (the statutory lägesbild's "otrygghet").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, Exists, OuterRef, QuerySet

from samtrygg.analysis import surveys as math
from samtrygg.core.models import Area
from samtrygg.core.permissions import Actor
from samtrygg.core.queries import narrowed
from samtrygg.observations.models import Category
from samtrygg.surveys import extensions, items
from samtrygg.surveys.models import (
    Dialogue,
    OwnQuestion,
    PublishedFigure,
    Response,
    SampleKind,
    Survey,
    Wave,
)
from samtrygg.surveys.permissions import DATA_ROLES, MANAGE_ROLES, READ_ROLES

WHOLE_KOMMUN = "Hela kommunen"


# --- Surveys and waves -------------------------------------------------------------------


def waves(actor: Actor) -> QuerySet[Wave]:
    actor.require(READ_ROLES)
    return (
        Wave.objects.filter(partnership=actor.partnership)
        .select_related("survey")
        .annotate(answers=Count("responses"))
        .order_by("survey__name", "-year")
    )


def waves_with_answers(actor: Actor) -> QuerySet[Wave]:
    return waves(actor).filter(Exists(Response.objects.filter(wave=OuterRef("pk"))))


def wave(actor: Actor, pk: Any) -> Wave:
    return Wave.objects.fetch(actor, pk, lambda: waves(actor))


def surveys(actor: Actor) -> QuerySet[Survey]:
    actor.require(READ_ROLES)
    return Survey.objects.filter(partnership=actor.partnership).order_by("name")


def survey_named(actor: Actor, name: str) -> Survey | None:
    return surveys(actor).filter(name__iexact=(name or "").strip()).first()


def latest_wave_of(actor: Actor, survey: Survey, year: int | None = None) -> Wave | None:
    qs = waves(actor).filter(survey=survey)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year").first()


def previous_wave(current: Wave) -> Wave | None:
    """The wave before this one in the same survey with the same kind of sample (an open link
    is never compared with a random sample)."""
    return (
        Wave.objects.filter(
            survey_id=current.survey_id, sample=current.sample, year__lt=current.year
        )
        .filter(responses__isnull=False)
        .distinct()
        .order_by("-year")
        .first()
    )


def token_counts(current: Wave) -> tuple[int, int]:
    """(codes issued, codes used) of a wave."""
    rows = dict(
        current.tokens.order_by()
        .values_list("used")
        .annotate(n=Count("digest"))
        .values_list("used", "n")
    )
    return sum(rows.values()), rows.get(True, 0)


def own_questions(actor: Actor) -> QuerySet[OwnQuestion]:
    actor.require(READ_ROLES)
    return OwnQuestion.objects.filter(partnership=actor.partnership).order_by("code")


def county_template(actor: Actor) -> extensions.SurveyTemplate | None:
    """The survey part of the county template the partnership has adopted (None: none)."""
    actor.require(READ_ROLES)
    return extensions.survey_template(actor.partnership)


def areas(actor: Actor) -> QuerySet[Area]:
    return Area.objects.filter(partnership=actor.partnership).order_by("name")


def can_manage(actor: Actor) -> bool:
    return actor.has(MANAGE_ROLES)


def can_handle_data(actor: Actor) -> bool:
    return actor.has(DATA_ROLES)


# --- Public web survey -------------------------------------------------------------------


def public_wave(partnership: Any, slug: str) -> Wave | None:
    """The wave behind a public survey address, when its web survey is open."""
    return (
        Wave.objects.select_related("survey", "partnership")
        .prefetch_related("own_questions")
        .filter(partnership=partnership, slug=slug, web_open=True)
        .first()
    )


def public_areas(partnership: Any) -> QuerySet[Area]:
    return Area.objects.filter(partnership=partnership).order_by("name")


# --- Results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One indicator in one area, with the previous wave's when there is one."""

    code: str
    area: str
    result: math.Indicator
    before: math.Indicator | None = None
    comparison: math.Comparison | None = None

    @property
    def share_pct(self) -> float | None:
        return None if self.result.share is None else 100 * self.result.share


@dataclass
class _Data:
    area_ids: np.ndarray
    answers: dict[str, np.ndarray]
    weights: np.ndarray | None


def _load(current: Wave, codes: Iterable[str]) -> _Data:
    rows = list(current.responses.order_by().values_list("area_id", "answers", "weight"))
    wanted = list(codes)
    area_ids = np.array([r[0] or 0 for r in rows], dtype=np.int64)
    answers = {
        code: np.array([int(r[1].get(code, 0) or 0) for r in rows], dtype=np.int64)
        for code in wanted
    }
    weights = None
    if rows and all(r[2] is not None for r in rows):
        weights = np.array([float(r[2] or 0) for r in rows], dtype=np.float64)
    return _Data(area_ids, answers, weights)


def _own_rules(current: Wave) -> dict[str, math.ItemRule]:
    return {
        q.code: math.ItemRule(frozenset(range(1, len(q.answers) + 1)), frozenset(q.positive))
        for q in current.own_questions.all()
    }


def _indicator(
    code: str, data: _Data, mask: np.ndarray, own: dict[str, math.ItemRule]
) -> math.Indicator:
    selected = {key: values[mask] for key, values in data.answers.items()}
    weights = data.weights[mask] if data.weights is not None else None
    if code in own:
        return math.positive_share(selected[code], own[code], weights)
    return math.item_indicator(code, selected, weights)


def _area_masks(data: _Data, area_list: list[Area]) -> list[tuple[str, np.ndarray]]:
    masks = [(WHOLE_KOMMUN, np.ones(data.area_ids.size, dtype=bool))]
    masks += [(area.name, data.area_ids == area.pk) for area in area_list]
    return masks


def indicator_table(current: Wave, area_list: list[Area] | None = None) -> list[Row]:
    """Every indicator of the wave for the whole kommun and each delområde (all of the
    partnership's), with the previous comparable wave's beside it."""
    if area_list is None:
        area_list = list(
            Area.objects.filter(partnership_id=current.partnership_id).order_by("name")
        )
    own = _own_rules(current)
    codes = [*items.INDICATOR_CODES, *own]
    data = _load(current, [*codes, "T1b"])
    before_wave = previous_wave(current)
    before_data = _load(before_wave, [*codes, "T1b"]) if before_wave else None
    before_own = _own_rules(before_wave) if before_wave else {}
    masks = _area_masks(data, area_list)
    before_masks = dict(_area_masks(before_data, area_list)) if before_data else {}
    rows: list[Row] = []
    for code in codes:
        for name, mask in masks:
            result = _indicator(code, data, mask, own)
            before = comparison = None
            if before_data is not None and (code not in own or code in before_own):
                before = _indicator(code, before_data, before_masks[name], before_own)
                comparison = math.compare(result, before)
            rows.append(Row(code, name, result, before, comparison))
    return rows


def distributions(current: Wave, area: Area | None) -> list[dict[str, Any]]:
    """Each item's answers in the area (or the whole kommun): count and weighted share per
    answer code."""
    questions = list(current.own_questions.all())
    codes = [item.code for item in items.ITEMS] + [q.code for q in questions]
    data = _load(current, codes)
    mask = data.area_ids == area.pk if area else np.ones(data.area_ids.size, dtype=bool)
    weights = data.weights[mask] if data.weights is not None else None
    result = []
    labelled: list[tuple[str, str, tuple[tuple[int, Any], ...]]] = [
        (item.code, items.short_text(item.code), item.answers) for item in items.ITEMS
    ]
    labelled += [(q.code, q.text, tuple(q.choices)) for q in questions]
    for code, text, answers in labelled:
        counts = math.distribution(data.answers[code][mask], [c for c, _l in answers], weights)
        labels = dict(answers)
        result.append(
            {
                "code": code,
                "text": text,
                "answers": [
                    {"code": c, "label": str(labels[c]), "n": n, "share": share}
                    for c, n, share in counts
                ],
                "total": sum(n for _c, n, _s in counts),
            }
        )
    return result


@dataclass
class Recorded:
    """What was recorded in the same areas and year, for reading side by side."""

    reports: dict[str, int] | None  # area name -> EST reports; None when the role may not read
    reports_outside: int = 0
    police_kommun: int = 0
    period: tuple[dt.date, dt.date] = (dt.date(2000, 1, 1), dt.date(2000, 12, 31))

    @property
    def whole(self) -> int:
        return (self.reports or {}).get(WHOLE_KOMMUN, 0)


def recorded_beside(actor: Actor, current: Wave) -> Recorded:
    """The EST reports per delområde and the police's events in the kommun in the wave's
    year. Police events are placed per kommun, not per delområde."""
    from samtrygg.observations import queries as observation_queries
    from samtrygg.sources import queries as source_queries

    start, end = dt.date(current.year, 1, 1), dt.date(current.year, 12, 31)
    reports: dict[str, int] | None = None
    outside = 0
    if observation_queries.can_read_all(actor):
        qs = observation_queries.observations(actor).filter(
            occurred_on__gte=start, occurred_on__lte=end
        )
        reports = {}
        for row in qs.order_by().values("area__name").annotate(n=Count("id")):
            if row["area__name"]:
                reports[row["area__name"]] = row["n"]
            else:
                outside += row["n"]
        reports[WHOLE_KOMMUN] = sum(reports.values()) + outside
    counts = source_queries.police_event_counts(
        actor, source_queries.EventFilter(date_from=start, date_to=end, level="kommun")
    )
    return Recorded(reports, outside, counts.kommun, (start, end))


def figures(actor: Actor, year: int | None = None) -> QuerySet[PublishedFigure]:
    actor.require(READ_ROLES)
    qs = PublishedFigure.objects.filter(partnership=actor.partnership).select_related("area")
    if year is not None:
        qs = qs.filter(year__in=(year - 1, year))
    return qs.order_by("source", "measure", "region", "-year")


def figure(actor: Actor, pk: Any) -> PublishedFigure:
    return PublishedFigure.objects.fetch(actor, pk, lambda: figures(actor))


# --- Dialogues ---------------------------------------------------------------------------


def dialogues(actor: Actor, *, format: str = "", area: int | None = None) -> QuerySet[Dialogue]:
    actor.require(READ_ROLES)
    qs = (
        Dialogue.objects.filter(partnership=actor.partnership)
        .select_related("area")
        .prefetch_related("themes__category")
    )
    return narrowed(qs, format=format, area_id=area).order_by("-held_on", "-id")


def dialogue(actor: Actor, pk: Any) -> Dialogue:
    return Dialogue.objects.fetch(actor, pk, lambda: dialogues(actor))


def categories(actor: Actor) -> QuerySet[Category]:
    return Category.objects.filter(partnership=actor.partnership, retired_at__isnull=True).order_by(
        "sort_order", "name"
    )


def theme_totals(actor: Actor, since: dt.date | None = None) -> list[tuple[str, int, int]]:
    """Themes over the dialogues (since a date): (category, mentions, dialogues)."""
    qs = dialogues(actor)
    if since:
        qs = qs.filter(held_on__gte=since)
    totals: dict[str, list[int]] = {}
    for d in qs.prefetch_related("themes__category"):
        for theme in d.themes.all():
            entry = totals.setdefault(theme.category.name, [0, 0])
            entry[0] += theme.mentions
            entry[1] += 1
    return sorted(((name, m, n) for name, (m, n) in totals.items()), key=lambda r: (-r[1], r[0]))


# --- For other apps ----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorValue:
    """A kommun-level indicator of the latest random-sample wave, for other apps."""

    code: str
    label: str
    survey: str
    year: int
    wave_id: int
    n: int
    share: float | None
    ci_low: float | None
    ci_high: float | None
    flag: str
    before: dict[str, Any] = field(default_factory=dict)


def latest_random_wave(actor: Actor) -> Wave | None:
    if not actor.has(READ_ROLES):
        return None
    return (
        Wave.objects.filter(partnership=actor.partnership, sample=SampleKind.RANDOM)
        .filter(responses__isnull=False)
        .distinct()
        .select_related("survey")
        .order_by("-year", "-id")
        .first()
    )


def latest_indicators(actor: Actor, codes: Iterable[str]) -> list[IndicatorValue]:
    """The kommun-level indicators ``codes`` (e.g. ``["T1", "T2"]``) of the latest wave of a
    random-sample survey with answers, in the order asked; an empty list when there is none
    (or the actor's role reads no survey results). Open-link surveys are never used."""
    current = latest_random_wave(actor)
    if current is None:
        return []
    wanted = [c for c in codes if c in items.INDICATOR_CODES]
    table = {
        row.code: row
        for row in indicator_table(current, [])
        if row.area == WHOLE_KOMMUN and row.code in wanted
    }
    result = []
    for code in wanted:
        row = table[code]
        before: dict[str, Any] = {}
        if row.before is not None and row.comparison is not None:
            before = {
                "share": row.before.share,
                "difference": row.comparison.difference,
                "overlap": row.comparison.overlap,
            }
        result.append(
            IndicatorValue(
                code=code,
                label=str(items.INDICATOR_MEANING[code]),
                survey=current.survey.name,
                year=current.year,
                wave_id=current.pk,
                n=row.result.n,
                share=row.result.share,
                ci_low=row.result.ci_low,
                ci_high=row.result.ci_high,
                flag=row.result.flag,
                before=before,
            )
        )
    return result
