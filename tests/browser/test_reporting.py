"""EST reporting in a real browser on a phone-sized screen: a rapportör files one report with
two incidents by tapping the map; the samordnare sees both on the map and in the list; a
rapportör of another organisation does not. A report sent without a connection is kept on
the phone and sent once when the connection is back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _reporter_of_another_organisation(tenant: Any) -> Any:
    from django.contrib.auth import get_user_model

    from samtrygg.core import services
    from samtrygg.core.dataio import system_actor

    system = system_actor(tenant.partnership)
    school = services.create_organisation(system, name="Skolan", type="skola")
    user = get_user_model().objects.create_user(
        username="skola@test.example", email="skola@test.example", password=PASSWORD
    )
    services.add_membership(system, user=user, organisation=school, role="rapportor")
    return user


def _tap_map(page: Any, index: int, dx: float, dy: float) -> None:
    """Tap incident ``index``'s map at (dx, dy) from its centre, as a finger would."""
    box = page.locator(f"#map-{index}")
    expect(box).to_have_attribute("data-ready", "1")
    size = box.bounding_box()
    assert size is not None
    box.click(position={"x": size["width"] / 2 + dx, "y": size["height"] / 2 + dy})


def _fill_incident(page: Any, index: int, category: str, text: str, dx: float, dy: float) -> None:
    fieldset = page.locator(f"fieldset.incident[data-incident='{index}']")
    fieldset.get_by_label("Vad hände?").select_option(category)
    fieldset.locator("label.chip", has_text="Dag").click()
    _tap_map(page, index, dx, dy)
    expect(fieldset.locator("[data-role='where-status']")).to_have_text("Vald punkt på kartan")
    fieldset.get_by_label("Beskrivning").fill(text)
    fieldset.get_by_label("2 – påverkar tryggheten märkbart").check()


def test_a_report_with_two_incidents_from_a_phone(new_page: Any, login: Any, orsa: Any) -> None:
    from samtrygg.observations.models import Observation, Report

    other = _reporter_of_another_organisation(orsa)
    phone = new_page(PHONE)
    login(phone, orsa.user("rapportor"))
    phone.get_by_role("link", name="Rapportera", exact=True).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Rapportera")
    expect(phone.locator("#report-form")).to_have_attribute("data-ready", "1")
    # The form fits the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    _fill_incident(phone, 0, "klotter", "Nytt klotter på busskuren.", -20, -10)
    phone.get_by_role("button", name="+ Lägg till en händelse").click()
    expect(phone.locator("fieldset.incident")).to_have_count(2)
    expect(phone.locator("fieldset.incident[data-incident='1'] > legend")).to_contain_text(
        "Händelse 2"
    )
    _fill_incident(phone, 1, "skadegorelse", "Sönderslagen papperskorg vid entrén.", 25, 15)
    phone.get_by_role("button", name="Skicka rapporten").click()

    status = phone.locator("#report-status")
    expect(status).to_have_attribute("data-state", "ok")
    expect(status).to_contain_text("Tack! Rapporten är skickad (2 händelser).")
    report = Report.objects.get()
    assert report.organisation == orsa.other_organisation and report.channel == "api"
    observations = list(Observation.objects.order_by("pk"))
    assert [o.description for o in observations] == [
        "Nytt klotter på busskuren.",
        "Sönderslagen papperskorg vid entrén.",
    ]
    assert all(o.location_precision == "punkt" and o.area == orsa.area for o in observations)
    assert observations[0].lon < observations[1].lon  # the two taps, left and right
    # The form is empty again, ready for the next report, and the draft is gone.
    expect(phone.locator("fieldset.incident")).to_have_count(1)
    expect(phone.get_by_label("Beskrivning")).to_have_value("")
    assert phone.evaluate("Object.keys(localStorage).length") == 0

    # The samordnare sees both, on the map and in the list.
    desk = new_page(PHONE)
    login(desk, orsa.user("samordnare"))
    desk.get_by_role("link", name="Rapporter", exact=True).click()
    expect(desk.locator("#observation-map")).to_have_attribute("data-points-loaded", "2")
    assert desk.locator("#observation-map .leaflet-marker-icon").count() >= 1
    table = desk.locator("table.observations")
    expect(table).to_contain_text("Nytt klotter på busskuren.")
    expect(table).to_contain_text("Sönderslagen papperskorg vid entrén.")
    expect(table).to_contain_text(orsa.area.name)

    # A rapportör of another organisation sees neither.
    school = new_page(PHONE)
    login(school, other)
    school.goto("/rapporter/")
    expect(school.locator("#observation-map")).to_have_attribute("data-points-loaded", "0")
    expect(school.locator("main")).not_to_contain_text("Nytt klotter")
    expect(school.locator("main")).to_contain_text("Inga rapporter med de här filtren.")
    response = school.goto(f"/rapporter/{observations[0].pk}/")
    assert response is not None and response.status == 404


