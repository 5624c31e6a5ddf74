"""The start page's "Att göra": each app contributes the cards its data gives for the actor's
roles (settings.START_PAGE_CARDS lists the functions; core imports no app). A user with no
role in any partnership may still have work elsewhere (a länssamordnare reads a län):
settings.START_WITHOUT_PARTNERSHIP lists the functions that say where."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from samtrygg.core.permissions import Actor


@dataclass
class Line:
    text: str
    url: str = ""
    note: str = ""


@dataclass
class Card:
    """One box of the start page: a heading, a few lines, and where to go for the rest."""

    key: str
    title: str
    lines: list[Line] = field(default_factory=list)
    count: int | None = None
    empty: str = ""
    more_url: str = ""
    more_text: str = ""
    button_url: str = ""
    button_text: str = ""
    order: int = 50


def cards(actor: Actor) -> list[Card]:
    found: list[Card] = []
    for path in settings.START_PAGE_CARDS:
        provider: Any = import_string(path)
        found.extend(provider(actor))
    return sorted(found, key=lambda card: card.order)


def elsewhere(user: Any) -> str:
    """Where a user with no role in any partnership starts instead of the page saying so: the
    first address an app gives (``""``: nowhere, the page explains how to get a role)."""
    for path in settings.START_WITHOUT_PARTNERSHIP:
        provider: Any = import_string(path)
        found: str = provider(user)
        if found:
            return found
    return ""
