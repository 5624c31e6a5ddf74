"""A citizen promise in a real browser: the samordnare drafts one with three items, records
the committee's and the board's decisions, signs for both parties; an anonymous visitor sees
it at /p/<kommunkod>/, and marking a linked action done moves that item's progress there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from samtrygg.core.dataio import system_actor

pytestmark = pytest.mark.browser


def test_draft_decide_sign_publish_and_progress(new_page: Any, login: Any, orsa: Any) -> None:
    from samtrygg.actions import services as actions
    from samtrygg.promises.models import CitizenPromise
    from samtrygg.statutory import services as statutory

    actor = system_actor(orsa.partnership)
    statutory.create_decision_body(actor, kind="utskott", name="Strategiutskottet")
    statutory.create_decision_body(actor, kind="kommunstyrelse", name="Kommunstyrelsen")
    today = dt.date.today()
    traffic = actions.create_action(
        actor,
        actions.ActionSpec(
            title="Hastighetskontroll vid skolan",
            type="trafikinsats",
            owner=orsa.organisation.pk,
            start_date=today,
            end_date=today + dt.timedelta(days=7),
            planned_count=6,
        ),
    )

    page = new_page()
    login(page, orsa.user("samordnare"))
    page.goto("/medborgarloften/")
    page.locator("#new-promise summary").click()
    page.fill("#title", "Medborgarlöfte Orsa")
    page.fill("#starts_on", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#intro", "Vi lovar invånarna i Orsa ett tryggare centrum.")
    page.get_by_label("Medborgardialoger").check()
    page.get_by_role("button", name="Skapa utkast").click()
    page.wait_for_url("**/medborgarloften/*/")
    promise = CitizenPromise.objects.get(partnership=orsa.partnership)

    page.locator("#add-area summary").click()
    page.fill("#area-title", "Trygghet i centrum")
    page.get_by_role("button", name="Lägg till fokusområde").click()
    for text, kind, target in (
        ("Vi genomför trygghetsvandringar.", "trygghetsvandring", "4"),
        ("Vuxna finns på plats på helgkvällar.", "vuxennarvaro", "20"),
        ("Polisen gör trafikinsatser vid skolorna.", "trafikinsats", "12"),
    ):
        page.locator("#add-item summary").click()
        page.fill("#item-text", text)
        page.select_option("#item-focus_area", label="1. Trygghet i centrum")
        page.fill("#item-target", target)
        page.locator(f'input[name="rule_types"][value="{kind}"]').check()
        page.get_by_role("button", name="Lägg till åtagandet").click()
        expect(page.locator(".messages")).to_contain_text("Åtagandet lades till")
    expect(page.locator(".promise-item")).to_have_count(3)

    for body, day, reference in (
        ("Strategiutskottet", today - dt.timedelta(days=20), "SU § 4"),
        ("Kommunstyrelsen", today - dt.timedelta(days=15), "KS § 23"),
    ):
        page.select_option("#decision-body", label=body)
        page.fill("#decision-date", day.isoformat())
        page.fill("#decision-reference", reference)
        page.select_option("#decision-outcome", "godkant")
        page.get_by_role("button", name="Registrera beslut").click()
        expect(page.locator("#decision-trail")).to_contain_text(reference)

    for party, name, title in (
        ("kommunen", "Anna Berg", "Kommunstyrelsens ordförande"),
        ("polisen", "Erik Holm", "Lokalpolisområdeschef"),
    ):
        page.select_option("#sign-party", party)
        page.fill("#sign-signed_on", (today - dt.timedelta(days=12)).isoformat())
        page.fill("#sign-name", name)
        page.fill("#sign-title", title)
        page.get_by_role("button", name="Spara underskrift").click()
    expect(page.locator(".messages")).to_contain_text("Alla parter har skrivit under")
    expect(page.locator(".status-line")).to_contain_text("Gällande")
    expect(page.locator("#add-item")).to_have_count(0)

    visitor = new_page()
    visitor.goto("/p/2034/")
    expect(visitor.get_by_role("heading", level=2, name="Medborgarlöfte Orsa")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text(
        "Vi lovar invånarna i Orsa ett tryggare centrum."
    )
    expect(visitor.locator("main")).to_contain_text("Anna Berg, Kommunstyrelsens ordförande")
    expect(visitor.locator(".emergency")).to_contain_text("112")
    item = visitor.locator('.promise-item[data-item="3"] [data-done]')
    expect(item).to_have_text("0")

    # The owner organisation marks the linked action done: the item moves on the public page.
    page.goto(f"/insatser/{traffic.pk}/")
    page.select_option("#id_status", "genomford")
    page.fill("#id_done_count", "6")
    page.get_by_role("button", name="Spara status").click()
    expect(page.locator("#action-status")).to_have_text("Genomförd")
    visitor.reload()
    expect(item).to_have_text("6")
    expect(visitor.locator('.promise-item[data-item="3"]')).to_contain_text("av 12")
    assert promise.pk
