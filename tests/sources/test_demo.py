"""The demo reads the real police events of the demo partnerships' län and Brå's statistics
from SAMTRYGG_DATA_DIR, once."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.sources.conftest import EVENTS_SAMPLE, FIXTURES

pytestmark = pytest.mark.django_db


def test_demo_loads_real_events_of_the_lan_once(
    orsa: Any, gislaved: Any, settings: Any, tmp_path: Path
) -> None:
    from samtrygg.sources.demo_data import load_sources_demo
    from samtrygg.sources.models import CrimeStatistic, PoliceEvent

    (tmp_path / "police_events").mkdir()
    shutil.copy(EVENTS_SAMPLE, tmp_path / "police_events" / "events_2025.jsonl")
    (tmp_path / "bra_crime").mkdir()
    for name in (
        "anmalda_brott_kommuner_2021_with_kommunkod.csv",
        "brott_mot_liv_och_halsa_per100k_kommuner_2021.csv",
    ):
        shutil.copy(FIXTURES / name, tmp_path / "bra_crime" / name)
    settings.SAMTRYGG_DATA_DIR = tmp_path
    out = io.StringIO()
    load_sources_demo([orsa.partnership, gislaved.partnership], out)
    lan = set(PoliceEvent.objects.values_list("county_id", flat=True))
    assert lan == {"20", "06"}
    assert CrimeStatistic.objects.count() == 580 + 580
    count = PoliceEvent.objects.count()
    load_sources_demo([orsa.partnership, gislaved.partnership], out)
    assert PoliceEvent.objects.count() == count
    assert CrimeStatistic.objects.count() == 580 + 580
    assert "inlästa" in out.getvalue()


def test_demo_without_the_data_folder_reads_the_shipped_subset(
    orsa: Any, settings: Any, tmp_path: Path
) -> None:
    """A fresh clone anywhere: the real events of Dalarna 2024–2025 and Brå's figures come
    from samtrygg/sources/demo/, once."""
    from samtrygg.sources.demo_data import load_sources_demo
    from samtrygg.sources.models import CrimeStatistic, PoliceEvent

    settings.SAMTRYGG_DATA_DIR = tmp_path / "saknas"
    out = io.StringIO()
    load_sources_demo([orsa.partnership], out)
    assert set(PoliceEvent.objects.values_list("county_id", flat=True)) == {"20"}
    years = {d.year for d in PoliceEvent.objects.values_list("published", flat=True)}
    assert years <= {2024, 2025} and PoliceEvent.objects.count() > 1000
    assert PoliceEvent.objects.filter(municipality_id="2034").exists()
    assert CrimeStatistic.objects.count() == 580 + 580
    count = PoliceEvent.objects.count()
    load_sources_demo([orsa.partnership], out)
    assert PoliceEvent.objects.count() == count


def test_demo_of_another_lan_without_the_data_folder(
    settings: Any, tmp_path: Path, db: Any
) -> None:
    from samtrygg.sources.demo_data import load_sources_demo
    from samtrygg.sources.models import PoliceEvent
    from tests.conftest import build_tenant

    stockholm = build_tenant("0180", "LPO City", 59.33, 18.06, "STHLM-MARK")
    settings.SAMTRYGG_DATA_DIR = tmp_path / "saknas"
    out = io.StringIO()
    load_sources_demo([stockholm.partnership], out)
    assert not PoliceEvent.objects.exists()
    assert "samtrygg import police-events" in out.getvalue()
