"""Meeting minutes as PDF (from the meeting page's template) and XLSX, made by a job:
attendance, notes, decisions and their actions; not-for-publication actions are included
(minutes are internal) and marked."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.actions import minutes, services
from samtrygg.core.models import JobRun
from samtrygg.situation.models import GeneratedDocument

pytestmark = pytest.mark.django_db


def _meeting(orsa: Any, coordinator: Any) -> Any:
    today = dt.date.today()
    meeting = services.create_meeting(
        coordinator, held_on=today, title="EST-möte vecka 47", location="Kommunhuset"
    )
    services.set_attendance(
        coordinator, meeting, {orsa.organisation.pk: 3, orsa.other_organisation.pk: 1}
    )
    services.update_notes(coordinator, meeting, "Oroligt vid busstationen på fredagskvällar.")
    spec = {
        "owner": orsa.organisation.pk,
        "start_date": today,
        "end_date": today + dt.timedelta(days=7),
    }
    services.add_decision(
        coordinator,
        meeting,
        text="Öka närvaron vid busstationen.",
        actions=[
            services.ActionSpec(title="Vuxennärvaro fredag", type="vuxennarvaro", **spec),
            services.ActionSpec(
                title="Polisens rondering", type="rondering", not_for_publication=True, **spec
            ),
        ],
    )
    return meeting


def _start(client: Any, meeting: Any, fmt: str, capture: Any) -> Any:
    with capture(execute=True):
        response = client.post(reverse("meeting-export", args=[meeting.pk, fmt]))
    assert response.status_code == 302
    return GeneratedDocument.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def test_minutes_xlsx_has_attendance_notes_decisions_and_marked_actions(
    orsa: Any, coordinator: Any
) -> None:
    from openpyxl import load_workbook

    meeting = _meeting(orsa, coordinator)
    book = load_workbook(io.BytesIO(minutes.minutes_xlsx(meeting)))
    assert book["Möte"]["B1"].value == "EST-möte vecka 47"
    assert book["Möte"]["B5"].value == "Oroligt vid busstationen på fredagskvällar."
    people = {r[0]: r[1] for r in book["Närvaro"].iter_rows(min_row=2, values_only=True)}
    assert people == {orsa.organisation.name: 3, orsa.other_organisation.name: 1}
    rows = list(book["Beslut och insatser"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[11]) for r in rows] == [
        ("§1", "Vuxennärvaro fredag", "nej"),
        ("§1", "Polisens rondering", "ja, ej för publicering"),
    ]


def test_minutes_pdf_is_made_by_a_job_from_the_meeting_template(
    eager: Any,
    orsa: Any,
    coordinator: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from pypdf import PdfReader

    meeting = _meeting(orsa, coordinator)
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert reverse("meeting-export", args=[meeting.pk, "pdf"]) in page

    document = _start(client, meeting, "pdf", django_capture_on_commit_callbacks)
    assert document.is_ready and document.kind == "protokoll"
    run = JobRun.objects.get(task_id=document.task_id)
    assert (run.status, run.idempotency_key) == ("succeeded", document.key)
    download = client.get(reverse("document-download", args=[document.pk]))
    assert download.status_code == 200
    data = download.content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (
        "Protokoll",
        "EST-möte vecka 47",
        "Oroligt vid busstationen",
        orsa.other_organisation.name,
        "§1",
        "Vuxennärvaro fredag",
        "Polisens rondering",
        "ej för publicering",
    ):
        assert expected in text, expected
    assert "Spara beslut" not in text  # no forms in the minutes

    # The same revision is reused; a change makes a new one.
    assert _start(client, meeting, "pdf", django_capture_on_commit_callbacks).pk == document.pk
    services.update_notes(coordinator, meeting, "Nya anteckningar.")
    assert _start(client, meeting, "pdf", django_capture_on_commit_callbacks).pk != document.pk


def test_only_those_who_see_the_meeting_get_the_minutes(
    eager: Any,
    orsa: Any,
    coordinator: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting = _meeting(orsa, coordinator)
    document = _start(
        login(orsa.user("analytiker"), orsa.partnership),
        meeting,
        "xlsx",
        django_capture_on_commit_callbacks,
    )
    for role in ("styrgrupp", "rapportor"):
        client = login(orsa.user(role), orsa.partnership)
        assert client.get(reverse("document-download", args=[document.pk])).status_code == 403
        response = client.post(reverse("meeting-export", args=[meeting.pk, "pdf"]))
        assert response.status_code == 403
