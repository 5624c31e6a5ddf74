"""Dialogues and survey results offered as evidence (samtrygg.core.evidence): a problem, the
statutory lägesbild's "annan information" and a promise's basis attach them by kind and id."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samtrygg.core.errors import NotFound
from samtrygg.core.evidence import EvidenceItem, EvidenceKind, register_evidence_kind
from samtrygg.core.permissions import Actor
from samtrygg.surveys import queries
from samtrygg.surveys.models import Dialogue, Wave
from samtrygg.surveys.permissions import READ_ROLES


def _dialogue_item(item: Dialogue) -> EvidenceItem:
    where = f", {item.area.name}" if item.area else ""
    return EvidenceItem(
        kind="dialogue",
        id=item.pk,
        label=f"{item.get_format_display()}: {item.title}{where} ({item.held_on:%Y-%m-%d})",
        url=reverse("dialogue-detail", args=[item.pk]),
        date=item.held_on,
    )


def _wave_item(item: Wave) -> EvidenceItem:
    label = _("%(survey)s %(year)d, %(sample)s") % {
        "survey": item.survey.name,
        "year": item.year,
        "sample": item.get_sample_display().lower(),
    }
    return EvidenceItem(
        kind="survey-result",
        id=item.pk,
        label=label,
        url=reverse("survey-wave", args=[item.pk]),
        date=None,
    )


def dialogue_candidates(actor: Actor) -> Iterable[EvidenceItem]:
    if not actor.has(READ_ROLES):
        return []
    return [_dialogue_item(d) for d in queries.dialogues(actor)[:200]]


def resolve_dialogue(actor: Actor, record_id: int) -> EvidenceItem | None:
    if not actor.has(READ_ROLES):
        return None
    try:
        return _dialogue_item(queries.dialogue(actor, record_id))
    except NotFound:
        return None


def result_candidates(actor: Actor) -> Iterable[EvidenceItem]:
    if not actor.has(READ_ROLES):
        return []
    return [_wave_item(w) for w in queries.waves_with_answers(actor)[:200]]


def resolve_result(actor: Actor, record_id: int) -> EvidenceItem | None:
    if not actor.has(READ_ROLES):
        return None
    try:
        return _wave_item(queries.wave(actor, record_id))
    except NotFound:
        return None


def register() -> None:
    register_evidence_kind(
        EvidenceKind(
            key="dialogue",
            label=str(gettext_lazy("Dialog")),
            candidates=dialogue_candidates,
            resolve=resolve_dialogue,
        )
    )
    register_evidence_kind(
        EvidenceKind(
            key="survey-result",
            label=str(gettext_lazy("Resultat av trygghetsundersökning")),
            candidates=result_candidates,
            resolve=resolve_result,
        )
    )
