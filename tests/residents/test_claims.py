"""Claims and fact answers: the proposed data check, versions, the second person's approval
(the kommunpolis when police data is used) and the public page with its chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.observations import services as observations
from samtrygg.residents import services
from samtrygg.residents.models import Claim

pytestmark = pytest.mark.django_db


def _week(days_back: int = 7) -> str:
    year, week, _day = (timezone.localdate() - dt.timedelta(days=days_back)).isocalendar()
    return f"{year}-W{week:02d}"


def _reports(orsa: Any, actor: Any, count: int, days_back: int) -> None:
    day = timezone.localdate() - dt.timedelta(days=days_back)
    monday = day - dt.timedelta(days=day.weekday())
    incidents = [
        observations.IncidentInput(
            category="klotter",
            occurred_on=str(monday + dt.timedelta(days=n % 5)),
            time_band="kvall",
            place=orsa.place.pk,
            description="Klotter på muren.",
            assessment=2,
        )
        for n in range(count)
    ]
    observations.submit_report(actor, incidents, organisation=orsa.organisation)


def _claim(orsa: Any, actor: Any, area: Any = None) -> Claim:
    klotter = orsa.partnership.observation_categories.get(slug="klotter")
    return services.record_claim(
        actor,
        services.ClaimInput(
            channel="sociala_medier",
            seen_on=timezone.localdate(),
            area=area.pk if area else None,
            period=_week(),
            categories=[klotter.pk],
            wording="Klottret har exploderat i centrum den senaste veckan.",
        ),
    )


def test_the_check_counts_the_area_against_its_baseline(orsa: Any, actor_of: Any) -> None:
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    _reports(orsa, actor, 6, days_back=7)
    claim = _claim(orsa, actor, area=orsa.area)
    check = claim.data_check
    assert check["observed"] == 6 and check["place"] == orsa.area.name
    assert check["series"][-1] == {"label": _week(), "count": 6, "role": "current"}
    assert "police_kommun_only" in check["limits"] and "unreported" in check["limits"]
    assert check["categories"] == ["Klotter"]


def test_claims_with_names_or_bad_periods_are_refused(orsa: Any, actor_of: Any) -> None:
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    with pytest.raises(DomainError) as refused:
        services.record_claim(
            actor,
            services.ClaimInput(
                channel="sociala_medier",
                seen_on=timezone.localdate(),
                period="vecka förra",
                categories=[],
                wording="Johan Andersson klottrar överallt.",
            ),
        )
    fields = {e.field for e in refused.value.errors}  # type: ignore[attr-defined]
    assert {"period", "categories", "wording"} <= fields
    assert Claim.objects.count() == 0


def test_answer_versions_and_approval_by_a_second_person(
    orsa: Any, actor_of: Any, login: Any
) -> None:
    samordnare = actor_of(orsa.user("samordnare"), orsa.partnership)
    polis = actor_of(orsa.user("kommunpolis"), orsa.partnership)
    claim = _claim(orsa, samordnare)
    first = services.write_answer(
        samordnare,
        claim,
        verdict="stammer_inte",
        text="Rapporterna visar inte mer klotter än vanligt i centrum.",
        sources="Samverkansparternas rapporter.",
    )
    with pytest.raises(PermissionDenied):
        services.approve_answer(samordnare, first)
    with pytest.raises(PermissionDenied):
        services.write_answer(polis, claim, verdict="stammer", text="Text.", sources="Källa.")
    second = services.write_answer(
        samordnare,
        claim,
        verdict="kan_inte_bedomas",
        text="Det finns för lite data för att bedöma påståendet.",
        sources="Samverkansparternas rapporter.",
    )
    assert second.version == 2
    with pytest.raises(DomainError):
        services.approve_answer(polis, first)  # not the newest
    services.approve_answer(polis, second)
    claim.refresh_from_db()
    assert claim.published_at is not None
    client = login(orsa.user("analytiker"), orsa.partnership)
    client.logout()
    page = client.get(f"/p/2034/fakta/{claim.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kan inte bedömas" in html and "för lite data" in html
    assert 'data-chart="chart-' in html and "<table" in html  # the chart and its table
    assert "svar efter 0 dagar" in html
    assert client.get("/p/2034/fakta/").status_code == 200
    assert client.get(f"/p/0662/fakta/{claim.pk}/").status_code == 404
    api = client.get("/api/v1/partnerships/2034/public/facts").json()
    assert api["items"][0]["verdict"] == "kan_inte_bedomas"


def test_police_data_needs_the_kommunpolis(orsa: Any, actor_of: Any) -> None:
    from samtrygg.residents.models import FactAnswer

    samordnare = actor_of(orsa.user("samordnare"), orsa.partnership)
    claim = _claim(orsa, samordnare)
    answer = services.write_answer(
        samordnare, claim, verdict="stammer", text="Det stämmer.", sources="Polisen."
    )
    FactAnswer.objects.filter(pk=answer.pk).update(uses_police_data=True)
    answer.refresh_from_db()
    other = orsa.user("administrator")
    from samtrygg.core import services as core
    from samtrygg.core.dataio import system_actor

    core.add_membership(
        system_actor(orsa.partnership),
        user=other,
        organisation=orsa.organisation,
        role="samordnare",
    )
    second_samordnare = actor_of(other, orsa.partnership)
    with pytest.raises(PermissionDenied) as refused:
        services.approve_answer(second_samordnare, answer)
    assert "kommunpolisen" in refused.value.message
    services.approve_answer(actor_of(orsa.user("kommunpolis"), orsa.partnership), answer)
