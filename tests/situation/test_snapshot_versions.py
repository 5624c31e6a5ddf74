"""A stored lägesbild keeps rendering after the snapshot's schema changes: a version 1
snapshot (captured from the code that wrote version 1: notes as Swedish sentences) is shown
on the page, in English and in the PDF, beside a new version 2 snapshot (notes as codes)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.analysis.picture import Period
from samtrygg.situation import documents
from samtrygg.situation.models import AreaLevel, PictureStatus, SituationPicture
from samtrygg.situation.snapshot import SNAPSHOT_VERSION
from tests.situation.data import adopted_picture

pytestmark = pytest.mark.django_db
V1 = Path(__file__).parent / "fixtures" / "snapshot_v1.json.gz"


def _stored_v1(tenant: Any) -> SituationPicture:
    stored = json.loads(gzip.decompress(V1.read_bytes()))
    assert stored["snapshot"]["version"] == 1
    picture = SituationPicture.objects.create(
        partnership=tenant.partnership,
        unit=stored["unit"],
        period_index=stored["period_index"],
        period_label=stored["snapshot"]["period"]["label"],
        version=1,
        status=PictureStatus.ADOPTED,
        snapshot=stored["snapshot"],
        assessment=stored["assessment"],
        adopted_at=timezone.now(),
    )
    for row in stored["levels"]:
        AreaLevel.objects.create(picture=picture, **row)
    return picture


def test_a_stored_version_1_snapshot_still_renders(
    orsa: Any, login: Any, actor_of: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    picture = _stored_v1(orsa)
    client = login(orsa.user("samordnare"), orsa.partnership)
    url = reverse("situation-detail", args=[picture.pk])
    page = client.get(url).content.decode()
    assert "Lägesbild vecka 20 2025" in page
    assert "Jämförelseperioder före datastart är utelämnade: vecka 20 2024." in page
    assert "Orange (oroligt) ↑: 14 händelser mot normalt 2,0 (mer än vanligt)" in page
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Comparison periods before the start of the data are left out: week 20 2024." in (
        english
    ), "the v1 note in English"
    assert "14 events against a normal of 2.0 (more than usual)" in english
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    assert documents.picture_pdf(actor, picture).startswith(b"%PDF")


def test_new_snapshots_are_version_2_with_notes_as_codes(
    orsa: Any, actor_of: Any, login: Any
) -> None:
    assert SNAPSHOT_VERSION == 2
    picture = adopted_picture(orsa, actor_of, 2025, 20, "Oroligt vid torget.")
    data = picture.snapshot
    assert data["version"] == 2
    assert {
        "code": "baseline_before_data_start",
        "params": {"unit": "week", "periods": [Period.week(2024, 20).index]},
    } in data["notes"]
    assert all(isinstance(n, dict) for n in data["notes"])
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-detail", args=[picture.pk])).content.decode()
    assert "Jämförelseperioder före datastart är utelämnade: vecka 20 2024." in page


def test_a_version_2_area_is_worded_from_its_codes_alone(orsa: Any, actor_of: Any) -> None:
    from django.utils import translation

    from samtrygg.situation import wording

    picture = adopted_picture(orsa, actor_of, 2025, 20, "Oroligt vid torget.")
    area = dict(picture.snapshot["areas"][0])
    with translation.override("sv"):
        full = wording.area_sentence(area)
        area.pop("sentence")  # nothing is read back from the engine's words
        assert wording.area_sentence(area) == full
    assert "inga heta punkter" in full and area["cells_analysed"] is True
