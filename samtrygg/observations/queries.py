"""Reads of EST reports, always scoped to the acting user's partnership and role.

A rapportör sees their own organisation's reports; samordnare, kommunpolis and analytiker
see all of their partnership's; styrgrupp sees none (only :func:`summary_counts`, which goes
through the public aggregation). A record of another partnership raises NotFound.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema

from samtrygg.core.aggregation import PublicCount, PublicRecord, public_counts
from samtrygg.core.errors import NotFound
from samtrygg.core.models import AuditEntry, JobRun, Organisation, Partnership
from samtrygg.core.permissions import Actor
from samtrygg.observations.models import (
    Category,
    Observation,
    PoliceTypeMapping,
    Report,
    ReportingSettings,
    Source,
    default_time_bands,
)
from samtrygg.observations.roles import READ_ALL_ROLES, READ_ROLES
from samtrygg.observations.timebands import TimeBand, bands_from_config

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


def parse_week(value: str) -> tuple[dt.date, dt.date] | None:
    """An ISO week written ``2025-W47`` (as ``<input type=week>`` sends it): Monday–Sunday."""
    match = _WEEK_RE.match(value or "")
    if match is None:
        return None
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
        return monday, monday + dt.timedelta(days=6)
    except (ValueError, OverflowError):  # no such week; the last week of year 9999
        return None


def weeks_in(year: int) -> int:
    """How many ISO weeks ``year`` has: 52 or 53 (28 December is always in the last one)."""
    return dt.date(year, 12, 28).isocalendar()[1]


def week_problem(value: str) -> str | None:
    """Why ``value`` is not a week the filters can use, in words; None when it is one."""
    if parse_week(value) is not None:
        return None
    match = _WEEK_RE.match(value or "")
    if match is not None and dt.MINYEAR <= int(match.group(1)) <= dt.MAXYEAR:
        year, week = int(match.group(1)), int(match.group(2))
        if not 1 <= week <= weeks_in(year):
            message = _("Vecka %(week)d finns inte år %(year)d: det året har veckorna 1–%(weeks)d.")
            return message % {"week": week, "year": year, "weeks": weeks_in(year)}
    return _("Veckan ska skrivas som 2025-W47.")


@dataclass
class ObservationFilter:
    """The list filters: ISO week or period, delområde, category, organisation, etc."""

    week: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    area: int | None = None
    outside_areas: bool = False
    category: int | None = None
    organisation: int | None = None
    assessment: int | None = None
    source: str = ""
    reviewed: bool | None = None
    include_merged: bool = False
    problems: list[str] = field(default_factory=list)
    # Set when the period is refused (från after till): nothing is listed, the dates stay in
    # the form, and this says why (it is among the problems too).
    period_error: str = ""

    @property
    def period(self) -> tuple[dt.date | None, dt.date | None]:
        weeks = parse_week(self.week) if self.week else None
        if weeks:
            return weeks
        return self.since, self.until

    def q(self) -> Q:
        """The lookups this filter stands for (nothing at all when it has problems)."""
        if self.problems:
            return Q(pk__in=[])
        q = Q() if self.include_merged else Q(merged_into__isnull=True)
        since, until = self.period
        if since:
            q &= Q(occurred_on__gte=since)
        if until:
            q &= Q(occurred_on__lte=until)
        if self.outside_areas:
            q &= Q(area__isnull=True)
        elif self.area:
            q &= Q(area_id=self.area)
        for lookup, value in (
            ("category_id", self.category),
            ("organisation_id", self.organisation),
            ("assessment", self.assessment),
            ("source", self.source),
        ):
            if value:
                q &= Q(**{lookup: value})
        if self.reviewed is not None:
            q &= Q(reviewed_at__isnull=not self.reviewed)
        return q

    def as_params(self) -> dict[str, str]:
        """The filter as query parameters (for links to the map data and exports)."""
        out: dict[str, str] = {}
        if self.week:
            out["vecka"] = self.week
        if self.since:
            out["fran"] = self.since.isoformat()
        if self.until:
            out["till"] = self.until.isoformat()
        if self.outside_areas:
            out["omrade"] = "utanfor"
        elif self.area:
            out["omrade"] = str(self.area)
        for key, value in (
            ("kategori", self.category),
            ("organisation", self.organisation),
            ("bedomning", self.assessment),
        ):
            if value:
                out[key] = str(value)
        if self.source:
            out["kalla"] = self.source
        if self.reviewed is not None:
            out["granskad"] = "ja" if self.reviewed else "nej"
        if self.include_merged:
            out["sammanslagna"] = "ja"
        return out


def _int_param(raw: str, problems: list[str], label: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    # Digits 0-9 only (str.isdigit also takes "²", which int() refuses), and no larger than
    # a database id can be (a longer number fails in the database, not as a refusal).
    if not (value.isascii() and value.isdigit()) or int(value) >= 2**63:
        problems.append(_("Filtret %(f)s har ett ogiltigt värde.") % {"f": label})
        return None
    return int(value)


def _yes_no_param(raw: str, problems: list[str], label: str) -> bool | None:
    """``ja`` or ``nej``; empty is no filter, anything else a problem (not silently no
    filter)."""
    value = raw.strip()
    choices = {"ja": True, "nej": False}
    if value and value not in choices:
        problems.append(_("Filtret %(f)s har ett ogiltigt värde.") % {"f": label})
        return None
    return choices.get(value)


def _date_param(raw: str, problems: list[str]) -> dt.date | None:
    value = raw.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(_("Datumet %(v)s kan inte läsas (ÅÅÅÅ-MM-DD).") % {"v": value[:20]})
        return None


class ObservationFilterParams(FilterSchema):
    """The one definition of the reports list's filters (Swedish parameter names). The list
    page, its map data, its exports (page and ``samtrygg export observations``) and the API
    all read their parameters through it; :meth:`parsed` reads them leniently into an
    :class:`ObservationFilter` (a value that cannot be read is a problem, in words, and lists
    nothing), and :meth:`custom_expression` is the lookups it stands for."""

    vecka: str = Field("", description="ISO-vecka, t.ex. 2025-W47 (före fran/till).")
    fran: str = Field("", description="Från och med datum, ÅÅÅÅ-MM-DD.")
    till: str = Field("", description="Till och med datum, ÅÅÅÅ-MM-DD.")
    omrade: str = Field(
        "", description="Delområdets id, eller `utanfor` för händelser utanför alla delområden."
    )
    kategori: str = Field("", description="Kategorins id.")
    organisation: str = Field("", description="Organisationens id.")
    bedomning: str = Field("", description="Bedömning 1–4.")
    kalla: str = Field("", description="Källa: " + ", ".join(f"`{v}`" for v in Source.values) + ".")
    granskad: str = Field("", description="`ja` eller `nej`.")
    sammanslagna: str = Field("", description="`ja`: ta med sammanslagna dubbletter.")

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> ObservationFilterParams:
        """From a query string (or the command line's options): unknown keys are ignored."""
        return cls(**{name: str(params.get(name) or "") for name in cls.model_fields})

    def parsed(self) -> ObservationFilter:
        problems: list[str] = []
        week = self.vecka.strip()
        if week and (problem := week_problem(week)):
            problems.append(problem)
            week = ""
        area_raw = self.omrade.strip()
        source = self.kalla.strip()
        if source and source not in Source.values:
            problems.append(_("Okänd källa i filtret."))
            source = ""
        flt = ObservationFilter(
            week=week,
            since=_date_param(self.fran, problems),
            until=_date_param(self.till, problems),
            area=None if area_raw == "utanfor" else _int_param(area_raw, problems, "område"),
            outside_areas=area_raw == "utanfor",
            category=_int_param(self.kategori, problems, "kategori"),
            organisation=_int_param(self.organisation, problems, "organisation"),
            assessment=_int_param(self.bedomning, problems, "bedömning"),
            source=source,
            reviewed=_yes_no_param(self.granskad, problems, "granskad"),
            include_merged=bool(_yes_no_param(self.sammanslagna, problems, "sammanslagna")),
        )
        if flt.since and flt.until and flt.since > flt.until:
            # Refused rather than swapped or run as is (which lists nothing): say so, keep both.
            flt.period_error = _(
                "Från-datumet %(since)s ligger efter till-datumet %(until)s. Rätta datumen: "
                "perioden ska börja samma dag som den slutar eller tidigare."
            ) % {"since": flt.since.isoformat(), "until": flt.until.isoformat()}
            problems.append(flt.period_error)
        flt.problems = problems
        return flt

    def custom_expression(self) -> Q:
        return self.parsed().q()


def filter_from(params: Mapping[str, Any]) -> ObservationFilter:
    """Read the list filters from query parameters (Swedish names), leniently."""
    return ObservationFilterParams.of(params).parsed()


def can_read_all(actor: Actor) -> bool:
    return actor.has(READ_ALL_ROLES)


def can_read(actor: Actor) -> bool:
    return actor.has(READ_ROLES)


def _scoped(actor: Actor) -> QuerySet[Observation]:
    actor.require(READ_ROLES)
    qs = Observation.objects.filter(partnership=actor.partnership)
    if not actor.has(READ_ALL_ROLES):
        qs = qs.filter(organisation_id__in=actor.organisation_ids)
    return qs


def observations(actor: Actor, flt: ObservationFilter | None = None) -> QuerySet[Observation]:
    """The reports the actor may see, filtered; merged duplicates left out unless asked."""
    flt = flt or ObservationFilter()
    qs = _scoped(actor)
    if flt.problems:  # a filter that cannot be read shows nothing rather than everything
        return qs.none()
    qs = qs.filter(flt.q())
    # A list names each report's delområde but never draws it: its polygon (thousands of
    # points for a real one) is not read and decoded once per row.
    return (
        qs.select_related("category", "area", "place", "organisation")
        .defer("area__geometry")
        .order_by("-occurred_at", "-id")
    )


def observation(actor: Actor, pk: Any) -> Observation:
    """One report the actor may see. Another partnership's is NotFound, whatever the role."""
    return Observation.objects.fetch(
        actor,
        pk,
        lambda: _scoped(actor).select_related(
            "category", "area", "place", "organisation", "report", "report__reporter", "reviewed_by"
        ),
    )


def submitted_observations(report: Report) -> QuerySet[Observation]:
    """The incidents of a report just filed (or found again on a retry), as the API returns
    them."""
    return (
        Observation.objects.filter(partnership_id=report.partnership_id, report=report)
        .select_related("organisation", "category", "place", "area")
        .order_by("pk")
    )


def may_edit(actor: Actor, obs: Observation) -> bool:
    from samtrygg.observations.roles import REPORT_ROLES, REVIEW_ROLES

    if actor.has(REVIEW_ROLES):
        return True
    return actor.has(REPORT_ROLES) and obs.organisation_id in actor.organisation_ids


def report_siblings(actor: Actor, obs: Observation) -> QuerySet[Observation]:
    """The other incidents of the same report that the actor may see."""
    return _scoped(actor).filter(report_id=obs.report_id).exclude(pk=obs.pk).order_by("pk")


def duplicates_of(actor: Actor, obs: Observation) -> QuerySet[Observation]:
    return _scoped(actor).filter(merged_into=obs).order_by("pk")


def duplicate_candidates(actor: Actor, obs: Observation, limit: int = 5) -> list[Observation]:
    """Possible duplicates: same category, within a day, same delområde (or near by cell)."""
    if obs.merged_into_id is not None:
        return []
    near = Q(area_id=obs.area_id) if obs.area_id else Q(h3_cell=obs.h3_cell)
    qs = (
        _scoped(actor)
        .filter(
            near,
            category_id=obs.category_id,
            merged_into__isnull=True,
            occurred_on__gte=obs.occurred_on - dt.timedelta(days=1),
            occurred_on__lte=obs.occurred_on + dt.timedelta(days=1),
        )
        .exclude(pk=obs.pk)
        .select_related("organisation", "place", "area")
        .order_by("occurred_at")
    )
    return list(qs[:limit])


def history(actor: Actor, obs: Observation) -> QuerySet[AuditEntry]:
    """The audit trail of one report: created, changed, reviewed, merged, viewed."""
    _scoped(actor)
    return (
        AuditEntry.objects.filter(partnership=actor.partnership)
        .filter(
            Q(model=Observation._meta.label, object_id=str(obs.pk))
            | Q(model=Report._meta.label, object_id=str(obs.report_id))
        )
        .order_by("at", "id")
    )


# --- Vocabulary -----------------------------------------------------------------------------


def categories(actor: Actor, *, include_retired: bool = True) -> QuerySet[Category]:
    qs = Category.objects.filter(partnership=actor.partnership)
    if not include_retired:
        qs = qs.filter(retired_at__isnull=True)
    return qs.order_by("sort_order", "name")


def categories_with_use(actor: Actor) -> QuerySet[Category]:
    return categories(actor).annotate(
        use_count=Count("observations", distinct=True),
        police_type_count=Count("police_types", distinct=True),
    )


def category(actor: Actor, pk: Any) -> Category:
    return Category.objects.fetch(actor, pk, lambda: categories(actor))


def police_type_mappings(actor: Actor) -> QuerySet[PoliceTypeMapping]:
    return (
        PoliceTypeMapping.objects.filter(partnership=actor.partnership)
        .select_related("category")
        .order_by("-needs_review", "police_type")
    )


def police_type_mapping(actor: Actor, pk: Any) -> PoliceTypeMapping:
    return PoliceTypeMapping.objects.fetch(actor, pk, lambda: police_type_mappings(actor))


def unmapped_police_types(actor: Actor) -> QuerySet[PoliceTypeMapping]:
    """Police event types that count in no category (kept, and listed for the samordnare)."""
    return police_type_mappings(actor).filter(Q(category__isnull=True) | Q(needs_review=True))


def police_type_categories(partnership: Partnership) -> dict[str, str | None]:
    """Police event type → category name in this partnership (None when unmapped).

    For the police events import; covers every type in the shipped list and every type noted
    since (``services.note_police_types``). The shipped defaults are made with the
    partnership (``services.ensure_defaults``); a read never writes them.
    """
    rows = PoliceTypeMapping.objects.filter(partnership=partnership).values_list(
        "police_type", "category__name"
    )
    return dict(rows)


def time_bands(partnership: Partnership) -> list[TimeBand]:
    """The partnership's time bands (the shipped ones until it has saved its own)."""
    settings = ReportingSettings.objects.filter(partnership=partnership).first()
    return bands_from_config(settings.time_bands if settings else default_time_bands())


def reportable_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations the actor may file reports for."""
    from samtrygg.observations.roles import REVIEW_ROLES

    qs = Organisation.objects.filter(partnership=actor.partnership).order_by("name")
    if actor.has(REVIEW_ROLES):
        return qs
    return qs.filter(pk__in=actor.organisation_ids)


def visible_organisations(actor: Actor) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(partnership=actor.partnership).order_by("name")
    if actor.has(READ_ALL_ROLES):
        return qs
    return qs.filter(pk__in=actor.organisation_ids)


def import_job(actor: Actor, task_id: str) -> JobRun:
    """A background import of the actor's partnership, by its task id, if the actor may
    read it (the records' read rules, see core.queries.job_runs)."""
    from samtrygg.core.queries import job_runs

    found = (
        job_runs(actor)
        .filter(
            task_id=str(task_id)[:64],
            partnership=actor.partnership,
            name="samtrygg.observations.import_file",
        )
        .first()
    )
    if found is None:
        raise NotFound(_("Posten finns inte."))
    return found


# --- Aggregates for every role --------------------------------------------------------------


def summary_counts(
    actor: Actor, *, since: dt.date | None = None, period: str = "month"
) -> list[PublicCount]:
    """Counts per delområde and period, small counts suppressed (core.aggregation).

    What a role without access to single reports (styrgrupp) may see.
    """
    qs = Observation.objects.filter(partnership=actor.partnership, merged_into__isnull=True)
    if since:
        qs = qs.filter(occurred_on__gte=since)
    records = (
        PublicRecord(area=area, occurred=occurred)
        for area, occurred in qs.values_list("area__name", "occurred_at").iterator()
    )
    return public_counts(
        records,
        period=period,  # type: ignore[arg-type]
        min_count=actor.partnership.min_public_count,
    )


def organisations_without_reports(
    partnership: Partnership, since: dt.datetime, until: dt.datetime
) -> QuerySet[Organisation]:
    """Organisations with reporters that have filed no report in [since, until)."""
    reported = Report.objects.filter(
        partnership=partnership, created_at__gte=since, created_at__lt=until
    ).values("organisation_id")
    return (
        Organisation.objects.filter(partnership=partnership, memberships__role="rapportor")
        .exclude(pk__in=reported)
        .distinct()
        .order_by("name")
    )
