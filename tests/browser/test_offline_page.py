"""Offline reporting: once visited, the report page opens without a connection (a service
worker keeps the page and what it loads), and a missing time band is caught before sending."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE

pytestmark = pytest.mark.browser


def test_the_report_page_opens_offline_once_visited(new_page: Any, login: Any, orsa: Any) -> None:
    phone = new_page(PHONE)
    login(phone, orsa.user("rapportor"))
    phone.goto("/rapporter/ny/")
    expect(phone.locator("#report-form")).to_have_attribute("data-ready", "1")
    phone.wait_for_function(
        "() => navigator.serviceWorker.ready.then(r => !!r.active)", timeout=30_000
    )
    phone.wait_for_function(
        "() => caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.match('/rapporter/ny/'))))).then(found => found.some(Boolean))"
    )

    phone.goto("/")  # away, then back without a connection
    phone.context.set_offline(True)
    phone.goto("/rapporter/ny/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Rapportera")
    expect(phone.locator("#report-form")).to_have_attribute("data-ready", "1")

    # A report without a time band or a time is stopped before it is queued.
    fieldset = phone.locator("fieldset.incident").first
    fieldset.get_by_label("Vad hände?").select_option("otrygg-plats")
    fieldset.get_by_label("Namngiven plats").select_option(label=orsa.place.name)
    fieldset.get_by_label("Beskrivning").fill("Mörkt vid gångtunneln.")
    fieldset.get_by_label("3 – påverkar tryggheten mycket").check()
    phone.get_by_role("button", name="Skicka rapporten").click()
    expect(fieldset.locator(".field-error")).to_contain_text(
        "Ange klockslag eller välj ett tidsband"
    )
    outbox = phone.evaluate("Object.keys(localStorage).filter(k => k.endsWith(':utkorg')).length")
    assert outbox == 0

    fieldset.locator("label.chip", has_text="Kväll").click()
    phone.get_by_role("button", name="Skicka rapporten").click()
    expect(phone.locator("#report-status")).to_contain_text("Ingen uppkoppling")
    phone.context.set_offline(False)
    expect(phone.locator("#report-status")).to_have_attribute("data-state", "ok")
