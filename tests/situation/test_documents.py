"""The adopted lägesbild as a document made by a job: "Skapa PDF" queues it, the page polls
its progress, and the download is checked like the page (never served from /media/)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.analysis.picture import Period
from samtrygg.core.models import JobRun
from samtrygg.situation import services
from samtrygg.situation.models import GeneratedDocument
from tests.situation.data import adopted_picture, busy_weeks, export_document

pytestmark = pytest.mark.django_db
YEAR, WEEK = 2025, 20


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _adopted(orsa: Any, actor_of: Any) -> Any:
    return adopted_picture(orsa, actor_of, YEAR, WEEK, "Oroligt vid torget.")


def _start(client: Any, picture: Any, fmt: str, capture: Any) -> Any:
    return export_document(client, picture, fmt, capture)


def test_skapa_pdf_runs_a_job_and_the_download_is_permission_checked(
    eager: Any,
    orsa: Any,
    actor_of: Any,
    login: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    picture = _adopted(orsa, actor_of)
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-detail", args=[picture.pk])).content.decode()
    assert reverse("situation-export", args=[picture.pk, "pdf"]) in page
    assert "Skapa PDF" in page

    document = _start(client, picture, "pdf", django_capture_on_commit_callbacks)
    assert document.is_ready and document.format == "pdf"
    run = JobRun.objects.get(task_id=document.task_id)
    assert run.name == "samtrygg.situation.generate_document"
    assert run.status == "succeeded" and run.progress == 100
    assert run.idempotency_key == document.key == f"lagesbild-{picture.pk}-v1-pdf-full"
    # Stored under MEDIA_ROOT, outside /static/, and only handed out by the download page.
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))

    status = client.get(reverse("document-status", args=[document.pk])).content.decode()
    assert "<progress" in status and reverse("document-download", args=[document.pk]) in status
    fragment = client.get(reverse("document-status", args=[document.pk]), HTTP_HX_REQUEST="true")
    assert "hx-get" not in fragment.content.decode()  # done: polling stops
    download = client.get(reverse("document-download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")

    # Asking again reuses the document: no second job.
    again = _start(client, picture, "pdf", django_capture_on_commit_callbacks)
    assert again.pk == document.pk
    assert JobRun.objects.filter(name="samtrygg.situation.generate_document").count() == 1


def test_a_queued_document_is_polled_with_htmx(
    orsa: Any, actor_of: Any, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Without a worker the job stays queued; the fragment keeps polling."""
    from unittest import mock

    picture = _adopted(orsa, actor_of)
    client = login(orsa.user("kommunpolis"), orsa.partnership)
    with mock.patch("samtrygg.situation.tasks.generate_document.apply_async") as queued:
        document = _start(client, picture, "xlsx", django_capture_on_commit_callbacks)
    assert queued.call_args.kwargs["kwargs"]["idempotency_key"] == document.key
    assert not document.is_ready
    fragment = client.get(
        reverse("document-status", args=[document.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    assert client.get(reverse("document-download", args=[document.pk])).status_code == 302


def test_styrgrupp_gets_its_own_version_and_not_the_full_one(
    eager: Any,
    orsa: Any,
    actor_of: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from openpyxl import load_workbook

    picture = _adopted(orsa, actor_of)
    full = _start(
        login(orsa.user("samordnare"), orsa.partnership),
        picture,
        "xlsx",
        django_capture_on_commit_callbacks,
    )
    client = login(orsa.user("styrgrupp"), orsa.partnership)
    own = _start(client, picture, "xlsx", django_capture_on_commit_callbacks)
    assert own.pk != full.pk and own.audience == "antagen"
    download = client.get(reverse("document-download", args=[own.pk]))
    book = load_workbook(io.BytesIO(download.content))
    assert book["Delområden"]["A1"].value.startswith("Lägesbild")
    # The full version (with the period's actions) is not the styrgrupp's.
    assert client.get(reverse("document-download", args=[full.pk])).status_code == 404
    assert client.get(reverse("document-status", args=[full.pk])).status_code == 404


def test_a_draft_is_not_made_as_a_document(orsa: Any, actor_of: Any, login: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    draft = services.draft(actor, Period.week(YEAR, WEEK))
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("situation-export", args=[draft.pk, "pdf"]))
    assert response.status_code == 302
    assert not GeneratedDocument.objects.exists()


def test_roles_without_the_page_cannot_export_or_download(
    eager: Any,
    orsa: Any,
    actor_of: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    picture = _adopted(orsa, actor_of)
    document = _start(
        login(orsa.user("samordnare"), orsa.partnership),
        picture,
        "pdf",
        django_capture_on_commit_callbacks,
    )
    client = login(orsa.user("administrator"), orsa.partnership)
    assert client.post(reverse("situation-export", args=[picture.pk, "pdf"])).status_code == 403
    assert client.get(reverse("document-download", args=[document.pk])).status_code == 403
    # An unknown format is 404.
    client = login(orsa.user("samordnare"), orsa.partnership)
    assert client.post(reverse("situation-export", args=[picture.pk, "doc"])).status_code == 404


def test_the_api_lists_pictures_and_styrgrupp_sees_adopted_only(
    orsa: Any, actor_of: Any, login: Any
) -> None:
    picture = _adopted(orsa, actor_of)
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    draft = services.draft(actor, Period.week(YEAR, WEEK + 1))
    base = f"/api/v1/partnerships/{orsa.partnership.municipality.code}/situation-pictures"

    client = login(orsa.user("samordnare"), orsa.partnership)
    ids = {p["id"] for p in client.get(base).json()["items"]}
    assert ids == {picture.pk, draft.pk}
    detail = client.get(f"{base}/{picture.pk}").json()
    assert detail["status"] == "antagen" and detail["assessment"] == "Oroligt vid torget."
    assert detail["levels"][0]["area_name"] == orsa.area.name
    assert detail["levels"][0]["count"] == 14

    client = login(orsa.user("styrgrupp"), orsa.partnership)
    ids = {p["id"] for p in client.get(base).json()["items"]}
    assert ids == {picture.pk}
    assert client.get(f"{base}/{draft.pk}").status_code == 404
    assert client.post(base, {}, content_type="application/json").status_code == 405

    client = login(orsa.user("administrator"), orsa.partnership)
    assert client.get(base).status_code == 403
