"""Menus show only what the role may open: every link of the main menu answers 200 for each
role, and the pages a role may open are in its menu."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["samordnare", "kommunpolis", "rapportor", "analytiker", "styrgrupp", "administrator"]


def _menu_links(page: str) -> list[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', page, re.S)
    assert nav, "no main menu"
    return re.findall(r'<a href="(/[^"]*)"', nav.group(0))


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_the_role(orsa: Any, login: Any, role: str) -> None:
    client = login(orsa.user(role), orsa.partnership)
    links = _menu_links(client.get(reverse("home")).content.decode())
    assert links
    answers = {link: client.get(link, follow=True).status_code for link in links}
    assert {link: status for link, status in answers.items() if status != 200} == {}


def test_the_administrator_is_not_offered_the_lagesbild(orsa: Any, login: Any) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    links = _menu_links(client.get(reverse("home")).content.decode())
    assert reverse("situation-current") not in links
    assert reverse("member-list") in links


def test_the_steering_group_is_offered_actions_meetings_and_walks(orsa: Any, login: Any) -> None:
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    links = _menu_links(client.get(reverse("home")).content.decode())
    for name in ("action-list", "meeting-list", "walk-list", "situation-current"):
        assert reverse(name) in links
