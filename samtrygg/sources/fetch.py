"""Fetching the live police events feed within the police's rules of use.

The rules (polisen.se, "API över polisens händelser"): HTTPS only; a User-Agent that names
the client; at least 10 s between calls; at most 60 calls an hour and 1 440 a day. They hold
across every worker because a fetcher first locks the single ``FetchLock`` row in a
transaction (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs IMMEDIATE transactions here,
which take the database's write lock), checks the calls recorded in ``FetchCall`` and the
back-off, and records its own call *before* it is made. Only then, outside the lock, does it
call the police.

After a failed call (network error, HTTP error, a body that is not a JSON array) the next
call waits 60 s · 2^(failures − 1), at most an hour (or longer when the server sends
``Retry-After``); a successful call resets the back-off. Every call and every decision is
logged on ``samtrygg.sources.fetch``.

The feed URL is ``POLICE_EVENTS_URL``; when it is empty nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Final, Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg import __version__
from samtrygg.sources import police_feed
from samtrygg.sources.models import FetchCall, FetchLock, SourceRun
from samtrygg.sources.police_import import PoliceImportResult, import_events

logger = logging.getLogger("samtrygg.sources.fetch")

SOURCE: Final = "police-events"
LOCK_NAME: Final = "police-events"
USER_AGENT: Final = f"Samtrygg/{__version__} (+https://github.com/samtrygg)"
MIN_INTERVAL: Final = dt.timedelta(seconds=10)
MAX_PER_HOUR: Final = 60
MAX_PER_DAY: Final = 1440
BACKOFF_BASE_SECONDS: Final = 60
BACKOFF_MAX_SECONDS: Final = 3600
RETRY_AFTER_MAX_SECONDS: Final = 24 * 3600
TIMEOUT_SECONDS: Final = 30.0
MAX_BODY_BYTES: Final = 20 * 1024 * 1024
KEEP_CALLS: Final = dt.timedelta(days=7)

Outcome = Literal["disabled", "refused", "waiting", "failed", "ok"]
# opener(request, timeout) -> a response with .status (or .getcode()), .headers, .read(n)
Opener = Callable[[urllib.request.Request, float], Any]


@dataclass
class FetchResult:
    outcome: Outcome
    message: str
    run: SourceRun | None = None
    imported: PoliceImportResult | None = None


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another HTTPS address."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if not newurl.lower().startswith("https://"):
            raise urllib.error.HTTPError(
                newurl, code, f"omdirigering till en adress utan HTTPS: {newurl}", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _default_opener(request: urllib.request.Request, timeout: float) -> Any:
    opener = urllib.request.build_opener(_HttpsOnlyRedirects())
    return opener.open(request, timeout=timeout)


def _lock() -> FetchLock:
    FetchLock.objects.get_or_create(name=LOCK_NAME)
    return FetchLock.objects.select_for_update().get(name=LOCK_NAME)


def refusal(now: dt.datetime, lock: FetchLock | None = None) -> str | None:
    """Why a call may not be made at ``now`` (a Swedish sentence), or None when it may."""
    if lock is None:
        lock = FetchLock.objects.filter(name=LOCK_NAME).first()
    if lock is not None and lock.backoff_until is not None and lock.backoff_until > now:
        wait = int((lock.backoff_until - now).total_seconds()) + 1
        return _(
            "väntar efter %(n)d misslyckade anrop i rad: nästa försök tidigast %(t)s (om %(s)d s)"
        ) % {
            "n": lock.failures,
            "t": timezone.localtime(lock.backoff_until).strftime("%Y-%m-%d %H:%M:%S"),
            "s": wait,
        }
    last = FetchCall.objects.filter(at__lte=now).order_by("-at").values_list("at", flat=True)
    last_at = last.first()
    if last_at is not None and now - last_at < MIN_INTERVAL:
        return _("förra anropet gjordes för %(s).1f s sedan; minst %(m)d s ska gå mellan anrop") % {
            "s": (now - last_at).total_seconds(),
            "m": int(MIN_INTERVAL.total_seconds()),
        }
    hour = FetchCall.objects.filter(at__gt=now - dt.timedelta(hours=1), at__lte=now).count()
    if hour >= MAX_PER_HOUR:
        return _("%(n)d anrop den senaste timmen; högst %(m)d är tillåtna") % {
            "n": hour,
            "m": MAX_PER_HOUR,
        }
    day = FetchCall.objects.filter(at__gt=now - dt.timedelta(days=1), at__lte=now).count()
    if day >= MAX_PER_DAY:
        return _("%(n)d anrop det senaste dygnet; högst %(m)d är tillåtna") % {
            "n": day,
            "m": MAX_PER_DAY,
        }
    return None


def backoff_seconds(failures: int) -> int:
    """The wait after ``failures`` failed calls in a row: 60 s, 120 s, 240 s … at most 1 h."""
    if failures <= 0:
        return 0
    return int(min(BACKOFF_BASE_SECONDS * 2 ** min(failures - 1, 16), BACKOFF_MAX_SECONDS))


def _retry_after(headers: Any, now: dt.datetime) -> int | None:
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    value = str(value).strip()
    if value.isdigit():
        return min(int(value), RETRY_AFTER_MAX_SECONDS)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0, min(int((when - now).total_seconds()), RETRY_AFTER_MAX_SECONDS))


class _CallFailed(Exception):
    def __init__(self, message: str, status: int | None = None, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after


def _call(url: str, opener: Opener, now: dt.datetime) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be https
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    try:
        response = opener(request, TIMEOUT_SECONDS)
    except urllib.error.HTTPError as exc:
        raise _CallFailed(
            _("HTTP %(s)d från polisen: %(r)s") % {"s": exc.code, "r": exc.reason},
            exc.code,
            _retry_after(exc.headers, now),
        ) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _CallFailed(_("anropet misslyckades: %(e)s") % {"e": reason}) from exc
    try:
        status = getattr(response, "status", None) or response.getcode()
        if status != 200:
            raise _CallFailed(
                _("HTTP %(s)d från polisen") % {"s": status},
                status,
                _retry_after(getattr(response, "headers", None), now),
            )
        body = response.read(MAX_BODY_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise _CallFailed(_("svaret kunde inte läsas: %(e)s") % {"e": exc}) from exc
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
    if len(body) > MAX_BODY_BYTES:
        raise _CallFailed(_("svaret är större än %(n)d MB") % {"n": MAX_BODY_BYTES >> 20}, status)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _CallFailed(_("svaret är inte giltig UTF-8"), status) from exc
    if not text.lstrip().startswith("["):
        raise _CallFailed(_("svaret är inte en JSON-lista med händelser"), status)
    return status, text


def _finish_run(run: SourceRun | None, *, ok: bool, detail: str, now: dt.datetime) -> SourceRun:
    if run is None:
        run = SourceRun(source=SOURCE, kind=SourceRun.Kind.FETCH, started_at=now)
    run.finished_at = timezone.now()
    run.ok = ok
    run.detail = (run.detail + "\n" + detail).strip() if run.detail else detail
    run.save()
    return run


def _misconfigured(url: str, now: dt.datetime, run: SourceRun | None) -> FetchResult | None:
    """No fetch without a URL, and none over anything but HTTPS (the police's rules)."""
    if not url:
        message = _("POLICE_EVENTS_URL är inte satt: polisens händelser hämtas inte.")
        logger.info(message)
        if run is not None:
            _finish_run(run, ok=True, detail=message, now=now)
        return FetchResult("disabled", message, run)
    if not url.lower().startswith("https://"):
        message = _(
            "POLICE_EVENTS_URL måste börja med https:// (polisens regler kräver HTTPS); "
            "hämtar inte från %(u)s."
        ) % {"u": url}
        logger.error(message)
        if run is not None:
            _finish_run(run, ok=False, detail=message, now=now)
        return FetchResult("refused", message, run)
    return None


def _claim_call(now: dt.datetime) -> tuple[FetchCall | None, str | None]:
    """Under the lock: the call logged if the rules allow one now, else why not."""
    with transaction.atomic():
        lock = _lock()
        reason = refusal(now, lock)
        if reason is not None:
            return None, reason
        call = FetchCall.objects.create(at=now, message=_("pågår"))
        # The rules look back one day; a week of calls is kept for the record.
        FetchCall.objects.filter(at__lt=now - KEEP_CALLS).delete()
    return call, None


def _failed(
    call: FetchCall, failure: _CallFailed, now: dt.datetime, run: SourceRun | None
) -> FetchResult:
    """A failed call backs off (longer after each failure, at least Retry-After)."""
    with transaction.atomic():
        lock = _lock()
        lock.failures += 1
        wait = backoff_seconds(lock.failures)
        if failure.retry_after is not None:
            wait = max(wait, failure.retry_after)
        lock.backoff_until = now + dt.timedelta(seconds=wait)
        lock.save(update_fields=["failures", "backoff_until"])
        FetchCall.objects.filter(pk=call.pk).update(
            status=failure.status, ok=False, message=failure.message[:500]
        )
    message = _(
        "Hämtningen misslyckades: %(e)s. %(n)d misslyckade i rad; nästa försök tidigast "
        "%(t)s (om %(s)d s)."
    ) % {
        "e": failure.message,
        "n": lock.failures,
        "t": timezone.localtime(lock.backoff_until).strftime("%Y-%m-%d %H:%M:%S"),
        "s": wait,
    }
    logger.error(message)
    return FetchResult("failed", message, _finish_run(run, ok=False, detail=message, now=now))


def _imported(
    call: FetchCall, status: int, text: str, now: dt.datetime, run: SourceRun | None
) -> FetchResult:
    """A successful call: the back-off is cleared, the events imported and the run closed."""
    FetchLock.objects.filter(name=LOCK_NAME).update(failures=0, backoff_until=None)
    result = import_events(police_feed.read_feed_text(text), seen_at=now, label="polisen.se")
    from samtrygg.sources.services import record_police_types

    record_police_types(result.types)
    FetchCall.objects.filter(pk=call.pk).update(
        status=status,
        ok=True,
        message=_("%(n)d händelser") % {"n": result.created + result.updated + result.unchanged},
    )
    summary = result.summary()
    detail = "\n".join([summary, *result.problems[:200]])
    if run is None:
        run = SourceRun(source=SOURCE, kind=SourceRun.Kind.FETCH, started_at=now)
    run.take_counts(result)
    run = _finish_run(run, ok=True, detail=detail, now=now)
    logger.info("Polisens händelser hämtade: %s", summary)
    for problem in result.problems[:20]:
        logger.warning("Överhoppad post från polisen.se: %s", problem)
    return FetchResult("ok", _("Hämtat: %(s)s") % {"s": summary}, run, result)


def fetch_police_events(
    *,
    now: dt.datetime | None = None,
    opener: Opener | None = None,
    url: str | None = None,
    run: SourceRun | None = None,
) -> FetchResult:
    """Fetch the feed once, if the rules allow it now, and import what it returns.

    ``now`` and ``opener`` are for tests (a frozen clock, a fake server); ``run`` is a
    SourceRun created when someone asked for the fetch, to be completed here.
    """
    now = now or timezone.now()
    url = settings.POLICE_EVENTS_URL if url is None else url
    stopped = _misconfigured(url, now, run)
    if stopped is not None:
        return stopped
    call, reason = _claim_call(now)
    if call is None:
        message = _("Hämtar inte polisens händelser nu: %(r)s.") % {"r": reason}
        logger.warning(message)
        if run is not None:
            _finish_run(run, ok=True, detail=message, now=now)
        return FetchResult("waiting", message, run)
    logger.info("Hämtar polisens händelser från %s (User-Agent: %s).", url, USER_AGENT)
    try:
        status, text = _call(url, opener or _default_opener, now)
    except _CallFailed as failure:
        return _failed(call, failure, now, run)
    return _imported(call, status, text, now, run)
