"""Smaller import defects: a mobile number in a number cell (its leading zero lost) is still a
telephone number to the privacy screen; import jobs and their messages follow the reports'
read rules; a file refused as a whole answers 400."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from samtrygg.core.models import JobRun, Membership, Role
from samtrygg.observations import importing, services
from samtrygg.observations.models import Observation
from tests.observations.conftest import actor, yesterday

pytestmark = pytest.mark.django_db
MARK = "Rad 41, kolumn kategori: HEMLIG-IMPORT"


def _xlsx(tenant: Any, description: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Händelser"
    sheet.append(importing.HEADER)
    row = [yesterday().isoformat(), "", "kväll", "Klotter", tenant.place.name, None, None]
    sheet.append([*row, description, 2, None, None, "nej"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("number", [701234567, 701234567.0, 731234567])
def test_a_mobile_number_in_a_number_cell_is_refused(orsa: Any, number: Any) -> None:
    rows = importing.read_file(_xlsx(orsa, number), "logg.xlsx")
    with pytest.raises(services.ImportRefused) as refused:
        services.import_rows(actor(orsa.user("rapportor"), orsa), rows)
    assert "telefonnummer" in " ".join(refused.value.errors)
    assert not Observation.objects.exists()


def test_other_numbers_in_a_number_cell_stay_as_typed(orsa: Any) -> None:
    rows = importing.read_file(_xlsx(orsa, 12.5), "logg.xlsx")
    assert rows[0].incident.description == "12.5"
    rows = importing.read_file(_xlsx(orsa, 4711), "logg.xlsx")
    assert rows[0].incident.description == "4711"


def _second_reporter(tenant: Any) -> Any:
    """A rapportör of the kommun (the tenant's rapportör belongs to the other organisation)."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username="rapportor2@test.example", email="rapportor2@test.example", password="x"
    )
    Membership.objects.create(
        user=user,
        partnership=tenant.partnership,
        organisation=tenant.organisation,
        role="rapportor",
    )
    return user


def _job(tenant: Any) -> Any:
    return JobRun.objects.create(
        task_id="import-1",
        name="samtrygg.observations.import_file",
        partnership=tenant.partnership,
        status="failed",
        message=MARK,
        queued_by=tenant.user("rapportor"),
        organisation=tenant.other_organisation,
    )


@pytest.mark.parametrize(
    "role, sees, page_status",
    [
        ("rapportor", True, 200),  # queued it
        ("samordnare", True, 200),
        ("kommunpolis", True, 200),
        ("analytiker", True, 403),  # reads every report, imports none: /jobb/ only
        ("styrgrupp", False, 404),
        ("administrator", False, 404),
        ("other-reporter", False, 404),
    ],
)
def test_an_import_job_follows_the_reports_read_rules(
    orsa: Any, login: Any, role: str, sees: bool, page_status: int
) -> None:
    run = _job(orsa)
    user = _second_reporter(orsa) if role == "other-reporter" else orsa.user(role)
    client = login(user, orsa.partnership)
    jobs_page = client.get(reverse("job-list")).content.decode()
    assert (MARK in jobs_page) is sees
    page = client.get(reverse("import-job", args=[run.task_id]))
    assert page.status_code == page_status
    assert (MARK in page.content.decode()) is (page_status == 200)


def test_a_reporter_of_the_same_organisation_sees_its_imports(orsa: Any, login: Any) -> None:
    from django.contrib.auth import get_user_model

    run = _job(orsa)
    colleague = get_user_model().objects.create_user(
        username="kollega@test.example", email="kollega@test.example", password="x"
    )
    Membership.objects.create(
        user=colleague,
        partnership=orsa.partnership,
        organisation=orsa.other_organisation,
        role=Role.RAPPORTOR,
    )
    client = login(colleague, orsa.partnership)
    assert client.get(reverse("import-job", args=[run.task_id])).status_code == 200


def test_an_upload_records_who_queued_it_and_for_whom(
    orsa: Any, login: Any, eager_jobs: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from samtrygg.observations import views

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(views, "SYNC_IMPORT_ROWS", 1)
    client = login(orsa.user("rapportor"), orsa.partnership)
    day = yesterday().isoformat()
    lines = [",".join(importing.HEADER)]
    lines += [f"{day},,kväll,Klotter,{orsa.place.name},,,Klotter {i}.,2,,,nej" for i in range(3)]
    upload = SimpleUploadedFile("logg.csv", ("\n".join(lines) + "\n").encode())
    response = client.post(reverse("observation-import"), {"file": upload})
    assert response.status_code == 302
    run = JobRun.objects.get(name="samtrygg.observations.import_file")
    assert run.queued_by == orsa.user("rapportor")
    assert run.organisation == orsa.other_organisation


def _over_limit() -> bytes:
    day = yesterday().isoformat()
    line = f"{day},,kväll,Klotter,Torget,,,Klotter.,2,,,nej\n"
    return (",".join(importing.HEADER) + "\n" + line * (importing.MAX_ROWS + 1)).encode()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("tom.csv", b"", "Filen är tom"),
        ("skrap.csv", b"\x00\x01\x02 \xff\xfe skr\xe4p;;;\n1;2\n", "saknas"),
        ("stor.csv", None, "fler än 50000 rader"),
    ],
)
def test_a_file_refused_as_a_whole_answers_400(
    orsa: Any, login: Any, name: str, data: bytes | None, message: str
) -> None:
    client = login(orsa.user("rapportor"), orsa.partnership)
    upload = SimpleUploadedFile(name, data if data is not None else _over_limit())
    response = client.post(reverse("observation-import"), {"file": upload})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not Observation.objects.exists()
