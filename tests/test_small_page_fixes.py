"""Smaller page defects of the first hour: report history and the audit filter speak Swedish,
a safety walk dated in the future cannot be marked done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_report_history_names_the_fields_in_swedish(orsa: Any, login: Any, actor_of: Any) -> None:
    from samtrygg.observations import services

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    services.ensure_defaults(orsa.partnership)
    made = services.submit_report(
        coordinator,
        [
            services.IncidentInput(
                category="klotter",
                occurred_on=(timezone.localdate() - dt.timedelta(days=1)).isoformat(),
                time="12:00",
                place=orsa.place.pk,
                description="Klotter på väggen",
                assessment="2",
            )
        ],
    ).observations[0]
    services.set_reviewed(coordinator, made, True)
    page = login(orsa.user("samordnare"), orsa.partnership).get(
        reverse("observation-detail", args=[made.pk])
    )
    text = page.content.decode()
    assert "reviewed_at" not in text and "reviewed_by" not in text
    assert "granskad" in text


def test_the_audit_filter_names_record_types_in_swedish(orsa: Any, login: Any) -> None:
    page = login(orsa.user("samordnare"), orsa.partnership).get(reverse("audit-list"))
    text = page.content.decode()
    assert '<option value="core.Place"' in text
    assert ">core.Place<" not in text and ">Plats<" in text


def test_a_walk_in_the_future_cannot_be_marked_done(orsa: Any, actor_of: Any) -> None:
    from samtrygg.actions import services
    from samtrygg.core.errors import DomainError

    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    walk = services.create_walk(
        coordinator, title="Kvällsvandring", planned_for=timezone.now() + dt.timedelta(days=3)
    )
    with pytest.raises(DomainError, match="kan inte vara genomförd") as refused:
        services.update_walk(
            coordinator,
            walk,
            title=walk.title,
            planned_for=walk.planned_for,
            light=walk.light,
            route=None,
            invited=[],
            residents=0,
            area=None,
            status="genomford",
        )
    assert refused.value.field == "status"
    walk.refresh_from_db()
    assert walk.status == "planerad"


def test_a_link_of_the_other_partnership_offers_to_switch(
    orsa: Any, gislaved: Any, login: Any
) -> None:
    from django.contrib.auth import get_user_model

    from samtrygg.core import services
    from samtrygg.core.dataio import system_actor

    user = get_user_model().objects.create_user(
        username="analys@test.example", email="analys@test.example", password="x-Lösen-12345"
    )
    for tenant in (orsa, gislaved):
        services.add_membership(
            system_actor(tenant.partnership),
            user=user,
            organisation=tenant.organisation,
            role="analytiker",
        )
    client = login(user, orsa.partnership)
    url = reverse("area-detail", args=[gislaved.area.pk])
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert 'id="found-elsewhere"' in page
    assert f'name="partnership" value="{gislaved.partnership.pk}"' in page
    switched = client.post(
        reverse("switch-partnership"), {"partnership": gislaved.partnership.pk, "next": url}
    )
    assert switched.status_code == 302 and switched["Location"] == url
    assert client.get(url).status_code == 200


def test_a_link_to_nothing_is_a_plain_not_found(orsa: Any, gislaved: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("area-detail", args=[gislaved.area.pk]))
    assert response.status_code == 404
    assert "found-elsewhere" not in response.content.decode()


def test_the_lagesbild_filters_are_ticked_and_the_period_chosen(orsa: Any, login: Any) -> None:
    import re

    from samtrygg.situation.compute import parse_period

    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-current")).content.decode()
    form = page[page.index('id="f-period"') - 400 :]
    assert "multiple" not in form[: form.index("</form>")]
    period = re.search(r'<select id="f-period" name="period">(.*?)</select>', page, re.S)
    assert period, "the period is typed, not chosen"
    this_week = parse_period("").label
    assert f'<option value="{this_week}" selected>' in period.group(1)
    assert 'type="checkbox" name="kategori"' in page
