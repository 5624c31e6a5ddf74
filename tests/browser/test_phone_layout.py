"""On a phone (390×844): no page is wider than the screen, and the report form shows what
became of a report where the reporter is looking.

A wide table or chart scrolls inside its own box, never the whole page (and the header with
it). After "Skicka rapporten" the status is brought into view and gets focus; a refusal puts
its explanation under the field concerned, scrolled into view, with focus on the field.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, log_in

pytestmark = pytest.mark.browser

# The pages the tester found wider than a phone, and the one that already did it right.
PAGES = [
    "/insatser/",
    "/lagesbild/",
    "/medlemmar/",
    "/logg/",
    "/trygghetsvandringar/",
    "/organisationer/",
    "/kallor/",
    "/platser/",
    "/rapporter/sammanstallning/",
]
# What a rapportör may not see (the forbidden page must fit the phone too).
NOT_FOR_REPORTERS = {"/medlemmar/", "/logg/"}


def _wait_for_charts(page: Any) -> None:
    """The lägesbild's charts are drawn by script after the page has loaded."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-chart]')]
                   .every(el => el.querySelector('svg, canvas'))"""
    )


def _too_wide(page: Any) -> list[str]:
    """What sticks out to the right of the screen without a scrolling box around it."""
    return page.evaluate(
        """() => {
             const width = document.documentElement.clientWidth;
             const scrolls = el => {
               for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                 if (getComputedStyle(p).overflowX !== 'visible') return true;
               }
               return false;
             };
             return [...document.body.querySelectorAll('*')]
               .filter(el => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
               .slice(0, 5)
               .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                          + (typeof el.className === 'string' && el.className.trim()
                             ? '.' + el.className.trim().split(/ +/).join('.') : ''));
           }"""
    )


def test_no_page_is_wider_than_a_phone(new_page: Any) -> None:
    from django.core.management import call_command

    from samtrygg.core.demo import DEMO_PASSWORD

    call_command("loaddemo", stdout=io.StringIO())  # the whole demo: actions, walks, events …
    for email in ["samordnare.orsa@demo.example", "rapportor.bostad@demo.example"]:
        page = new_page(PHONE)
        log_in(page, email, DEMO_PASSWORD)
        reporter = email.startswith("rapportor")
        for path in PAGES:
            response = page.goto(path)
            assert response is not None
            expected = 403 if reporter and path in NOT_FOR_REPORTERS else 200
            assert response.status == expected, (email, path)
            page.wait_for_load_state("networkidle")
            if path == "/lagesbild/":
                _wait_for_charts(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (email, path, width, _too_wide(page))
        # Wide tables scroll inside their own box: the list of actions is far wider than a phone.
        page.goto("/insatser/")
        inner, outer = page.locator("#action-table").evaluate(
            "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth]"
        )
        assert inner > outer, "the table scrolls inside its own box"


def _fill_incident(page: Any, description: str) -> None:
    fieldset = page.locator("fieldset.incident[data-incident='0']")
    fieldset.get_by_label("Vad hände?").select_option("klotter")
    fieldset.locator("label.chip", has_text="Dag").click()
    box = page.locator("#map-0")
    expect(box).to_have_attribute("data-ready", "1")
    size = box.bounding_box()
    assert size is not None
    box.click(position={"x": size["width"] / 2, "y": size["height"] / 2})
    expect(fieldset.locator("[data-role='where-status']")).to_have_text("Vald punkt på kartan")
    fieldset.get_by_label("Beskrivning").fill(description)
    fieldset.get_by_label("2 – påverkar tryggheten märkbart").check()


def test_the_report_form_shows_the_outcome_where_the_reporter_is(
    new_page: Any, login: Any, orsa: Any
) -> None:
    from samtrygg.observations.models import Observation

    phone = new_page(PHONE)
    login(phone, orsa.user("rapportor"))
    phone.goto("/rapporter/ny/")
    expect(phone.locator("#report-form")).to_have_attribute("data-ready", "1")
    status = phone.locator("#report-status")
    expect(status).to_have_attribute("aria-live", "polite")
    send = phone.get_by_role("button", name="Skicka rapporten")

    # Refused (a telephone number in the text): the explanation is under the field, on screen,
    # and the field has focus.
    _fill_incident(phone, "Klotter på busskuren, ring 070-123 45 67.")
    send.click()
    expect(status).to_have_attribute("data-state", "error")
    description = phone.get_by_label("Beskrivning")
    message = phone.locator("#description-0-error")
    expect(message).to_contain_text("telefonnummer")
    expect(description).to_be_focused()
    expect(description).to_have_attribute("aria-invalid", "true")
    expect(description).to_have_attribute(
        "aria-describedby", re.compile(r"\bdescription-0-error\b")
    )
    expect(description).to_be_in_viewport()
    expect(message).to_be_in_viewport()
    assert Observation.objects.count() == 0
    # The refusal is the API's answer 400: expected here, not a problem of the page.
    phone.log.failed_requests[:] = [f for f in phone.log.failed_requests if "/reports" not in f]

    # Corrected and sent: the form is emptied, and the thanks are on screen, with focus.
    description.fill("Klotter på busskuren.")
    send.click()
    expect(status).to_have_attribute("data-state", "ok")
    expect(status).to_contain_text("Tack! Rapporten är skickad (1 händelse).")
    expect(status).to_be_focused()
    expect(status).to_be_in_viewport()
    expect(phone.locator(".field-error")).to_have_count(0)
    expect(description).to_have_value("")
    expect(description).not_to_have_attribute("aria-describedby", re.compile("error"))
    assert Observation.objects.count() == 1
