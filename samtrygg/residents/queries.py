"""Reads of tips, claims and fact answers: the queue and the claims scoped to the actor's
partnership (samordnare and kommunpolis), and the public reads a page without login may make
(published answers, public categories, reviewed Open311 requests without text or contact).
A read never writes: settings and category flags that were never saved read as defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.errors import NotFound
from samtrygg.core.models import Area, Partnership, Place
from samtrygg.core.permissions import COORDINATING_ROLES, Actor
from samtrygg.core.queries import narrowed
from samtrygg.core.tenancy import record_id
from samtrygg.observations.models import Category
from samtrygg.residents import categories as defaults
from samtrygg.residents.models import (
    Claim,
    FactAnswer,
    PublicCategory,
    ResidentSettings,
    Tip,
    TipStatus,
)

QUEUE_ROLES = COORDINATING_ROLES
# A tip still new after this many days is flagged in the queue.
STALE_DAYS = 7


def settings_of(partnership: Partnership) -> ResidentSettings:
    """The partnership's settings, or unsaved defaults (a read creates nothing)."""
    found = ResidentSettings.objects.filter(partnership=partnership).first()
    return found or ResidentSettings(partnership=partnership)


@dataclass(frozen=True)
class Service:
    """A category as residents and Open311 see it."""

    category: Category
    is_public: bool
    open311: bool
    description: str
    keywords: str
    group: str

    @property
    def code(self) -> str:
        return self.category.slug

    @property
    def name(self) -> str:
        return self.category.name


def services_of(partnership: Partnership) -> list[Service]:
    """Every category of the partnership that is in use, with its public flags."""
    rows = {row.category_id: row for row in PublicCategory.objects.filter(partnership=partnership)}
    out = []
    for category in Category.objects.filter(
        partnership=partnership, retired_at__isnull=True
    ).order_by("sort_order", "name"):
        row = rows.get(category.pk)
        slug = category.slug
        default_open311 = slug in defaults.OPEN311_DEFAULT
        out.append(
            Service(
                category=category,
                is_public=row.is_public if row else slug in defaults.PUBLIC_DEFAULT,
                open311=row.open311 if row else default_open311,
                description=(row.description if row and row.description else "")
                or defaults.DESCRIPTIONS.get(slug, ""),
                keywords=(row.keywords if row and row.keywords else "")
                or defaults.KEYWORDS.get(slug, ""),
                group=(row.group if row and row.group else "")
                or (defaults.PHYSICAL_GROUP if default_open311 else defaults.PLACES_GROUP),
            )
        )
    return out


def public_services(partnership: Partnership) -> list[Service]:
    return [s for s in services_of(partnership) if s.is_public]


def open311_services(partnership: Partnership) -> list[Service]:
    return [s for s in services_of(partnership) if s.open311 and s.is_public]


def time_bands(partnership: Partnership) -> list[Any]:
    """The partnership's time bands, or the defaults when none are saved (a read saves none)."""
    from samtrygg.observations.models import ReportingSettings, default_time_bands
    from samtrygg.observations.timebands import bands_from_config

    saved = ReportingSettings.objects.filter(partnership=partnership).first()
    return bands_from_config(saved.time_bands if saved else default_time_bands())


def public_places(partnership: Partnership) -> QuerySet[Place]:
    return Place.objects.filter(partnership=partnership).order_by("name")


def areas_of(partnership: Partnership) -> QuerySet[Area]:
    return Area.objects.filter(partnership=partnership).order_by("name")


def categories_of(partnership: Partnership) -> QuerySet[Category]:
    return Category.objects.filter(partnership=partnership, retired_at__isnull=True).order_by(
        "sort_order", "name"
    )


# --- The samordnare's queue -------------------------------------------------------------------


def tips(actor: Actor, status: str = "") -> QuerySet[Tip]:
    actor.require(QUEUE_ROLES)
    qs = Tip.objects.for_actor(actor).select_related("category", "area", "place")
    if status in TipStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status" if not status else "-created_at", "created_at", "id")


def open_tips(actor: Actor) -> QuerySet[Tip]:
    return tips(actor, TipStatus.NEW).order_by("created_at", "id")


