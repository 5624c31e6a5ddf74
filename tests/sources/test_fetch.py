"""The scheduled fetch of the police feed keeps the police's rules: HTTPS only, a User-Agent
naming Samtrygg, 10 s between calls, 60 an hour, 1 440 a day, back-off after errors. The clock
is frozen by passing ``now`` and the server is a fake opener: the network is never touched."""

from __future__ import annotations

import datetime as dt
import io
import logging
import urllib.error
import urllib.request
from typing import Any

import pytest

from samtrygg import __version__
from tests.sources.conftest import SNAPSHOT_SAMPLE

pytestmark = pytest.mark.django_db
URL = "https://polisen.se/api/events"
T0 = dt.datetime(2026, 8, 22, 18, 0, 0, tzinfo=dt.UTC)


class FakeResponse:
    def __init__(self, body: bytes, status: int = 200, headers: dict[str, str] | None = None):
        self.body, self.status, self.headers = body, status, headers or {}

    def read(self, limit: int = -1) -> bytes:
        return self.body if limit < 0 else self.body[:limit]

    def close(self) -> None:
        self.closed = True


class FakeServer:
    """Answers each call with the next of ``answers`` (a response or an exception)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.requests: list[tuple[urllib.request.Request, float]] = []

    def __call__(self, request: urllib.request.Request, timeout: float) -> Any:
        self.requests.append((request, timeout))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


def snapshot() -> FakeResponse:
    return FakeResponse(SNAPSHOT_SAMPLE.read_bytes())


def http_error(code: int, headers: dict[str, str] | None = None) -> urllib.error.HTTPError:
    return urllib.error.HTTPError(URL, code, "Service Unavailable", headers or {}, io.BytesIO())  # type: ignore[arg-type]


def fetch(at: dt.datetime, server: FakeServer, url: str = URL) -> Any:
    from samtrygg.sources.fetch import fetch_police_events

    return fetch_police_events(now=at, opener=server, url=url)


def test_nothing_is_fetched_without_a_url(settings: Any, caplog: Any) -> None:
    from samtrygg.sources.fetch import fetch_police_events
    from samtrygg.sources.models import FetchCall, SourceRun

    settings.POLICE_EVENTS_URL = ""
    server = FakeServer(snapshot())
    with caplog.at_level(logging.INFO, logger="samtrygg.sources.fetch"):
        result = fetch_police_events(now=T0, opener=server)
    assert result.outcome == "disabled"
    assert "POLICE_EVENTS_URL är inte satt" in caplog.text
    assert server.requests == [] and not FetchCall.objects.exists()
    assert not SourceRun.objects.exists()


def test_plain_http_is_refused(caplog: Any) -> None:
    from samtrygg.sources.models import FetchCall

    server = FakeServer(snapshot())
    with caplog.at_level(logging.INFO, logger="samtrygg.sources.fetch"):
        result = fetch(T0, server, url="http://polisen.se/api/events")
    assert result.outcome == "refused"
    assert "https://" in result.message and "HTTPS" in caplog.text
    assert server.requests == [] and not FetchCall.objects.exists()


def test_a_fetch_imports_the_response_and_names_samtrygg(caplog: Any) -> None:
    from samtrygg.sources.models import FetchCall, PoliceEvent, SourceRun

    server = FakeServer(snapshot())
    with caplog.at_level(logging.INFO, logger="samtrygg.sources.fetch"):
        result = fetch(T0, server)
    assert result.outcome == "ok", result.message
    request, timeout = server.requests[0]
    assert request.full_url == URL and timeout == 30
    assert request.get_header("User-agent") == (
        f"Samtrygg/{__version__} (+https://github.com/samtrygg)"
    )
    assert PoliceEvent.objects.count() == 52
    assert all(e.seen_at == T0 for e in PoliceEvent.objects.all())
    call = FetchCall.objects.get()
    assert (call.at, call.status, call.ok) == (T0, 200, True)
    run = SourceRun.objects.get()
    assert (run.kind, run.created, run.ok) == ("fetch", 52, True)
    assert "Hämtar polisens händelser" in caplog.text and "52 nya" in caplog.text
    # The next allowed call finds the same events: nothing changes.
    again = fetch(T0 + dt.timedelta(minutes=5), FakeServer(snapshot()))
    assert again.imported is not None and again.imported.unchanged == 52
    assert PoliceEvent.objects.count() == 52


def test_ten_seconds_between_calls() -> None:
    from samtrygg.sources.models import FetchCall

    server = FakeServer(snapshot())
    assert fetch(T0, server).outcome == "ok"
    too_soon = fetch(T0 + dt.timedelta(seconds=9.9), server)
    assert too_soon.outcome == "waiting"
    assert "minst 10 s" in too_soon.message
    assert len(server.requests) == 1 and FetchCall.objects.count() == 1
    assert fetch(T0 + dt.timedelta(seconds=10), server).outcome == "ok"
    assert len(server.requests) == 2


def test_at_most_60_calls_an_hour() -> None:
    from samtrygg.sources.models import FetchCall

    FetchCall.objects.bulk_create(
        [FetchCall(at=T0 - dt.timedelta(seconds=59 * i + 11), ok=True) for i in range(60)]
    )
    server = FakeServer(snapshot())
    result = fetch(T0, server)
    assert result.outcome == "waiting" and "60 anrop den senaste timmen" in result.message
    assert server.requests == []
    # The oldest call was 58 min 12 s ago: a call may be made once it is an hour old.
    assert fetch(T0 + dt.timedelta(seconds=107), server).outcome == "waiting"
    assert fetch(T0 + dt.timedelta(seconds=108), server).outcome == "ok"


def test_at_most_1440_calls_a_day() -> None:
    from samtrygg.sources.models import FetchCall

    FetchCall.objects.bulk_create(
        [
            FetchCall(at=T0 - dt.timedelta(hours=2) - dt.timedelta(seconds=15 * i), ok=True)
            for i in range(1440)
        ]
    )
    server = FakeServer(snapshot())
    result = fetch(T0, server)
    assert result.outcome == "waiting" and "1440 anrop det senaste dygnet" in result.message
    assert server.requests == []


def test_errors_back_off_exponentially_and_success_resets(caplog: Any) -> None:
    from samtrygg.sources.fetch import backoff_seconds
    from samtrygg.sources.models import FetchCall, FetchLock, SourceRun

    assert [backoff_seconds(n) for n in (1, 2, 3, 6, 7, 20)] == [60, 120, 240, 1920, 3600, 3600]
    server = FakeServer(http_error(503), http_error(503), snapshot())
    with caplog.at_level(logging.INFO, logger="samtrygg.sources.fetch"):
        first = fetch(T0, server)
    assert first.outcome == "failed" and "HTTP 503" in first.message
    lock = FetchLock.objects.get()
    assert (lock.failures, lock.backoff_until) == (1, T0 + dt.timedelta(seconds=60))
    assert "nästa försök tidigast" in caplog.text
    assert fetch(T0 + dt.timedelta(seconds=59), server).outcome == "waiting"
    second = fetch(T0 + dt.timedelta(seconds=60), server)
    assert second.outcome == "failed"
    lock.refresh_from_db()
    assert (lock.failures, lock.backoff_until) == (2, T0 + dt.timedelta(seconds=180))
    assert fetch(T0 + dt.timedelta(seconds=179), server).outcome == "waiting"
    assert fetch(T0 + dt.timedelta(seconds=180), server).outcome == "ok"
    lock.refresh_from_db()
    assert (lock.failures, lock.backoff_until) == (0, None)
    assert list(FetchCall.objects.order_by("at").values_list("status", "ok")) == [
        (503, False),
        (503, False),
        (200, True),
    ]
    assert SourceRun.objects.filter(ok=False).count() == 2


def test_network_errors_and_bad_bodies_back_off_too() -> None:
    from samtrygg.sources.models import FetchLock, PoliceEvent

    server = FakeServer(
        urllib.error.URLError("timed out"),
        FakeResponse(b"<html>Underhall</html>"),
        FakeResponse(b"[]", status=204),
    )
    assert "timed out" in fetch(T0, server).message
    result = fetch(T0 + dt.timedelta(seconds=60), server)
    assert result.outcome == "failed" and "inte en JSON-lista" in result.message
    result = fetch(T0 + dt.timedelta(seconds=180), server)
    assert result.outcome == "failed" and "HTTP 204" in result.message
    assert FetchLock.objects.get().failures == 3
    assert not PoliceEvent.objects.exists()


def test_retry_after_is_honoured() -> None:
    from samtrygg.sources.models import FetchLock

    fetch(T0, FakeServer(http_error(429, {"Retry-After": "900"})))
    assert FetchLock.objects.get().backoff_until == T0 + dt.timedelta(seconds=900)


def test_redirects_only_to_https() -> None:
    from samtrygg.sources.fetch import _HttpsOnlyRedirects

    handler = _HttpsOnlyRedirects()
    request = urllib.request.Request(URL)
    with pytest.raises(urllib.error.HTTPError, match="utan HTTPS"):
        handler.redirect_request(request, io.BytesIO(), 302, "Found", {}, "http://polisen.se/x")
    followed = handler.redirect_request(
        request, io.BytesIO(), 302, "Found", {}, "https://polisen.se/api/events?x=1"
    )
    assert followed is not None and followed.full_url.startswith("https://")


def test_the_job_is_scheduled_every_five_minutes(settings: Any) -> None:
    from samtrygg.sources.tasks import fetch_police_events

    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "samtrygg.sources.fetch_police_events"
    ]
    assert entries and entries[0]["schedule"] == 300.0
    settings.POLICE_EVENTS_URL = ""
    assert "POLICE_EVENTS_URL är inte satt" in fetch_police_events()


def test_a_requested_run_is_completed_by_the_job(settings: Any, orsa: Any) -> None:
    from samtrygg.sources.fetch import fetch_police_events
    from samtrygg.sources.models import SourceRun

    run = SourceRun.objects.create(source="police-events", kind="fetch", detail="Begärd")
    result = fetch_police_events(now=T0, opener=FakeServer(snapshot()), url=URL, run=run)
    run.refresh_from_db()
    assert result.run == run and run.finished_at is not None and run.created == 52
    assert run.detail.startswith("Begärd")
