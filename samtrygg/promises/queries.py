"""Reads of agreements, promises and follow-ups, scoped to the actor's partnership; and the
public reads of a partnership's published promise (no actor: what anyone may see)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from samtrygg.core.models import Partnership
from samtrygg.core.permissions import Actor
from samtrygg.core.tenancy import get_or_404
from samtrygg.promises.models import (
    AgreementAnnex,
    CitizenPromise,
    CooperationAgreement,
    DocumentStatus,
    FocusArea,
    FollowUp,
    FollowUpItem,
    PromiseItem,
    Signature,
)
from samtrygg.promises.permissions import READ_ROLES
from samtrygg.promises.state import is_signed, status_of
from samtrygg.statutory import queries as statutory
from samtrygg.statutory.permissions import READ_ROLES as STATUTORY_READ_ROLES

# --- Agreements -------------------------------------------------------------------------------


def agreements(actor: Actor) -> QuerySet[CooperationAgreement]:
    actor.require(READ_ROLES)
    return (
        CooperationAgreement.objects.for_actor(actor)
        .select_related("partnership__municipality", "partnership__police_area")
        .prefetch_related("signatures")
        .order_by("-starts_on", "-version", "-id")
    )


def agreement(actor: Actor, pk: Any) -> CooperationAgreement:
    return CooperationAgreement.objects.fetch(
        actor, pk, lambda: agreements(actor).prefetch_related("annexes__picture")
    )


def annex(actor: Actor, pk: Any) -> AgreementAnnex:
    return AgreementAnnex.objects.fetch(
        actor, pk, lambda: AgreementAnnex.objects.for_actor(actor).select_related("agreement")
    )


# --- Promises ---------------------------------------------------------------------------------


def promises(actor: Actor) -> QuerySet[CitizenPromise]:
    actor.require(READ_ROLES)
    return (
        CitizenPromise.objects.for_actor(actor)
        .select_related("partnership__municipality", "partnership__police_area", "agreement")
        .prefetch_related("signatures")
        .order_by("-starts_on", "-version", "-id")
    )


def promise(actor: Actor, pk: Any) -> CitizenPromise:
    return CitizenPromise.objects.fetch(actor, pk, lambda: promises(actor))


def items_of(document: CitizenPromise) -> QuerySet[PromiseItem]:
    return (
        PromiseItem.objects.filter(promise=document)
        .select_related(
            "focus_area", "organisation", "promise__partnership", "plan_item", "problem"
        )
        .prefetch_related("rule_areas")
        .order_by("number", "id")
    )


def focus_areas_of(document: CitizenPromise) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(promise=document).order_by("number", "id")


def item(actor: Actor, pk: Any) -> PromiseItem:
    actor.require(READ_ROLES)
    return PromiseItem.objects.fetch(
        actor,
        pk,
        lambda: PromiseItem.objects.for_actor(actor).select_related(
            "promise__partnership", "focus_area", "organisation"
        ),
    )


def focus_area(actor: Actor, pk: Any) -> FocusArea:
    actor.require(READ_ROLES)
    return FocusArea.objects.fetch(
        actor, pk, lambda: FocusArea.objects.for_actor(actor).select_related("promise")
    )


def signature(actor: Actor, pk: Any) -> Signature:
    actor.require(READ_ROLES)
    own = Signature.objects.filter(
        Q(agreement__partnership=actor.partnership) | Q(promise__partnership=actor.partnership)
    ).select_related("agreement", "promise")
    return get_or_404(own, pk)


def versions_of(document: Any) -> list[Any]:
    """Every version of a document, oldest first (following ``supersedes`` both ways)."""
    model = type(document)
    first = document
    while first.supersedes_id:
        first = model.objects.get(pk=first.supersedes_id)
    chain = [first]
    while True:
        later = model.objects.filter(supersedes=chain[-1]).first()
        if later is None:
            return chain
        chain.append(later)


def refreshed(document: Any) -> Any:
    """The document read again with its signatures (after a write)."""
    return type(document).objects.prefetch_related("signatures").get(pk=document.pk)


def open_draft_version(document: Any) -> Any:
    return type(document).objects.filter(supersedes=document).first()


# --- Follow-ups -------------------------------------------------------------------------------


def follow_ups(actor: Actor, document: CitizenPromise | None = None) -> QuerySet[FollowUp]:
    actor.require(READ_ROLES)
    qs = FollowUp.objects.for_actor(actor).select_related("promise")
    if document is not None:
        qs = qs.filter(promise=document)
    return qs.order_by("-period_end", "-id")


def follow_up(actor: Actor, pk: Any) -> FollowUp:
    return FollowUp.objects.fetch(
        actor,
        pk,
        lambda: follow_ups(actor).prefetch_related(
            Prefetch(
                "entries",
                queryset=FollowUpItem.objects.select_related("item").order_by("item__number"),
            )
        ),
    )


def follow_up_entry(actor: Actor, pk: Any) -> FollowUpItem:
    actor.require(READ_ROLES)
    return FollowUpItem.objects.fetch(
        actor,
        pk,
        lambda: FollowUpItem.objects.for_actor(actor).select_related("follow_up", "item"),
    )


def adoptable_pictures(actor: Actor) -> QuerySet[Any]:
    """The partnership's adopted lägesbilder, to attach as an annex."""
    from samtrygg.situation.models import PictureStatus, SituationPicture

    return SituationPicture.objects.filter(
        partnership=actor.partnership, status=PictureStatus.ADOPTED
    ).order_by("-adopted_at", "-id")[:50]


# --- Public reads (no login) ------------------------------------------------------------------


def _signed(qs: QuerySet[Any]) -> list[Any]:
    return [document for document in qs if is_signed(document)]


