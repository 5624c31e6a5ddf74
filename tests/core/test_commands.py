"""The command line: ``samtrygg import|export <kind>`` (all or nothing, exit code 2 for refused
input, idempotent re-import) and ``samtrygg createadmin``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from samtrygg.core.models import Area, AuditEntry, Population, User

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 2
    return info.value


def state() -> tuple[int, int, int]:
    return Area.objects.count(), AuditEntry.objects.count(), Population.objects.count()


# --- Areas ---------------------------------------------------------------------------------


def test_import_areas_creates_them_with_population_and_audit(orsa: Any) -> None:
    out, _err = run("import", "areas", str(DATA / "orsa_areas.geojson"), "--partnership", "2034")
    assert "2 nya" in out
    norra = Area.objects.get(partnership=orsa.partnership, name="Norra Orsa")
    assert norra.population == 1450
    assert Area.objects.filter(partnership=orsa.partnership, name="Östra Orsa").exists()
    entry = AuditEntry.objects.get(model="core.Area", object_id=str(norra.pk))
    assert entry.action == "create" and entry.actor is None and entry.actor_label == "system"


def test_import_areas_again_changes_nothing(orsa: Any) -> None:
    path = str(DATA / "orsa_areas.geojson")
    run("import", "areas", path, "--partnership", "2034")
    geometries = dict(Area.objects.values_list("name", "geometry"))
    before = state()
    out, _err = run("import", "areas", path, "--partnership", "2034")
    assert "0 nya" in out
    assert "0 uppdaterade" in out, out
    assert "2 oförändrade" in out, out
    assert state() == before
    assert dict(Area.objects.values_list("name", "geometry")) == geometries


def test_import_areas_with_one_bad_feature_saves_nothing(orsa: Any) -> None:
    before = state()
    error = refused(
        "import", "areas", str(DATA / "orsa_areas_bad_feature.geojson"), "--partnership", "2034"
    )
    message = str(error)
    assert "Område 2" in message
    assert "korsar sig själv" in message
    assert "Inget har sparats" in message
    assert state() == before
    assert not Area.objects.filter(name__in=["Västra Orsa", "Södra Orsa"]).exists()


def test_import_areas_refuses_unknown_partnership_and_missing_or_bad_files(
    orsa: Any, tmp_path: Path
) -> None:
    before = state()
    error = refused("import", "areas", str(DATA / "orsa_areas.geojson"), "--partnership", "9999")
    assert "ingen samverkan för kommunkod 9999" in str(error)
    error = refused("import", "areas", str(tmp_path / "saknas.geojson"), "--partnership", "2034")
    assert "Filen finns inte" in str(error)
    broken = tmp_path / "trasig.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    assert "inte giltig GeoJSON" in str(
        refused("import", "areas", str(broken), "--partnership", "2034")
    )
    point = tmp_path / "punkt.geojson"
    point.write_text(json.dumps({"type": "Point", "coordinates": [14.6, 61.1]}), encoding="utf-8")
    assert "FeatureCollection" in str(
        refused("import", "areas", str(point), "--partnership", "2034")
    )
    assert state() == before


def test_export_areas_round_trips(orsa: Any, gislaved: Any, tmp_path: Path) -> None:
    run("import", "areas", str(DATA / "orsa_areas.geojson"), "--partnership", "2034")
    out, _err = run("export", "areas", "--format", "geojson", "--partnership", "2034")
    exported = json.loads(out)
    assert exported["type"] == "FeatureCollection"
    stored = {a.name: a for a in Area.objects.filter(partnership=orsa.partnership)}
    by_name = {f["properties"]["name"]: f for f in exported["features"]}
    assert set(by_name) == set(stored) == {"Centrum ORSA-MARK", "Norra Orsa", "Östra Orsa"}
    for name, feature in by_name.items():
        assert feature["geometry"] == stored[name].geometry
        assert feature["properties"]["population"] == stored[name].population
    assert gislaved.marker not in out

    # Importing the export back into the same partnership finds everything already there.
    path = tmp_path / "export.geojson"
    path.write_text(out, encoding="utf-8")
    before = state()
    again, _err = run("import", "areas", str(path), "--partnership", "2034")
    assert "0 nya" in again
    assert state()[0] == before[0]


def test_export_unknown_partnership_is_refused(db: Any) -> None:
    error = refused("export", "areas", "--format", "geojson", "--partnership", "9999")
    assert "9999" in str(error)


# --- Population ----------------------------------------------------------------------------


def test_import_population(db: Any) -> None:
    out, _err = run("import", "population", str(DATA / "population_2025.csv"), "--year", "2025")
    assert "2 nya" in out
    assert Population.objects.get(municipality_id="2034", year=2025).population == 6912
    assert Population.objects.get(municipality_id="2062", year=2025).population == 20101
    out, _err = run("import", "population", str(DATA / "population_2025.csv"), "--year", "2025")
    assert "0 nya, 0 uppdaterade, 2 oförändrade" in out


def test_import_population_with_a_bad_row_names_it_and_saves_nothing(db: Any) -> None:
    before = state()
    error = refused(
        "import", "population", str(DATA / "population_2025_bad_row.csv"), "--year", "2025"
    )
    message = str(error)
    assert "rad 3" in message
    assert "kolumn population" in message
    assert "tjugotusen" in message
    assert "Inget har sparats" in message
    assert "rad 2" not in message and "rad 4" not in message
    assert state() == before
    assert not Population.objects.filter(year=2025).exists()


def test_import_population_refuses_an_unknown_kommun_and_a_wrong_year(
    db: Any, tmp_path: Path
) -> None:
    csv = tmp_path / "okand.csv"
    csv.write_text("kommun_kod,kommun_namn,population\n9999,Påhittad,100\n", encoding="utf-8")
    message = str(refused("import", "population", str(csv), "--year", "2025"))
    assert "rad 2, kolumn kommun_kod" in message and "9999" in message
    assert "Orimligt år" in str(refused("import", "population", str(csv), "--year", "1066"))
    headless = tmp_path / "utan.csv"
    headless.write_text("kod;antal\n2034;6912\n", encoding="utf-8")
    assert "kolumnerna" in str(refused("import", "population", str(headless), "--year", "2025"))
    assert not Population.objects.filter(year__in=[2025, 1066]).exists()


# --- Usage errors (no database needed): exit code 2 from argparse -------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "samtrygg.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("import", "nosuchkind", "fil.csv"),
        ("import", "areas", "fil.geojson"),  # --partnership is required
    ],
)
def test_usage_errors_exit_with_code_2(args: tuple[str, ...]) -> None:
    result = _cli(*args)
    assert result.returncode == 2, result.stderr
    assert "usage:" in result.stderr.lower()


# --- createadmin --------------------------------------------------------------------------


def test_createadmin_creates_a_superuser_with_argon2(
    db: Any, settings: Any, monkeypatch: Any
) -> None:
    import samtrygg.settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    assert project.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    monkeypatch.setenv("SAMTRYGG_ADMIN_PASSWORD", "Ett-långt-lösenord-för-Orsa-2025")
    out, _err = run("createadmin", "--email", "Admin@Orsa.example", "--no-input")
    assert "admin@orsa.example" in out
    user = User.objects.get(email="admin@orsa.example")
    assert user.is_superuser and user.is_staff
    assert user.password.startswith("argon2$")
    assert user.check_password("Ett-långt-lösenord-för-Orsa-2025")
    assert (
        AuditEntry.objects.filter(
            model="core.User", object_id=str(user.pk), action="create"
        ).count()
        == 1
    )
    assert "Ett-långt-lösenord" not in json.dumps(list(AuditEntry.objects.values("changes")))

    error = refused("createadmin", "--email", "admin@orsa.example", "--no-input")
    assert "Det finns redan en användare" in str(error)
    assert User.objects.filter(email="admin@orsa.example").count() == 1


def test_createadmin_without_a_password_or_with_a_weak_one_is_refused(
    db: Any, monkeypatch: Any
) -> None:
    monkeypatch.delenv("SAMTRYGG_ADMIN_PASSWORD", raising=False)
    assert "SAMTRYGG_ADMIN_PASSWORD" in str(
        refused("createadmin", "--email", "a@orsa.example", "--no-input")
    )
    monkeypatch.setenv("SAMTRYGG_ADMIN_PASSWORD", "12345678")
    refused("createadmin", "--email", "a@orsa.example", "--no-input")
    monkeypatch.setenv("SAMTRYGG_ADMIN_PASSWORD", "Ett-långt-lösenord-för-Orsa-2025")
    assert "giltig e-postadress" in str(
        refused("createadmin", "--email", "inte-en-adress", "--no-input")
    )
    assert not User.objects.filter(is_superuser=True).exists()
