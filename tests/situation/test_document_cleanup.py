"""Generated documents are deleted after SAMTRYGG_DOCUMENT_RETENTION_DAYS by a nightly job:
row and file together, never one without the other, keeping those whose job still runs; a
link to a removed document is a 404 with a Swedish explanation, never a 500."""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone

from samtrygg.core.errors import NotFound
from samtrygg.core.models import JobRun
from samtrygg.situation import exports
from samtrygg.situation.models import DocumentKind, GeneratedDocument
from samtrygg.situation.tasks import cleanup_documents, generate_document
from tests.situation.data import adopted_picture, export_document

pytestmark = pytest.mark.django_db
YEAR, WEEK = 2025, 20


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SAMTRYGG_DOCUMENT_RETENTION_DAYS = 30


def _document(
    tenant: Any, key: str, *, age_days: float, with_file: bool = True, job: str = ""
) -> GeneratedDocument:
    """A document made (or asked for) ``age_days`` ago, with its file and optionally a job
    in the given state."""
    made = timezone.now() - dt.timedelta(days=age_days)
    document = GeneratedDocument.objects.create(
        partnership=tenant.partnership,
        kind=DocumentKind.PICTURE,
        format="pdf",
        key=key,
        filename=f"{key}.pdf",
    )
    if with_file:
        document.file.save(
            f"{tenant.partnership.pk}/{key}.pdf", ContentFile(b"%PDF-1.7 test"), save=False
        )
        document.finished_at = made
    if job:
        document.task_id = str(uuid.uuid4())
        JobRun.objects.create(
            task_id=document.task_id, name="samtrygg.situation.generate_document", status=job
        )
    document.save()
    GeneratedDocument.objects.filter(pk=document.pk).update(created_at=made)
    document.refresh_from_db()
    return document


def _adopted(orsa: Any, actor_of: Any) -> Any:
    return adopted_picture(orsa, actor_of, YEAR, WEEK, "Lugnt.")


def _export(client: Any, picture: Any, capture: Any) -> GeneratedDocument:
    return export_document(client, picture, "xlsx", capture)


def _age(document: GeneratedDocument, days: float) -> None:
    then = timezone.now() - dt.timedelta(days=days)
    GeneratedDocument.objects.filter(pk=document.pk).update(created_at=then, finished_at=then)


def test_the_cleanup_is_scheduled_nightly_and_registered() -> None:
    from samtrygg.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["rensa-gamla-dokument"]
    assert entry["task"] == "samtrygg.situation.cleanup_documents"
    assert entry["task"] in app.tasks
    schedule: Any = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({3}, {30})


def test_old_documents_go_with_their_files_and_unfinished_jobs_are_kept(
    eager: Any, orsa: Any, caplog: Any
) -> None:
    old = _document(orsa, "gammal", age_days=31)
    old_path = Path(old.file.path)
    recent = _document(orsa, "ny", age_days=29)
    queued = _document(orsa, "i-ko", age_days=40, with_file=False, job="queued")
    running = _document(orsa, "pagar", age_days=40, with_file=False, job="running")
    failed = _document(orsa, "misslyckad", age_days=40, with_file=False, job="failed")
    no_file = _document(orsa, "fil-saknas", age_days=40)
    Path(no_file.file.path).unlink()  # a file already gone is fine

    with caplog.at_level(logging.INFO, logger="samtrygg.situation"):
        cleanup_documents.delay()

    left = set(GeneratedDocument.objects.values_list("pk", flat=True))
    assert left == {recent.pk, queued.pk, running.pk}
    assert not old_path.exists()
    assert Path(recent.file.path).exists()
    assert {failed.pk, no_file.pk, old.pk}.isdisjoint(left)
    assert "Gamla dokument borttagna: 3" in caplog.text

    # Idempotent: a second run removes nothing and does not fail.
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="samtrygg.situation"):
        cleanup_documents.delay()
    assert "Gamla dokument borttagna: 0" in caplog.text
    assert set(GeneratedDocument.objects.values_list("pk", flat=True)) == left


def test_a_job_stuck_since_before_the_cutoff_does_not_keep_its_document(
    eager: Any, orsa: Any
) -> None:
    """A job queued 40 days ago and never finished (its message lost) is not running."""
    stuck = _document(orsa, "fast-i-ko", age_days=40, with_file=False, job="queued")
    JobRun.objects.filter(task_id=stuck.task_id).update(
        queued_at=timezone.now() - dt.timedelta(days=40)
    )
    fresh = _document(orsa, "i-ko", age_days=40, with_file=False, job="queued")

    cleanup_documents.delay()

    assert set(GeneratedDocument.objects.values_list("pk", flat=True)) == {fresh.pk}


