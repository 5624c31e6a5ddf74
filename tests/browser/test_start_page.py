"""The start page per role ("Att göra") and the reporters' feedback, in a real browser on a
desktop and on a 390 px phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import PHONE

pytestmark = pytest.mark.browser


def _report(actor: Any, orsa: Any, text: str, days_ago: int = 1) -> Any:
    from samtrygg.observations import services

    services.ensure_defaults(orsa.partnership)
    result = services.submit_report(
        actor,
        [
            services.IncidentInput(
                category="klotter",
                occurred_on=(timezone.localdate() - dt.timedelta(days=days_ago)).isoformat(),
                time="12:00",
                place=orsa.place.pk,
                description=text,
                assessment="2",
            )
        ],
    )
    return result.observations[0]


@pytest.fixture
def work(orsa: Any) -> dict[str, Any]:
    from samtrygg.actions import services as actions
    from samtrygg.core.permissions import actor_for
    from samtrygg.observations import services as reports

    coordinator = actor_for(orsa.user("samordnare"), orsa.partnership)
    reporter = actor_for(orsa.user("rapportor"), orsa.partnership)
    first = _report(reporter, orsa, "Klotter på skolans vägg", 2)
    second = _report(reporter, orsa, "Samma klotter igen", 1)
    reports.merge_observation(coordinator, second, first)
    today = timezone.localdate()
    late = actions.create_action(
        coordinator,
        actions.ActionSpec(
            title="Sanera klottret",
            type="fysisk_atgard",
            owner=orsa.organisation.pk,
            start_date=today - dt.timedelta(days=20),
            end_date=today - dt.timedelta(days=2),
        ),
    )
    actions.link_observations(coordinator, late, [first.pk])
    actions.create_meeting(coordinator, held_on=today + dt.timedelta(days=3), title="EST-möte")
    return {"first": first, "second": second, "late": late}


def test_the_reporter_starts_with_rapportera_and_sees_what_became_of_the_reports(
    new_page: Any, login: Any, orsa: Any, work: dict[str, Any]
) -> None:
    page = new_page(PHONE)
    login(page, orsa.user("rapportor"))
    card = page.locator("#todo-report")
    expect(card.get_by_role("link", name="Rapportera en händelse")).to_be_visible()
    expect(card).to_contain_text("ingår i insatsen Sanera klottret")
    expect(card).to_contain_text(f"slogs ihop med händelse {work['first'].pk}")
    card.get_by_role("link", name="Återkoppling på era rapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vad hände med våra rapporter")
    expect(page.locator(f"#feedback-{work['second'].pk}")).to_contain_text(
        "Slogs ihop med händelse"
    )
    expect(page.locator(f"#feedback-{work['first'].pk}")).to_contain_text("Sanera klottret")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the feedback page is {width} px wide on a phone"

    page.goto(f"/rapporter/{work['first'].pk}/")
    page.get_by_role("link", name="Vad hände med rapporten? Se återkopplingen →").click()
    expect(page.locator(f"#feedback-{work['first'].pk}")).to_be_visible()


def test_the_coordinator_starts_with_what_needs_doing(
    page: Any, login: Any, orsa: Any, work: dict[str, Any]
) -> None:
    login(page, orsa.user("samordnare"))
    expect(page.locator("#todo-unreviewed")).to_contain_text("Ogranskade rapporter")
    expect(page.locator("#todo-overdue")).to_contain_text("Sanera klottret")
    expect(page.locator("#todo-cosign")).to_contain_text("Väntar på kontrasignering")
    expect(page.locator("#todo-next-meeting")).to_contain_text("EST-möte")


def test_the_police_starts_with_pictures_to_co_sign(
    page: Any, login: Any, orsa: Any, work: dict[str, Any]
) -> None:
    login(page, orsa.user("kommunpolis"))
    expect(page.locator("#todo-cosign")).to_contain_text("Att kontrasignera")


def test_the_steering_group_starts_with_the_adopted_picture_and_progress(
    new_page: Any, login: Any, orsa: Any, work: dict[str, Any]
) -> None:
    page = new_page(PHONE)
    login(page, orsa.user("styrgrupp"))
    expect(page.locator("#todo-adopted")).to_contain_text("Senast antagna lägesbild")
    expect(page.locator("#todo-progress")).to_contain_text("Försenade: 1")
    assert page.locator("#todo-unreviewed").count() == 0
