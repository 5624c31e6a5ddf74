"""The job log: every run of a job is recorded, a repeated idempotency key is skipped, and a
failure is logged with its message and shown on the job status page."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from samtrygg.core.jobs import job
from samtrygg.core.models import JobRun
from samtrygg.core.tasks import ping

pytestmark = pytest.mark.django_db


@job("tests.core.always_fails")
def always_fails(partnership_id: int | None = None, idempotency_key: str = "") -> str:
    raise RuntimeError("Testjobbet gick sönder med flit")


@job("tests.core.language_probe")
def language_probe(idempotency_key: str = "") -> str:
    from django.utils import translation

    return str(translation.get_language())


@pytest.fixture
def eager() -> Iterator[Any]:
    """Run jobs in the test's own thread and transaction (Celery reads its conf at import)."""
    from samtrygg.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved


def test_a_job_run_is_logged_as_succeeded(eager: Any, orsa: Any) -> None:
    result = ping.delay(partnership_id=orsa.partnership.pk)
    run = JobRun.objects.get(task_id=result.id)
    assert run.name == "samtrygg.core.ping"
    assert run.status == "succeeded"
    assert run.partnership == orsa.partnership
    assert run.started_at is not None and run.finished_at is not None
    assert run.started_at <= run.finished_at
    assert run.progress == 100
    assert run.message == "Arbetaren svarar."


def test_the_same_idempotency_key_is_skipped_the_second_time(
    eager: Any, db: Any, caplog: Any
) -> None:
    first = ping.delay(idempotency_key="ping-2025-W01")
    with caplog.at_level(logging.INFO, logger="samtrygg.jobs"):
        second = ping.delay(idempotency_key="ping-2025-W01")
    assert second.get() == "skipped"
    runs = {r.task_id: r for r in JobRun.objects.filter(idempotency_key="ping-2025-W01")}
    assert len(runs) == 2
    assert runs[first.id].status == "succeeded"
    assert runs[second.id].status == "skipped"
    assert "Redan gjort" in runs[second.id].message
    assert any(second.id in r.getMessage() and "skipped" in r.getMessage() for r in caplog.records)
    # Another key runs as usual.
    other = ping.delay(idempotency_key="ping-2025-W02")
    assert JobRun.objects.get(task_id=other.id).status == "succeeded"


def test_a_failing_job_is_logged_and_shown_on_the_job_page(
    eager: Any, orsa: Any, login: Any
) -> None:
    eager.conf.task_eager_propagates = False  # as in a worker: the error is not re-raised
    result = always_fails.delay(partnership_id=orsa.partnership.pk)
    assert result.failed()
    run = JobRun.objects.get(task_id=result.id)
    assert run.name == "tests.core.always_fails"
    assert run.status == "failed"
    assert run.message == "RuntimeError: Testjobbet gick sönder med flit"
    assert run.finished_at is not None
    assert run.partnership == orsa.partnership

    page = login(orsa.user("samordnare"), orsa.partnership).get(reverse("job-list"))
    body = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "Senaste fel" in body
    failures = body[body.index("Senaste fel") :]
    assert "tests.core.always_fails: RuntimeError: Testjobbet gick sönder med flit" in failures


def test_a_failing_job_under_the_projects_eager_settings_is_not_logged_as_succeeded(
    eager: Any, orsa: Any
) -> None:
    """CELERY_TASK_ALWAYS_EAGER=1 with the project's CELERY_TASK_EAGER_PROPAGATES=True."""
    from django.conf import settings

    assert settings.CELERY_TASK_EAGER_PROPAGATES is True
    with pytest.raises(RuntimeError, match="med flit"):
        always_fails.delay(partnership_id=orsa.partnership.pk)
    run = JobRun.objects.get(name="tests.core.always_fails")
    assert run.status == "failed", (run.status, run.message)
    assert "Testjobbet gick sönder med flit" in run.message


def test_a_failure_is_not_shown_when_every_job_succeeded(eager: Any, orsa: Any, login: Any) -> None:
    ping.delay(partnership_id=orsa.partnership.pk)
    body = login(orsa.user("samordnare"), orsa.partnership).get(reverse("job-list"))
    assert "Senaste fel" not in body.content.decode()
    assert "<td>Testjobb</td>" in body.content.decode()
    assert "samtrygg.core.ping" not in body.content.decode()


def test_every_job_of_the_project_has_a_title() -> None:
    from samtrygg.celery import app
    from samtrygg.core.jobs import JOB_TITLES, job_title

    assert job_title("samtrygg.sources.fetch_police_events") == "Hämtning av polisens händelser"
    assert job_title("tests.core.always_fails") == "tests.core.always_fails"  # no title: its name
    declared = {name for name in app.tasks if name.startswith("samtrygg.")}
    assert "samtrygg.situation.send_weekly_digest" in declared
    assert declared - set(JOB_TITLES) == set()


def test_the_job_page_sends_a_test_job(eager: Any, orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(reverse("job-list"))
    assert response.status_code == 302
    run = JobRun.objects.get(name="samtrygg.core.ping")
    assert (run.status, run.partnership) == ("succeeded", orsa.partnership)


def test_reading_roles_cannot_send_a_test_job(eager: Any, orsa: Any, login: Any) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    client.post(reverse("job-list"))
    assert not JobRun.objects.exists()


def test_cleanup_job_removes_long_expired_invitations_only(
    eager: Any, orsa: Any, actor_of: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from samtrygg.core import services
    from samtrygg.core.models import Invitation
    from samtrygg.core.tasks import cleanup_expired_invitations

    admin = actor_of(orsa.user("administrator"), orsa.partnership)
    old, _ = services.invite(
        admin, email="gammal@test.example", organisation=orsa.organisation, role="rapportor"
    )
    recent, _ = services.invite(
        admin, email="ny@test.example", organisation=orsa.organisation, role="rapportor"
    )
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=31))
    Invitation.objects.filter(pk=recent.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    result = cleanup_expired_invitations.delay(idempotency_key="rensa-1")
    assert result.get() == "1 utgången inbjudan borttagen."
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ny@test.example"]
    assert JobRun.objects.get(task_id=result.id).status == "succeeded"


def test_a_job_that_stores_runs_in_swedish_even_eagerly_from_an_english_request(
    eager: Any,
) -> None:
    """Documents and digests are shared: a job that does not follow the queuer's language
    runs in the site's, also when it runs in the request's own thread."""
    from django.utils import translation

    with translation.override("en"):
        assert language_probe.delay().get() == "sv"
