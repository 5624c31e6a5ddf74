"""A stored lägesbild keeps rendering after the snapshot's schema changes: a version 1
snapshot (captured from the code that wrote version 1: notes, sentences, levels, verdicts,
patterns and days as Swedish text) is shown on the page, in English, in the PDF and the XLSX,
beside a new version 3 snapshot (codes and numbers only, worded when shown)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.analysis.picture import Period
from samtrygg.situation import documents, wording
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
    assert documents.picture_xlsx(picture).startswith(b"PK")


def test_new_snapshots_are_version_3_with_codes_only(orsa: Any, actor_of: Any, login: Any) -> None:
    assert SNAPSHOT_VERSION == 3
    picture = adopted_picture(orsa, actor_of, 2025, 20, "Oroligt vid torget.")
    data = picture.snapshot
    assert data["version"] == 3
    for area in data["areas"]:
        assert not {"sentence", "verdict_text", "change_text"} & set(area)
        assert set(area["suggested"]) == {"level", "level_key", "trend", "trend_symbol"}
    assert all("pattern_text" not in spot for spot in data["hotspots"])
    assert all(isinstance(hour["day"], int) for hour in data["hot_times"]["top"])
    assert data["hot_times"]["top"], "the fixture has hot hours to word"
    assert {
        "code": "baseline_before_data_start",
        "params": {"unit": "week", "periods": [Period.week(2024, 20).index]},
    } in data["notes"]
    assert all(isinstance(n, dict) for n in data["notes"])
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-detail", args=[picture.pk])).content.decode()
    assert "Jämförelseperioder före datastart är utelämnade: vecka 20 2024." in page
    assert "Orange (oroligt) ↑: 14 händelser mot normalt 2,0 (mer än vanligt)" in page
    day = wording.DAYS[data["hot_times"]["top"][0]["day"]]
    assert f"{day} kl. " in page
    url = reverse("situation-detail", args=[picture.pk])
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "14 events against a normal of 2.0 (more than usual)" in english
    assert documents.picture_xlsx(picture).startswith(b"PK")


def test_a_version_3_area_is_worded_from_its_codes_alone(orsa: Any, actor_of: Any) -> None:
    from django.utils import translation

    picture = adopted_picture(orsa, actor_of, 2025, 20, "Oroligt vid torget.")
    area = picture.snapshot["areas"][0]
    with translation.override("sv"):
        full = wording.localize_area(area)
    assert full["sentence"].startswith("Orange (oroligt) ↑: 14 händelser")
    assert "inga heta punkter" in full["sentence"] and area["cells_analysed"] is True
    assert full["verdict_text"] == "mer än vanligt"
    assert full["suggested"]["level_text"] == "orange"


def test_the_changes_table_names_each_level_with_its_meaning() -> None:
    from django.utils import translation

    from samtrygg.analysis.levels import Level

    # Version 3 stores the level's code, version 1–2 its Swedish word.
    changes = [
        {"area": "Centrum", "level_before": int(Level.YELLOW), "level_after": int(Level.RED)},
        {"area": "Hansjö", "level_before": "grön", "level_after": "orange"},
    ]
    with translation.override("sv"):
        shown = wording.localize({"changes": changes})["changes"]
        assert [(c["level_before"], c["level_after"]) for c in shown] == [
            ("Gul (förhöjt)", "Röd (allvarligt)"),
            ("Grön (lugnt)", "Orange (oroligt)"),
        ]
    with translation.override("en"):
        shown = wording.localize({"changes": changes})["changes"]
        assert shown[0]["level_before"] == "Yellow (elevated)"
