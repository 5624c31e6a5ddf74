"""Bulk import of a partner's own log: CSV and XLSX, all rows or none with every error named
by row and column, idempotent, with progress; large uploads run as a job."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.urls import reverse

from samtrygg.core.models import JobRun
from samtrygg.observations import importing, services
from samtrygg.observations.models import Observation, Report
from tests.observations.conftest import (
    actor,
    csv_text,
    import_row,
    run_data_command,
    yesterday,
)

pytestmark = pytest.mark.django_db


def _import(tenant: Any, data: bytes | str, name: str = "logg.csv", role: str = "rapportor") -> Any:
    raw = data.encode() if isinstance(data, str) else data
    rows = importing.read_file(raw, name)
    return services.import_rows(actor(tenant.user(role), tenant), rows)


def test_one_bad_row_saves_nothing_and_every_error_names_row_and_column(orsa: Any) -> None:
    rows = [import_row(orsa) for _ in range(6)]
    rows[1]["kategori"] = "Grafitti"
    rows[3].update(bedomning="5", datum="2025-13-40")
    rows[4].update(plats="", lat="59.33", lon="18.06")
    rows[5].update(tidsband="", tid="")
    with pytest.raises(services.ImportRefused) as refused:
        _import(orsa, csv_text(rows))
    errors = refused.value.errors
    assert errors[0].startswith("Rad 3, kolumn kategori: Okänd kategori ”Grafitti”")
    assert any(e.startswith("Rad 5, kolumn datum: Datumet") for e in errors)
    assert any(e.startswith("Rad 5, kolumn bedomning: Välj en bedömning") for e in errors)
    assert any(e.startswith("Rad 6, kolumn plats/lat/lon: Platsen ligger") for e in errors)
    assert any(e.startswith("Rad 7, kolumn tidsband: Ange klockslag") for e in errors)
    assert len(errors) == 5
    assert refused.value.message.startswith("Inget har sparats: filen har 5 fel.")
    assert refused.value.row == 3
    assert not Observation.objects.exists() and not Report.objects.exists()


def test_importing_the_same_file_again_changes_nothing(orsa: Any) -> None:
    rows = [import_row(orsa, beskrivning=f"Klotter på vägg {i}.") for i in range(4)]
    rows.append(dict(rows[0]))  # the same incident twice in one log: two incidents
    data = csv_text(rows)
    first = _import(orsa, data)
    assert (first.created, first.unchanged) == (5, 0)
    again = _import(orsa, data)
    assert (again.created, again.unchanged, again.report) == (0, 5, None)
    assert Observation.objects.count() == 5 and Report.objects.count() == 1
    # One more row at the end: only that one is new.
    rows.append(import_row(orsa, beskrivning="Ny rad."))
    third = _import(orsa, csv_text(rows))
    assert (third.created, third.unchanged) == (1, 5)
    report = first.report
    assert report.channel == "import" and report.organisation == orsa.other_organisation


def test_semicolons_decimal_commas_and_swedish_headers(orsa: Any) -> None:
    text = (
        "Datum;Tid;Kategori;Latitud;Longitud;Beskrivning;Bedömning;Antal personer;Källa;"
        "Polisanmäld;Extra\n"
        f"{yesterday()};21.30;skadegörelse;61,1206;14,6161;Sönderslagen lampa;3;2;Boende;ja;x\n"
    )
    result = _import(orsa, text.encode("cp1252"), "logg.csv")
    obs = Observation.objects.get(report=result.report)
    assert obs.category.slug == "skadegorelse"
    assert (obs.lat, obs.lon, obs.area) == (61.1206, 14.6161, orsa.area)
    assert obs.time_exact and obs.time_band == "kvall"
    assert (obs.assessment, obs.people_count, obs.source, obs.police_reported) == (
        3,
        2,
        "boende",
        True,
    )


def test_a_file_without_the_needed_columns_is_refused(orsa: Any) -> None:
    with pytest.raises(services.DomainError, match="Rad 1: kolumnerna kategori, bedomning"):
        _import(orsa, "datum,tid,plats,beskrivning\n2025-01-01,10:00,Torget,x\n")
    with pytest.raises(services.DomainError, match="Filen är tom"):
        _import(orsa, "")


def test_the_xlsx_template_can_be_filled_in_and_imported(orsa: Any, login: Any) -> None:
    from openpyxl import load_workbook

    client = login(orsa.user("rapportor"), orsa.partnership)
    response = client.get(reverse("import-template", args=["csv"]))
    assert response.content.decode("utf-8-sig").strip() == ",".join(importing.HEADER)
    response = client.get(reverse("import-template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Händelser", "Val", "Förklaring"]
    sheet = workbook["Händelser"]
    assert [c.value for c in sheet[1]] == importing.HEADER
    assert "Klotter" in [c.value for c in workbook["Val"]["A"]]
    assert len(sheet.data_validations.dataValidation) >= 5
    sheet.append(
        [
            yesterday(),
            None,
            "dag",
            "Klotter",
            orsa.place.name,
            None,
            None,
            "Klotter på elskåpet.",
            2,
            None,
            "egen iakttagelse",
            "nej",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("logg.xlsx", buffer.getvalue())
    response = client.post(reverse("observation-import"), {"file": upload})
    assert response.status_code == 200
    assert "1 nya händelser" in response.content.decode()
    obs = Observation.objects.get()
    assert obs.time_band == "dag" and obs.place == orsa.place


def test_coordinators_choose_whose_log_it_is(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    data = csv_text([import_row(orsa)]).encode()
    client.post(reverse("observation-import"), {"file": SimpleUploadedFile("a.csv", data)})
    assert Observation.objects.get().organisation == orsa.organisation  # their own by default
    client.post(
        reverse("observation-import"),
        {"file": SimpleUploadedFile("a.csv", data), "organisation": orsa.other_organisation.pk},
    )
    assert Observation.objects.filter(organisation=orsa.other_organisation).count() == 1
    # A rapportör cannot import into another organisation's log.
    rapportor = login(orsa.user("rapportor"), orsa.partnership)
    rapportor.post(
        reverse("observation-import"),
        {"file": SimpleUploadedFile("b.csv", data), "organisation": orsa.organisation.pk},
    )
    assert Observation.objects.count() == 2


def _big_csv(tenant: Any, n: int, bad_row: int | None = None) -> str:
    lines = [",".join(importing.HEADER)]
    day = yesterday().isoformat()
    for i in range(n):
        category = "Klottr" if bad_row is not None and i + 2 == bad_row else "Klotter"
        lines.append(f"{day},,kväll,{category},{tenant.place.name},,,Klotter på vägg {i}.,2,,,nej")
    return "\n".join(lines) + "\n"


def test_ten_thousand_rows_with_progress_and_one_bad_row(orsa: Any, tmp_path: Any) -> None:
    path = tmp_path / "logg.csv"
    path.write_text(_big_csv(orsa, 10_000, bad_row=7342), encoding="utf-8")
    args = (
        "observations",
        str(path),
        "--partnership",
        "2034",
        "--organisation",
        orsa.other_organisation.name,
    )
    with pytest.raises(CommandError) as refused:
        run_data_command("import", *args)
    assert refused.value.returncode == 2
    assert "Rad 7342, kolumn kategori: Okänd kategori ”Klottr”" in str(refused.value)
    assert "filen har 1 fel" in str(refused.value)
    assert not Observation.objects.exists()

    path.write_text(_big_csv(orsa, 10_000), encoding="utf-8")
    out, err = run_data_command("import", *args)
    assert Observation.objects.count() == 10_000
    assert "10000 nya" in out
    assert "Kontrollerar rader: 1000/10000 rader (10 %)" in err
    assert "Kontrollerar rader: klart, 10000 rader" in err
    assert "Sparar händelser: klart" in err


def test_a_large_upload_runs_as_a_job_with_progress(
    orsa: Any, login: Any, eager_jobs: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from samtrygg.observations import views

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(views, "SYNC_IMPORT_ROWS", 20)
    client = login(orsa.user("rapportor"), orsa.partnership)
    upload = SimpleUploadedFile("stor.csv", _big_csv(orsa, 60).encode())
    response = client.post(reverse("observation-import"), {"file": upload})
    assert response.status_code == 302
    run = JobRun.objects.get(name="samtrygg.observations.import_file")
    assert response.url == reverse("import-job", args=[run.task_id])
    assert run.status == "succeeded" and run.progress == 100
    assert run.partnership == orsa.partnership
    assert Observation.objects.count() == 60
    assert not list((tmp_path / "imports").iterdir())  # the upload is gone
    page = client.get(response.url).content.decode()
    assert '<progress id="import-bar" max="100" value="100">' in page
    assert "60 nya händelser" in page
    assert "hx-get" not in page  # done: no more polling
    fragment = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="import-progress"')

    # A refused file: the job fails, nothing is saved, the page says why.
    upload = SimpleUploadedFile("stor.csv", _big_csv(orsa, 60, bad_row=41).encode())
    response = client.post(reverse("observation-import"), {"file": upload})
    page = client.get(response.url).content.decode()
    assert "Rad 41, kolumn kategori" in page and "Misslyckades" in page
    assert "ImportRefused" not in page
    assert Observation.objects.count() == 60


def test_a_running_job_page_polls(orsa: Any, login: Any) -> None:
    run = JobRun.objects.create(
        task_id="t-1",
        name="samtrygg.observations.import_file",
        partnership=orsa.partnership,
        status="running",
        progress=40,
        message="Kontrollerar rader: 800 av 2000",
    )
    client = login(orsa.user("rapportor"), orsa.partnership)
    page = client.get(reverse("import-job", args=[run.task_id])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="40"' in page
    other = JobRun.objects.create(
        task_id="t-2", name="samtrygg.core.ping", partnership=orsa.partnership
    )
    assert client.get(reverse("import-job", args=[other.task_id])).status_code == 404
