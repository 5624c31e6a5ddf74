"""The report script's texts come from Django in the person's language: the form and the edit
page carry them as a ``json_script`` data block (no inline script), and report.js keeps the
same Swedish texts as a fallback for a page without the block."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.observations.conftest import file_report

pytestmark = pytest.mark.django_db

SCRIPT = (
    Path(__file__).resolve().parents[2]
    / "samtrygg"
    / "observations"
    / "static"
    / "observations"
    / "report.js"
)
BLOCK = re.compile(r'<script id="report-texts" type="application/json">(.*?)</script>', re.S)
SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")


@pytest.fixture(autouse=True)
def _swedish_after() -> Iterator[None]:
    """Swedish again after the test: a request in English leaves English active in the thread."""
    with translation.override("sv"):
        yield


def english(client: Any) -> Any:
    """Switch the client to English with the project's language switch."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def texts_of(page: str) -> dict[str, Any]:
    found = BLOCK.findall(page)
    assert len(found) == 1, "the page should carry the texts once"
    return dict(json.loads(found[0]))


def strings(texts: dict[str, Any]) -> list[str]:
    """Every text, the two forms of a counted one included."""
    out: list[str] = []
    for value in texts.values():
        out += [value["one"], value["other"]] if isinstance(value, dict) else [value]
    return out


def fallback() -> dict[str, Any]:
    """The Swedish texts written in report.js (``var SWEDISH = {...};``)."""
    source = SCRIPT.read_text(encoding="utf-8")
    start = source.index("var SWEDISH = {")
    block = source[start : source.index("};", start)]
    out: dict[str, Any] = {}
    for key, body in re.findall(r"^\s{4}(\w+): (.*?),?$", block, re.M):
        if body.startswith("{"):
            out[key] = dict(re.findall(r'(one|other): "([^"]*)"', body))
        else:
            out[key] = json.loads(body)
    return out


def test_the_form_gives_the_script_english_texts(orsa: Any, login: Any) -> None:
    client = english(login(orsa.user("rapportor"), orsa.partnership))
    page = client.get(reverse("report-create")).content.decode()
    texts = texts_of(page)
    assert texts["refused"] == "The report has not been sent: %(detail)s"
    assert texts["sent"] == {
        "one": "Thank you! The report has been sent (%(n)s event).",
        "other": "Thank you! The report has been sent (%(n)s events).",
    }
    assert texts["point"] == "Selected point on the map"
    assert texts["place"] == "Place: %(place)s"
    assert texts["offline"].startswith("No connection.")
    assert texts["seeList"] == "Show the reports"
    assert set(texts) == set(fallback()), "the page and report.js should know the same texts"
    swedish = [t for t in strings(texts) if SWEDISH_LETTERS.search(t)]
    assert not swedish, swedish
    # A data block, not an inline script, and before the script that reads it.
    assert page.index('id="report-texts"') < page.index("observations/report.js")
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline and all('type="application/json"' in attributes for attributes in inline)


def test_the_swedish_texts_are_the_scripts_fallback(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    texts = texts_of(client.get(reverse("report-create")).content.decode())
    assert texts == fallback()
    assert texts["sent"]["other"] == "Tack! Rapporten är skickad (%(n)s händelser)."
    assert texts["refused"] == "Rapporten är inte skickad: %(detail)s"


def test_the_edit_page_gives_the_script_its_texts_too(orsa: Any, login: Any) -> None:
    obs = file_report(orsa, "rapportor").observations[0]
    client = english(login(orsa.user("rapportor"), orsa.partnership))
    page = client.get(reverse("observation-edit", args=[obs.pk])).content.decode()
    texts = texts_of(page)
    assert texts["position"] == "Your position"
    assert texts["noPosition"] == "Your position could not be found. Tap the map instead."


def test_map_scripts_get_their_texts_from_the_page(orsa: Any, login: Any) -> None:
    """The map scripts' error text and the list map's note come translated from the page."""
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("observation-list")).content.decode()
    assert 'data-map-error="kartdata kunde inte hämtas."' in page
    assert 'data-template="Kartan visar de {shown} senaste av {total} händelser."' in page
    page = english(client).get(reverse("observation-list")).content.decode()
    assert 'data-map-error="the map data could not be loaded."' in page
    assert 'data-template="The map shows the {shown} most recent of {total} events."' in page
