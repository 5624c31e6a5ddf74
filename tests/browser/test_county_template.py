"""The county template in a real browser: the länssamordnare opens the län's template, starts
version 2 and adds a category; Orsa's samordnare adopts version 1 on the partnership's page.
On the desktop and on a phone (390 px) no page is wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import DESKTOP, PHONE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def county_user(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    from samtrygg.county import services

    User = get_user_model()
    admin = User.objects.create_superuser(
        username="admin@test.example", email="admin@test.example", password=PASSWORD
    )
    user = User.objects.create_user(
        username="lan.20@test.example", email="lan.20@test.example", password=PASSWORD
    )
    services.grant_county(admin, user=user, county="20")
    return user


@pytest.fixture
def version_1(county_user: Any) -> Any:
    from samtrygg.core.models import County
    from samtrygg.county import services

    version = services.start_version(county_user, County.objects.get(code="20"))
    services.add_category(
        county_user,
        version,
        code="fyrverkerier",
        name="Fyrverkerier och pyroteknik",
        group="Skadegörelse och ordning",
        description="Smällare och raketer utanför tillåtna tider.",
    )
    services.set_problem_fields(
        county_user,
        version,
        {"kartlaggning": (True, "Beskriv plats och tid, tre år bakåt, med källa.")},
    )
    services.add_question(
        county_user,
        version,
        code="D1",
        text="Hur trygg känner du dig i centrum på helgkvällar?",
        answers="Mycket trygg\nGanska trygg\nGanska otrygg\nMycket otrygg",
        positive=[3, 4],
    )
    return services.publish(county_user, version)


def _fits(page: Any, width: int) -> None:
    page.wait_for_load_state("networkidle")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll)


def test_the_coordinator_works_on_the_template(
    new_page: Any, login: Any, county_user: Any, version_1: Any, orsa: Any
) -> None:
    page = login(new_page(DESKTOP), county_user)
    page.goto("/lan/20/mall/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Länets mall")
    expect(page.locator("table.template-versions")).to_contain_text("Version 1")
    _fits(page, DESKTOP["width"])
    page.get_by_role("button", name="Starta en ny version").click()
    page.wait_for_url("**/lan/20/mall/2/")
    expect(page.locator(".messages")).to_contain_text("Version 2 är ett nytt utkast")
    form = page.locator("#category-add")
    form.get_by_label("Kod").fill("eldning")
    form.get_by_label("Namn").fill("Eldning utomhus")
    form.get_by_role("button", name="Lägg till").click()
    expect(page.locator(".messages")).to_contain_text("Kategorin Eldning utomhus lades till")
    expect(page.locator(".template-category-list")).to_contain_text("eldning")
    _fits(page, DESKTOP["width"])

    phone = login(new_page(PHONE), county_user)
    for path in (
        "/lan/20/mall/",
        "/lan/20/mall/2/",
        "/lan/20/mall/1/",
        "/lan/20/mall/2/publicera/",
    ):
        response = phone.goto(path)
        assert response is not None and response.status == 200, path
        _fits(phone, PHONE["width"])
    phone.goto("/lan/20/")
    expect(phone.locator("table.compliance")).to_contain_text("Länets mall")
    _fits(phone, PHONE["width"])


def test_a_samordnare_adopts_the_template(
    new_page: Any, login: Any, version_1: Any, orsa: Any
) -> None:
    from samtrygg.county.models import TemplateAdoption

    phone = login(new_page(PHONE), orsa.user("samordnare"))
    phone.goto("/lansmall/")
    expect(phone.locator("#adopt-form")).to_be_visible()
    _fits(phone, PHONE["width"])

    page = login(new_page(DESKTOP), orsa.user("samordnare"))
    page.goto("/lansmall/")
    form = page.locator("#adopt-form")
    klotter = form.get_by_label("Klotter", exact=True)
    expect(klotter).to_have_value(str(version_1.categories.get(code="klotter").pk))
    form.get_by_label("Beslut").fill("Styrgruppen 2025-03-04 § 5")
    form.get_by_label("Samverkan antar länets mall, version 1.").check()
    form.get_by_role("button", name="Anta version 1").click()
    expect(page.locator(".messages")).to_contain_text("Fyrverkerier och pyroteknik")
    expect(page.get_by_role("heading", name="Ni använder version 1")).to_be_visible()
    assert TemplateAdoption.objects.get().decision == "Styrgruppen 2025-03-04 § 5"
    _fits(page, DESKTOP["width"])

    # the län's guidance where the problem is written
    page.goto("/lagen/problem/")
    expect(page.locator(".template-guidance")).to_contain_text("Beskriv plats och tid")

    phone.goto("/lansmall/")
    expect(phone.get_by_role("heading", name="Ni använder version 1")).to_be_visible()
    _fits(phone, PHONE["width"])
