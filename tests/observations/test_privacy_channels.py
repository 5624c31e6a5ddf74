"""Nothing the privacy screen catches is ever stored: the same strings through the form, the
API, an import (page, command line and background job), and the answer explains itself."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError
from django.urls import reverse

from samtrygg.core.models import AuditEntry, JobRun
from samtrygg.observations.models import Observation, Report
from tests.observations.conftest import (
    PRIVATE_TEXTS,
    csv_text,
    import_row,
    incident,
    run_data_command,
    yesterday,
)

pytestmark = pytest.mark.django_db

REFUSAL = "kan inte sparas eftersom den innehåller uppgifter som kan peka ut en person"


def _nothing_stored(text: str) -> None:
    assert not Observation.objects.exists()
    assert not Report.objects.exists()
    for changes in AuditEntry.objects.values_list("changes", flat=True):
        assert text not in json.dumps(changes, ensure_ascii=False)
    for message in JobRun.objects.values_list("message", flat=True):
        assert text not in message


def _form_post(tenant: Any, text: str) -> dict[str, str]:
    return {
        "action": "send",
        "client_uuid": "",
        "category-0": "klotter",
        "occurred_on-0": yesterday().isoformat(),
        "time_band-0": "kvall",
        "place-0": str(tenant.place.pk),
        "description-0": text,
        "assessment-0": "2",
        "source-0": "egen_iakttagelse",
    }


def test_the_form_refuses_and_explains(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    for text in PRIVATE_TEXTS:
        response = client.post(reverse("report-create"), _form_post(orsa, text))
        assert response.status_code == 400, text
        page = response.content.decode()
        assert REFUSAL in page, text
        assert "Beskriv platsen och vad som hände, inte vem det var." in page
        _nothing_stored(text)


def test_the_api_refuses_with_the_same_message(orsa: Any, login: Any) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    for text in PRIVATE_TEXTS:
        single = {
            "category": "klotter",
            "occurred_on": yesterday().isoformat(),
            "time_band": "kvall",
            "place_id": orsa.place.pk,
            "description": text,
            "assessment": 2,
        }
        response = client.post(
            "/api/v1/partnerships/2034/reports",
            {"incidents": [single]},
            content_type="application/json",
        )
        assert response.status_code == 400, text
        detail = response.json()
        assert REFUSAL in detail["detail"], text
        assert detail["field"] == "description"
        assert text not in detail["detail"]
        response = client.post(
            "/api/v1/partnerships/2034/observations", single, content_type="application/json"
        )
        assert response.status_code == 400 and REFUSAL in response.json()["detail"], text
        _nothing_stored(text)


def test_an_import_refuses_the_whole_file_and_names_the_row(
    orsa: Any, login: Any, tmp_path: Any
) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    for number, text in enumerate(PRIVATE_TEXTS):
        rows = [import_row(orsa) for _ in range(3)]
        rows[1]["beskrivning"] = text
        data = csv_text(rows)
        # The page.
        upload = SimpleUploadedFile("logg.csv", data.encode(), content_type="text/csv")
        response = client.post(reverse("observation-import"), {"file": upload})
        assert response.status_code == 400, text
        page = response.content.decode()
        assert "Rad 3, kolumn beskrivning:" in page and REFUSAL in page, text
        # The API.
        response = client.post(
            "/api/v1/partnerships/2034/observation-imports",
            {"content": data},
            content_type="application/json",
        )
        assert response.status_code == 400, text
        assert "Rad 3, kolumn beskrivning:" in response.json()["detail"]
        assert response.json()["row"] == 3
        # The command line.
        path = tmp_path / f"logg-{number}.csv"
        path.write_text(data, encoding="utf-8")
        with pytest.raises(CommandError) as refused:
            run_data_command(
                "import",
                "observations",
                str(path),
                "--partnership",
                "2034",
                "--organisation",
                orsa.other_organisation.name,
            )
        assert refused.value.returncode == 2
        assert "Rad 3, kolumn beskrivning:" in str(refused.value)
        assert text not in str(refused.value)
        _nothing_stored(text)


def test_a_large_upload_is_screened_before_it_is_queued(
    orsa: Any, login: Any, eager_jobs: Any, settings: Any, tmp_path: Any
) -> None:
    from samtrygg.observations import views

    settings.VAR_DIR = tmp_path
    rows = [import_row(orsa, beskrivning=f"Klotter på vägg {i}.") for i in range(30)]
    rows[17]["beskrivning"] = PRIVATE_TEXTS[0]
    client = login(orsa.user("rapportor"), orsa.partnership)
    upload = SimpleUploadedFile("stor.csv", csv_text(rows).encode(), content_type="text/csv")
    original = views.SYNC_IMPORT_ROWS
    views.SYNC_IMPORT_ROWS = 10
    try:
        response = client.post(reverse("observation-import"), {"file": upload})
    finally:
        views.SYNC_IMPORT_ROWS = original
    assert response.status_code == 400
    assert "Rad 19, kolumn beskrivning:" in response.content.decode()
    assert not JobRun.objects.exists()
    assert not list((tmp_path / "imports").glob("*")) if (tmp_path / "imports").exists() else True
    _nothing_stored(PRIVATE_TEXTS[0])


def test_edits_are_screened_too(orsa: Any, login: Any) -> None:
    from samtrygg.observations import services
    from tests.observations.conftest import actor

    obs = services.submit_report(
        actor(orsa.user("rapportor"), orsa), [incident(orsa)]
    ).observations[0]
    client = login(orsa.user("rapportor"), orsa.partnership)
    form = {k.replace("-0", "-0"): v for k, v in _form_post(orsa, PRIVATE_TEXTS[2]).items()}
    response = client.post(reverse("observation-edit", args=[obs.pk]), form)
    assert response.status_code == 400 and REFUSAL in response.content.decode()
    response = client.put(
        f"/api/v1/partnerships/2034/observations/{obs.pk}",
        {
            "category": "klotter",
            "occurred_on": yesterday().isoformat(),
            "time_band": "kvall",
            "place_id": orsa.place.pk,
            "description": PRIVATE_TEXTS[2],
            "assessment": 2,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and REFUSAL in response.json()["detail"]
    obs.refresh_from_db()
    assert obs.description == "Nytt klotter på busskuren vid torget."