def test_the_retention_is_a_setting(eager: Any, orsa: Any, settings: Any) -> None:
    settings.SAMTRYGG_DOCUMENT_RETENTION_DAYS = 5
    kept = _document(orsa, "fyra-dagar", age_days=4)
    _document(orsa, "sex-dagar", age_days=6)
    cleanup_documents.delay()
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [kept.pk]

    # 0 would remove a document between being made and downloaded: at least one day.
    settings.SAMTRYGG_DOCUMENT_RETENTION_DAYS = 0
    fresh = _document(orsa, "nyss", age_days=0.5)
    cleanup_documents.delay()
    assert list(GeneratedDocument.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_file_that_cannot_be_deleted_keeps_its_row_and_the_rest_goes(
    eager: Any, orsa: Any
) -> None:
    stuck = _document(orsa, "last", age_days=40)
    other = _document(orsa, "annan", age_days=40)
    real_delete = FileSystemStorage.delete

    def delete(storage: Any, name: str) -> None:
        if name == stuck.file.name:
            raise PermissionError(13, "Permission denied", name)
        real_delete(storage, name)

    with (
        mock.patch.object(FileSystemStorage, "delete", delete),
        pytest.raises(RuntimeError, match="1 dokument kunde inte tas bort"),
    ):
        cleanup_documents.delay()
    # Neither a row without its file nor a file without its row.
    assert GeneratedDocument.objects.filter(pk=stuck.pk).exists()
    assert Path(stuck.file.path).exists()
    assert not GeneratedDocument.objects.filter(pk=other.pk).exists()
    assert not Path(other.file.path).exists()
    assert JobRun.objects.get(name="samtrygg.situation.cleanup_documents").status == "failed"

    # Once the file can be deleted, the next run takes it.
    cleanup_documents.delay()
    assert not GeneratedDocument.objects.exists()
    assert not Path(stuck.file.path).exists()


def test_old_files_without_a_row_are_removed(eager: Any, orsa: Any, settings: Any) -> None:
    kept = _document(orsa, "har-rad", age_days=1)
    folder = Path(settings.MEDIA_ROOT) / "dokument" / "999"
    folder.mkdir(parents=True)
    orphan, fresh_orphan = folder / "kvar.pdf", folder / "sparas-nu.pdf"
    for path in (orphan, fresh_orphan):
        path.write_bytes(b"%PDF")
    long_ago = (timezone.now() - dt.timedelta(days=40)).timestamp()
    os.utime(orphan, (long_ago, long_ago))
    os.utime(kept.file.path, (long_ago, long_ago))  # an old file of a recent row stays

    cleanup_documents.delay()
    assert not orphan.exists()
    assert fresh_orphan.exists()  # maybe a job saving it right now
    assert Path(kept.file.path).exists()


def test_a_removed_document_is_a_swedish_404_and_can_be_made_again(
    eager: Any,
    orsa: Any,
    actor_of: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    picture = _adopted(orsa, actor_of)
    client = login(orsa.user("samordnare"), orsa.partnership)
    document = _export(client, picture, django_capture_on_commit_callbacks)
    download = reverse("document-download", args=[document.pk])
    assert client.get(download).status_code == 200
    _age(document, 31)

    cleanup_documents.delay()
    assert not GeneratedDocument.objects.filter(pk=document.pk).exists()
    assert client.get(download).status_code == 404
    assert client.get(reverse("document-status", args=[document.pk])).status_code == 404
    actor = actor_of(orsa.user("samordnare"), orsa.partnership)
    with pytest.raises(NotFound) as gone:
        exports.document(actor, document.pk)
    assert "har tagits bort" in gone.value.message and "30 dagar" in gone.value.message

    again = _export(client, picture, django_capture_on_commit_callbacks)
    assert again.is_ready
    assert client.get(reverse("document-download", args=[again.pk])).status_code == 200


def test_a_row_whose_file_is_gone_is_a_404_not_a_500_and_is_made_anew(
    eager: Any,
    orsa: Any,
    actor_of: Any,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    picture = _adopted(orsa, actor_of)
    client = login(orsa.user("samordnare"), orsa.partnership)
    document = _export(client, picture, django_capture_on_commit_callbacks)
    Path(document.file.path).unlink()

    assert client.get(reverse("document-download", args=[document.pk])).status_code == 404
    # The file vanishing after the permission check (the cleanup running meanwhile) too.
    with pytest.raises(NotFound):
        exports.document_bytes(document)

    again = _export(client, picture, django_capture_on_commit_callbacks)
    assert again.pk == document.pk and again.is_ready
    assert Path(again.file.path).exists()
    assert client.get(reverse("document-download", args=[again.pk])).status_code == 200


def test_a_late_job_for_a_removed_document_does_not_fail(eager: Any, orsa: Any) -> None:
    document = _document(orsa, "borta", age_days=1, with_file=False)
    pk = document.pk
    document.delete()
    generate_document.delay(document_id=pk, idempotency_key="borta")
    assert not GeneratedDocument.objects.exists()