def tip(actor: Actor, pk: Any) -> Tip:
    """One tip: 404 outside the partnership (for every role), 403 for a role without the queue."""
    found: Tip = Tip.objects.fetch(
        actor,
        pk,
        lambda: tips(actor).select_related("handled_by"),
    )
    return found


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=STALE_DAYS)


def is_stale(found: Tip, now: dt.datetime | None = None) -> bool:
    return found.status == TipStatus.NEW and found.created_at < stale_before(now)


def counts(actor: Actor) -> dict[str, int]:
    """Open and stale tips (the queue's heading and the start page)."""
    open_qs = Tip.objects.for_actor(actor).filter(status=TipStatus.NEW)
    return {
        "open": open_qs.count(),
        "stale": open_qs.filter(created_at__lt=stale_before()).count(),
    }


# --- Claims and answers -----------------------------------------------------------------------


def _with_answers(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    return qs.select_related("area", "created_by").prefetch_related(
        "categories",
        Prefetch(
            "answers",
            queryset=FactAnswer.objects.select_related("written_by", "approved_by").order_by(
                "-version"
            ),
        ),
    )


def claims(actor: Actor) -> QuerySet[Claim]:
    actor.require(QUEUE_ROLES)
    return _with_answers(Claim.objects.for_actor(actor)).order_by("-seen_on", "-id")


def claim(actor: Actor, pk: Any) -> Claim:
    found: Claim = Claim.objects.fetch(actor, pk, lambda: claims(actor))
    return found


def answer(actor: Actor, pk: Any) -> FactAnswer:
    found: FactAnswer = FactAnswer.objects.fetch(actor, pk, lambda: _answers(actor))
    return found


def _answers(actor: Actor) -> QuerySet[FactAnswer]:
    actor.require(QUEUE_ROLES)
    return FactAnswer.objects.for_actor(actor).select_related("claim")


def newest_version(found: Claim) -> int:
    return int(found.answers.aggregate(n=Max("version"))["n"] or 0)


def published_answer(found: Claim) -> FactAnswer | None:
    """The newest approved version of the claim's answer (None: nothing published)."""
    for version in found.answers.all():  # newest first (prefetched)
        if version.approved_at is not None:
            return version
    return None


def pending_answer(found: Claim) -> FactAnswer | None:
    """The newest version when it still waits for approval."""
    versions = list(found.answers.all())
    if versions and versions[0].approved_at is None:
        return versions[0]
    return None


# --- Public reads ----------------------------------------------------------------------------


def published_claims(partnership: Partnership) -> QuerySet[Claim]:
    return _with_answers(
        Claim.objects.filter(partnership=partnership, published_at__isnull=False)
    ).order_by("-published_at", "-id")


def published_claim(partnership: Partnership, pk: Any) -> Claim:
    found = published_claims(partnership).filter(pk=record_id(pk)).first()
    if found is None:
        raise NotFound(_("Faktasvaret finns inte."))
    return found


OPEN311_LISTED = (TipStatus.CONVERTED, TipStatus.FORWARDED, TipStatus.CLOSED)


def open311_requests(
    partnership: Partnership,
    *,
    ids: list[int] | None = None,
    service_code: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: str = "",
    limit: int = 1000,
) -> list[Tip]:
    """Reviewed requests (never new ones) for Open311's GET, filtered as the standard says."""
    qs = Tip.objects.filter(partnership=partnership, status__in=OPEN311_LISTED).select_related(
        "category", "area"
    )
    qs = narrowed(
        qs,
        pk__in=ids,
        category__slug__in=service_code,
        created_at__gte=start,
        created_at__lte=end,
    )
    if status == "open":
        qs = qs.filter(status=TipStatus.FORWARDED)
    elif status == "closed":
        qs = qs.filter(status__in=(TipStatus.CONVERTED, TipStatus.CLOSED))
    return list(qs.order_by("-created_at", "-id")[:limit])


def tip_in(partnership: Partnership, pk: Any) -> Tip | None:
    """A tip of the partnership by id (for Open311's answer after POST), or None."""
    try:
        number = record_id(pk)
    except NotFound:
        return None
    return Tip.objects.filter(partnership=partnership, pk=number).first()
