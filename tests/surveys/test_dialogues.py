"""Dialogues: participants in aggregate, themes coded to categories, a screened summary; and
both dialogues and survey results offered as evidence through the registry."""

from __future__ import annotations

from typing import Any

import pytest

from samtrygg.core.errors import DomainError
from samtrygg.core.evidence import evidence_kind, resolve_evidence
from samtrygg.surveys import services
from samtrygg.surveys.models import Dialogue, DialogueTheme
from tests.surveys.conftest import microdata

pytestmark = pytest.mark.django_db


def _spec(orsa: Any, **kw: Any) -> services.DialogueSpec:
    categories = list(orsa.partnership.observation_categories.all()[:2])
    fields: dict[str, Any] = {
        "title": "Medborgardialog i centrum",
        "held_on": "2026-03-04",
        "format": "medborgardialog",
        "organisers": "Kommunen och polisen",
        "participants": "25",
        "area": orsa.area.pk,
        "summary": "Mörkt vid busstationen på kvällarna.",
        "by_gender": {"kvinnor": "12", "man": "11"},
        "by_age": {"16-24": "5"},
        "themes": {categories[0].pk: "7", categories[1].pk: ""},
    }
    return services.DialogueSpec(**(fields | kw))


def test_a_dialogue_is_saved_with_themes_and_breakdowns(orsa: Any, coordinator: Any) -> None:
    dialogue = services.create_dialogue(coordinator, _spec(orsa))
    assert dialogue.participants == 25
    assert dialogue.participants_by_gender == {"kvinnor": 12, "man": 11}
    assert [(t.category.name, t.mentions) for t in dialogue.themes.all()] == [
        (orsa.partnership.observation_categories.first().name, 7)
    ]
    updated = services.update_dialogue(coordinator, dialogue, _spec(orsa, themes={}))
    assert not updated.themes.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "Kontakta Anna Andersson på 070-1234567."}, "summary"),
        ({"summary": "Personnumret 19800101-1231 nämndes."}, "summary"),
        ({"participants": "tio"}, "participants"),
        ({"by_gender": {"kvinnor": "30"}}, "gender_kvinnor"),
        ({"format": "mote"}, "format"),
        ({"held_on": "4 mars"}, "held_on"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    orsa: Any, coordinator: Any, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.create_dialogue(coordinator, _spec(orsa, **change))
    assert refused.value.field == field
    assert not Dialogue.objects.exists() and not DialogueTheme.objects.exists()


def test_another_partnerships_category_is_refused(
    orsa: Any, gislaved: Any, coordinator: Any
) -> None:
    foreign = gislaved.partnership.observation_categories.first()
    with pytest.raises(DomainError):
        services.create_dialogue(coordinator, _spec(orsa, themes={foreign.pk: 3}))


def test_a_reader_may_not_record_a_dialogue(orsa: Any, actor_of: Any) -> None:
    analyst = actor_of(orsa.user("analytiker"), orsa.partnership)
    with pytest.raises(DomainError):
        services.create_dialogue(analyst, _spec(orsa))


def test_dialogues_and_results_are_evidence_kinds(
    orsa: Any, gislaved: Any, coordinator: Any, actor_of: Any
) -> None:
    dialogue = services.create_dialogue(coordinator, _spec(orsa))
    wave = services.import_responses(
        coordinator, microdata([{"T1": 1}] * 30), "s.csv", survey="S", year=2025, sample="random"
    ).wave
    kind = evidence_kind("dialogue")
    assert kind is not None
    assert [item.id for item in kind.candidates(coordinator)] == [dialogue.pk]
    item = resolve_evidence(coordinator, "dialogue", dialogue.pk)
    assert item is not None and item.url == f"/dialoger/{dialogue.pk}/"
    assert "Medborgardialog" in item.label
    result = resolve_evidence(coordinator, "survey-result", wave.pk)
    assert result is not None and result.url == f"/trygghetsmatningar/{wave.pk}/"
    results = evidence_kind("survey-result")
    assert results is not None and [i.id for i in results.candidates(coordinator)] == [wave.pk]
    other = actor_of(gislaved.user("samordnare"), gislaved.partnership)
    assert resolve_evidence(other, "dialogue", dialogue.pk) is None
    assert resolve_evidence(other, "survey-result", wave.pk) is None
    admin = actor_of(orsa.user("administrator"), orsa.partnership)
    assert resolve_evidence(admin, "dialogue", dialogue.pk) is None
