"""The pages of agreements, promises and follow-ups: each role sees them, a coordinator
drafts and signs through the forms, a refusal keeps what was typed and saves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.dataio import system_actor
from samtrygg.promises import queries, services
from samtrygg.promises.models import CitizenPromise, PromiseItem, Signature
from tests.promises.support import draft_promise, sign_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["samordnare", "kommunpolis", "rapportor", "styrgrupp"])
def test_every_page_opens_for_each_role(role: str, orsa: Any, login: Any) -> None:
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    follow_up = services.start_follow_up(system_actor(orsa.partnership), promise)
    agreement = services.create_agreement(
        system_actor(orsa.partnership),
        services.AgreementSpec(
            title="Överenskommelse 2023–2026", starts_on="2023-01-01", ends_on="2026-12-31"
        ),
    )
    client = login(orsa.user(role), orsa.partnership)
    pages = [
        reverse("promise-list"),
        reverse("promise-detail", args=[promise.pk]),
        reverse("follow-up-detail", args=[follow_up.pk]),
        reverse("agreement-list"),
        reverse("agreement-detail", args=[agreement.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    text = client.get(reverse("promise-detail", args=[promise.pk])).content.decode()
    assert "Vi genomför trygghetsvandringar." in text
    writes = role in ("samordnare", "kommunpolis")
    assert ('name="action" value="new_version"' in text) == writes
    pdf = client.get(reverse("promise-pdf", args=[promise.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("follow-up-pdf", args=[follow_up.pk])).content.startswith(b"%PDF")


def test_a_coordinator_drafts_and_signs_through_the_pages(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        reverse("promise-list"),
        {"title": "Medborgarlöfte 2026", "starts_on": "2026-01-15", "basis_tags": ["tips"]},
    )
    promise = CitizenPromise.objects.get(partnership=orsa.partnership)
    assert response.url == reverse("promise-detail", args=[promise.pk])
    assert promise.ends_on == dt.date(2027, 1, 14) and promise.basis_tags == ["tips"]
    url = reverse("promise-detail", args=[promise.pk])
    client.post(url, {"action": "add_area", "title": "Narkotika"})
    area = promise.focus_areas.get()
    refused = client.post(
        url,
        {
            "action": "add_item",
            "text": "Polisen gör riktade insatser.",
            "commitment": "antal",
            "focus_area": area.pk,
        },
    )
    assert refused.status_code == 400
    assert "Ett åtagande om antal eller frekvens behöver ett mål." in refused.content.decode()
    assert "Polisen gör riktade insatser." in refused.content.decode()  # kept as typed
    assert not PromiseItem.objects.exists()
    client.post(
        url,
        {
            "action": "add_item",
            "text": "Polisen gör riktade insatser.",
            "commitment": "antal",
            "target": "10",
            "unit": "insatser",
            "focus_area": area.pk,
            "responsible": "polisen",
            "rule_types": ["rondering"],
        },
    )
    assert promise.items.get().target == 10
    for party in ("kommunen", "polisen"):
        response = client.post(
            url,
            {
                "action": "sign",
                "party": party,
                "name": "Anna Berg",
                "title": "Ordförande",
                "signed_on": dt.date.today().isoformat(),
            },
        )
        assert response.status_code == 302
    assert Signature.objects.filter(promise=promise).count() == 2
    page = client.get(url).content.decode()
    assert "låst" in page and 'value="add_item"' not in page


def test_another_role_cannot_post(orsa: Any, login: Any) -> None:
    promise = draft_promise(orsa)
    client = login(orsa.user("rapportor"), orsa.partnership)
    response = client.post(
        reverse("promise-detail", args=[promise.pk]), {"action": "add_area", "title": "X"}
    )
    assert response.status_code == 404
    assert promise.focus_areas.count() == 1


def test_the_follow_up_shows_the_effect_of_the_counted_actions_inside_only(
    orsa: Any, login: Any
) -> None:
    from samtrygg.actions import services as actions

    actor = system_actor(orsa.partnership)
    promise = queries.refreshed(sign_all(orsa, draft_promise(orsa)))
    made = actions.create_action(
        actor,
        actions.ActionSpec(
            title="Trafikinsats vid skolan",
            type="trafikinsats",
            owner=orsa.organisation.pk,
            start_date=dt.date.today() - dt.timedelta(days=20),
            end_date=dt.date.today() - dt.timedelta(days=10),
            area=orsa.area.pk,
        ),
    )
    actions.record_progress(actor, made, status="genomford", done_count=3)
    follow_up = services.start_follow_up(actor, promise)
    url = reverse("follow-up-detail", args=[follow_up.pk])
    page = login(orsa.user("samordnare"), orsa.partnership).get(url).content.decode()
    assert "Fungerade det?" in page and "Polisen gör trafikinsatser." in page
    page = login(orsa.user("rapportor"), orsa.partnership).get(url).content.decode()
    assert "Fungerade det?" not in page
    assert "Trafikinsats vid skolan" not in page


def test_decisions_are_recorded_on_a_draft_with_the_statutory_trail(orsa: Any, login: Any) -> None:
    from samtrygg.statutory import services as statutory
    from samtrygg.statutory.models import Decision

    actor = system_actor(orsa.partnership)
    committee = statutory.create_decision_body(actor, kind="utskott", name="Strategiutskottet")
    agreement = services.create_agreement(
        actor,
        services.AgreementSpec(
            title="Överenskommelse 2023–2026", starts_on="2023-02-13", ends_on="2026-12-31"
        ),
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("agreement-decide", args=[agreement.pk])
    refused = client.post(
        url, {"body": committee.pk, "date": "2023-01-31", "reference": "", "outcome": "godkant"}
    )
    assert refused.status_code == 400 and not Decision.objects.exists()
    assert "Paragraf eller diarienummer" in refused.content.decode()
    response = client.post(
        url,
        {"body": committee.pk, "date": "2023-01-31", "reference": "SU § 4", "outcome": "godkant"},
    )
    assert response.status_code == 302
    page = client.get(reverse("agreement-detail", args=[agreement.pk])).content.decode()
    assert "SU § 4" in page and "Strategiutskottet" in page
    data = client.get(f"/api/v1/partnerships/2034/agreements/{agreement.pk}/decision-trail").json()
    assert [d["reference"] for d in data] == ["SU § 4"]