def test_offline_report_is_kept_and_sent_exactly_once(new_page: Any, login: Any, orsa: Any) -> None:
    from samtrygg.observations.models import Observation, Report

    phone = new_page(PHONE)
    login(phone, orsa.user("rapportor"))
    phone.goto("/rapporter/ny/")
    expect(phone.locator("#report-form")).to_have_attribute("data-ready", "1")

    # A half-filled report survives a reload (kept in the browser).
    phone.get_by_label("Beskrivning").fill("Trasig belysning vid gångtunneln.")
    phone.wait_for_function("() => Object.keys(localStorage).length > 0")
    phone.reload()
    expect(phone.get_by_label("Beskrivning")).to_have_value("Trasig belysning vid gångtunneln.")
    expect(phone.locator("#report-status")).to_contain_text("utkast")

    fieldset = phone.locator("fieldset.incident").first
    fieldset.get_by_label("Vad hände?").select_option("otrygg-plats")
    fieldset.locator("label.chip", has_text="Kväll").click()
    fieldset.get_by_label("Namngiven plats").select_option(label=orsa.place.name)
    expect(fieldset.locator("[data-role='where-status']")).to_contain_text(orsa.place.name)
    fieldset.get_by_label("3 – påverkar tryggheten mycket").check()

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Skicka rapporten").click()
    expect(phone.locator("#report-status")).to_have_attribute("data-state", "pending")
    expect(phone.locator("#report-status")).to_contain_text("Ingen uppkoppling")
    outbox_key = phone.evaluate("Object.keys(localStorage).find(k => k.endsWith(':utkorg'))")
    stored = json.loads(phone.evaluate(f"localStorage.getItem('{outbox_key}')"))
    assert len(stored) == 1 and not Report.objects.exists()

    phone.context.set_offline(False)  # the browser fires "online": the outbox is sent
    expect(phone.locator("#report-status")).to_have_attribute("data-state", "ok")
    assert Report.objects.count() == 1 and Observation.objects.count() == 1
    obs = Observation.objects.get()
    assert obs.place == orsa.place and obs.assessment == 3 and obs.category.slug == "otrygg-plats"

    # The answer was lost (say): the phone sends the same report again. Stored once.
    phone.evaluate(f"localStorage.setItem('{outbox_key}', {json.dumps(json.dumps(stored))})")
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    phone.wait_for_function("(key) => localStorage.getItem(key) === null", arg=outbox_key)
    expect(phone.locator("#report-status")).to_have_attribute("data-state", "ok")
    assert Report.objects.count() == 1 and Observation.objects.count() == 1
    # The attempt made while offline is an expected failed request, not a fault.
    phone.log.failed_requests[:] = [f for f in phone.log.failed_requests if "/reports" not in f]
    phone.log.console_errors[:] = [
        e for e in phone.log.console_errors if "ERR_INTERNET_DISCONNECTED" not in e
    ]