def public_promises(partnership: Partnership) -> list[CitizenPromise]:
    """The partnership's signed promises that are not replaced by a later version, newest
    first (drafts are never public)."""
    return public_promises_for([partnership])[partnership.pk]


def public_promises_for(
    partnerships: Sequence[Partnership],
) -> dict[int, list[CitizenPromise]]:
    """:func:`public_promises` of each partnership, by its id, in a fixed number of queries
    however many (the county pages read a whole län at once)."""
    found = (
        CitizenPromise.objects.filter(partnership__in=partnerships)
        .select_related("partnership__municipality", "partnership__police_area")
        .prefetch_related("signatures", "superseded_by__signatures", "focus_areas")
        .order_by("-starts_on", "-version", "-id")
    )
    shown: dict[int, list[CitizenPromise]] = {p.pk: [] for p in partnerships}
    for document in found:
        if not is_signed(document):
            continue
        later = getattr(document, "superseded_by", None) if _has_later(document) else None
        if later is not None and is_signed(later):
            continue
        shown[document.partnership_id].append(document)
    return shown


def _has_later(document: Any) -> bool:
    try:
        document.superseded_by  # noqa: B018 - the reverse one-to-one raises when there is none
    except type(document).superseded_by.RelatedObjectDoesNotExist:
        return False
    return True


def current_promise(
    partnership: Partnership, today: dt.date | None = None
) -> tuple[CitizenPromise | None, list[CitizenPromise]]:
    """The promise in force (or, when none is, the next one to come) and the earlier ones."""
    return current_of(public_promises(partnership), today)


def current_of(
    shown: list[CitizenPromise], today: dt.date | None = None
) -> tuple[CitizenPromise | None, list[CitizenPromise]]:
    """Of a partnership's public promises (newest first): the one in force, or when none is,
    the next to come; and the earlier ones."""
    today = today or timezone.localdate()
    current = next((p for p in shown if p.starts_on <= today <= p.ends_on), None)
    if current is None:
        coming = [p for p in shown if p.starts_on > today]
        current = coming[-1] if coming else None
    earlier = [p for p in shown if p.ends_on < today and p is not current]
    return current, earlier


def published_follow_ups(document: CitizenPromise) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(promise=document, adopted_at__isnull=False).order_by(
            "-period_end", "-id"
        )
    )


def public_status(document: Any, today: dt.date | None = None) -> str:
    return status_of(document, today)


def validity(partnership: Partnership) -> dict[str, dt.date | None]:
    """For the county overview: until when the signed agreement and promise in force are
    valid, and when a follow-up was last published (a few queries)."""
    today = timezone.localdate()

    def valid_to(model: Any) -> dt.date | None:
        candidates = (
            model.objects.filter(partnership=partnership, starts_on__lte=today, ends_on__gte=today)
            .prefetch_related("signatures")
            .order_by("-ends_on")
        )
        signed = _signed(candidates)
        return signed[0].ends_on if signed else None

    last = (
        FollowUp.objects.filter(partnership=partnership, adopted_at__isnull=False)
        .order_by("-adopted_at")
        .values_list("adopted_at", flat=True)
        .first()
    )
    return {
        "agreement_valid_to": valid_to(CooperationAgreement),
        "promise_valid_to": valid_to(CitizenPromise),
        "last_follow_up_published": timezone.localdate(last) if last else None,
    }


def validity_for(partnerships: Iterable[Partnership]) -> dict[int, dict[str, dt.date | None]]:
    """:func:`validity` of each partnership, by its id, in five queries however many (the
    documents in force with their signatures, and the latest published follow-ups)."""
    ids = [p.pk for p in partnerships]
    if not ids:
        return {}
    today = timezone.localdate()

    def valid_to(model: Any) -> dict[int, dt.date]:
        latest: dict[int, dt.date] = {}
        in_force = model.objects.filter(
            partnership_id__in=ids, starts_on__lte=today, ends_on__gte=today
        ).prefetch_related("signatures")
        for document in _signed(in_force):
            known = latest.get(document.partnership_id)
            if known is None or document.ends_on > known:
                latest[document.partnership_id] = document.ends_on
        return latest

    agreements, promises = valid_to(CooperationAgreement), valid_to(CitizenPromise)
    last: dict[int, dt.datetime] = dict(
        FollowUp.objects.filter(partnership_id__in=ids, adopted_at__isnull=False)
        .order_by()
        .values("partnership_id")
        .annotate(last=Max("adopted_at"))
        .values_list("partnership_id", "last")
    )
    return {
        pk: {
            "agreement_valid_to": agreements.get(pk),
            "promise_valid_to": promises.get(pk),
            "last_follow_up_published": timezone.localdate(last[pk]) if pk in last else None,
        }
        for pk in ids
    }


def status_counts(actor: Actor) -> dict[str, int]:
    counts = dict.fromkeys(DocumentStatus.values, 0)
    for document in promises(actor):
        counts[status_of(document)] += 1
    return counts


# --- Links to the statutory work (problems and the åtgärdsplan) ----------------------------------


def may_open_problems(actor: Actor) -> bool:
    """Whether the actor's roles open the problem and åtgärdsplan pages (else the links show
    as plain titles)."""
    return actor.has(STATUTORY_READ_ROLES)


def problem_choices(actor: Actor) -> list[Any]:
    """The partnership's own problems to choose from (none for a role that may not read them)."""
    return list(statutory.problems(actor)) if may_open_problems(actor) else []


def plan_item_choices(actor: Actor) -> list[Any]:
    """The partnership's own åtgärdsplan items to choose from."""
    return list(statutory.plan_items(actor)) if may_open_problems(actor) else []
