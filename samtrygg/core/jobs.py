"""The job log: every Celery task run is recorded in JobRun, and jobs are idempotent.

A task declared with :func:`job` gets a row in the job log when it is queued, started,
finished or failed. A running job shows a sign of life (``heartbeat_at``) when it starts and
whenever it reports progress; a job whose worker died (killed, out of memory, the server
stopped) falls silent, and :func:`sweep_stale_jobs` (scheduled every five minutes) marks it
failed with a message the user sees, so it never shows "running" forever. Files that wait
for a job (:func:`job_file`) are named after the job and deleted when it ends, either way.

A job with an idempotency key that already succeeded is not run again (it is logged as
"skipped"), so a retried or re-sent message does no double work.

The job's message in the log is worded in the language of whoever queued the job: the
language active when it was queued travels with it (a message header). A job declared with
``follow_language=True`` runs in that language (its messages, its errors); the others run in
the default language, Swedish (documents and e-mails a job makes are shared by everyone),
and word only their messages in the queuer's language (:func:`in_queued_language`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from celery import current_task, shared_task, states
from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

logger = logging.getLogger("samtrygg.jobs")
F = TypeVar("F", bound=Callable[..., Any])
#: The message header that carries the language the job was queued in.
LANGUAGE_HEADER = "samtrygg_language"


def _job_run_model() -> Any:
    from samtrygg.core.models import JobRun

    return JobRun


def _mark_failed(task_id: str | None, exception: BaseException | None) -> None:
    if not task_id:
        return
    _job_run_model().objects.filter(task_id=task_id).update(
        status="failed",
        finished_at=timezone.now(),
        message=f"{type(exception).__name__}: {exception}"[:5000],
    )


def queued_language(request: Any = None) -> str | None:
    """The language the running job was queued in (None: not known, e.g. run eagerly, where
    the caller's language is active anyway)."""
    if request is None:
        request = getattr(current_task, "request", None)
    headers = getattr(request, "headers", None) or {}
    language = headers.get(LANGUAGE_HEADER) or getattr(request, LANGUAGE_HEADER, None)
    return str(language) if language else None


@contextlib.contextmanager
def in_queued_language(request: Any = None) -> Iterator[None]:
    """Word a job's message in the language it was queued in (unchanged when not known)."""
    language = queued_language(request)
    if language:
        with translation.override(language):
            yield
    else:
        yield


# What the job page calls each job (its name -> a lazy translated title), filled in as the
# jobs are declared; job_title finds the apps' jobs modules first.
JOB_TITLES: dict[str, Any] = {}
_jobs_found = False


def job(
    name: str | None = None,
    *,
    title: Any = None,
    follow_language: bool = False,
    **options: Any,
) -> Callable[[F], Any]:
    """Declare a background job (a Celery shared task with the job log and retries).

    ``title``: what the job page calls it (a lazy translated text; without one the page shows
    the job's name). ``follow_language``: run in the language the job was queued in (for jobs
    whose result is only their message to the user who queued them, e.g. an import)."""

    def decorate(func: F) -> Any:
        options.setdefault("name", name or f"{func.__module__}.{func.__name__}")
        if title is not None:
            JOB_TITLES[options["name"]] = title

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                # Jobs that do not follow the queuer's language run in the site's (Swedish):
                # what they store is shared, and an eager run must not take the request's.
                with (
                    in_queued_language()
                    if follow_language
                    else translation.override(settings.LANGUAGE_CODE)
                ):
                    return func(*args, **kwargs)
            except Exception as exc:
                # Logged here too: run eagerly with propagation, Celery sends no failure signal.
                task_id = getattr(getattr(current_task, "request", None), "id", None)
                _mark_failed(task_id, exc)
                raise

        return shared_task(bind=False, **options)(run)  # type: ignore[no-untyped-call]

    return decorate


def job_title(name: str) -> str:
    """What the job page calls the job ``name`` (its name when it has no title)."""
    global _jobs_found
    if not _jobs_found:
        # A web process imports only the jobs it queues; the page lists every app's.
        autodiscover_modules("tasks")
        _jobs_found = True
    title = JOB_TITLES.get(name)
    return str(title) if title is not None else name


def already_done(key: str) -> bool:
    """True when a job with this idempotency key has already succeeded."""
    JobRun = _job_run_model()
    return bool(JobRun.objects.filter(idempotency_key=key, status="succeeded").exists())


def set_progress(task_id: str | None, percent: int, message: str = "") -> None:
    if not task_id:
        return
    JobRun = _job_run_model()
    fields: dict[str, Any] = {"progress": max(0, min(100, percent)), "heartbeat_at": timezone.now()}
    if message:
        fields["message"] = message
    JobRun.objects.filter(task_id=task_id).update(**fields)


def _ids(headers: dict[str, Any]) -> tuple[str | None, str]:
    return headers.get("id"), headers.get("task") or ""


def note_queued(
    task_id: str,
    name: str,
    partnership: Any,
    idempotency_key: str = "",
    *,
    queued_by: Any = None,
    organisation: Any = None,
) -> None:
    """Log a job as queued before it is sent, so its status page exists even when the job
    runs at once in the web process (eager mode sends no publish signal). A job about one
    organisation's records names it and who queued it: its messages follow the records'
    read rules (core.queries.job_runs)."""
    _job_run_model().objects.get_or_create(
        task_id=task_id,
        defaults={
            "name": name,
            "partnership": partnership,
            "idempotency_key": idempotency_key,
            "queued_by": queued_by,
            "organisation": organisation,
        },
    )


@before_task_publish.connect
def _on_publish(
    sender: str | None = None, headers: dict[str, Any] | None = None, **kwargs: Any
) -> None:
    task_id, task_name = _ids(headers or {})
    if not task_id:
        return
    if headers is not None and not headers.get(LANGUAGE_HEADER):
        headers[LANGUAGE_HEADER] = translation.get_language() or ""
    body = kwargs.get("body")
    kw: dict[str, Any] = {}
    if isinstance(body, tuple | list) and len(body) > 1 and isinstance(body[1], dict):
        kw = body[1]
    try:
        _job_run_model().objects.get_or_create(
            task_id=task_id,
            defaults={
                "name": task_name or sender or "",
                "partnership_id": kw.get("partnership_id"),
                "idempotency_key": str(kw.get("idempotency_key") or "")[:200],
            },
        )
    except DatabaseError:
        logger.exception("Kunde inte logga köat jobb %s", task_id)


@task_prerun.connect
def _on_start(
    task_id: str | None = None, task: Any = None, kwargs: dict[str, Any] | None = None, **_: Any
) -> None:
    if not task_id:
        return
    kwargs = kwargs or {}
    _job_run_model().objects.update_or_create(
        task_id=task_id,
        defaults={
            "name": getattr(task, "name", ""),
            "status": "running",
            "started_at": timezone.now(),
            "heartbeat_at": timezone.now(),
            "partnership_id": kwargs.get("partnership_id"),
            "idempotency_key": str(kwargs.get("idempotency_key") or "")[:200],
        },
    )
    logger.info("Jobb startat: %s (%s)", getattr(task, "name", "?"), task_id)


@task_postrun.connect
def _on_finish(
    task_id: str | None = None,
    task: Any = None,
    retval: Any = None,
    state: str | None = None,
    **_: Any,
) -> None:
    if not task_id or state != states.SUCCESS:
        return
    status = "skipped" if retval == "skipped" else "succeeded"
    message = retval if isinstance(retval, str) and retval != "skipped" else ""
    if retval == "skipped":
        with in_queued_language(getattr(task, "request", None)):
            message = gettext("Redan gjort tidigare med samma nyckel; inget kördes om.")
    _job_run_model().objects.filter(task_id=task_id).update(
        status=status, finished_at=timezone.now(), message=message[:5000], progress=100
    )
    logger.info("Jobb klart: %s (%s) %s", getattr(task, "name", "?"), task_id, status)


@task_failure.connect
def _on_failure(
    task_id: str | None = None, exception: BaseException | None = None, sender: Any = None, **_: Any
) -> None:
    _mark_failed(task_id, exception)
    logger.error("Jobb misslyckades: %s (%s): %s", getattr(sender, "name", "?"), task_id, exception)


# --- Dead jobs and the files they leave -------------------------------------------------------

#: A running job that has shown no sign of life for this long is taken to be dead.
STALE_AFTER = dt.timedelta(minutes=15)
#: A waiting file with no queued or running job is kept this long (the upload that wrote it
#: may not have queued its job yet).
ORPHAN_AFTER = dt.timedelta(minutes=5)


def job_files_dir() -> Path:
    """Where uploaded files wait for their job (private, outside MEDIA_ROOT)."""
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def job_file(task_id: str, suffix: str) -> Path:
    """The file that waits for the job `task_id`; removed when the job ends, either way."""
    return job_files_dir() / f"{task_id}{suffix}"


def remove_job_files(task_id: str) -> None:
    for path in job_files_dir().glob(f"{task_id}.*"):
        path.unlink(missing_ok=True)


def sweep_stale_jobs(
    now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER
) -> int:
    """Mark running jobs that fell silent as failed and delete the files they left, and
    files whose job has ended. Returns how many jobs were marked failed."""
    from django.db.models import Q

    JobRun = _job_run_model()
    now = now or timezone.now()
    cutoff = now - stale_after
    silent = JobRun.objects.filter(status="running").filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    dead = list(silent.values_list("task_id", flat=True))
    if dead:
        with translation.override(settings.LANGUAGE_CODE):
            message = gettext(
                "Jobbet avbröts: arbetaren stoppades innan det blev klart. Inget av "
                "filens innehåll sparades. Ladda upp filen igen för att köra om importen."
            )
        JobRun.objects.filter(task_id__in=dead, status="running").update(
            status="failed", finished_at=now, message=message
        )
        for task_id in dead:
            remove_job_files(task_id)
            logger.warning(
                "Jobb %s markerat som misslyckat: inget livstecken sedan %s", task_id, cutoff
            )
    waiting = set(
        JobRun.objects.filter(status__in=("queued", "running")).values_list("task_id", flat=True)
    )
    orphan_cutoff = (now - ORPHAN_AFTER).timestamp()
    for path in job_files_dir().iterdir():
        stem = path.name.split(".", 1)[0]
        if stem not in waiting and path.stat().st_mtime < orphan_cutoff:
            path.unlink(missing_ok=True)
    return len(dead)
