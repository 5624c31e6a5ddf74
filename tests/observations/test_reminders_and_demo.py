"""The weekly reminder to reporters whose organisation has not reported, and the demo year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samtrygg.core.models import JobRun
from samtrygg.observations.models import Observation, Report
from samtrygg.observations.tasks import send_weekly_reminders, week_key
from tests.observations.conftest import file_report, incident

pytestmark = pytest.mark.django_db


def test_reporters_of_silent_organisations_are_reminded_once_a_week(
    orsa: Any, gislaved: Any, second_reporter: Any, mailoutbox: Any, eager_jobs: Any
) -> None:
    file_report(orsa, "rapportor", incident(orsa))  # Orsa's housing company reported
    gislaved.user("rapportor").reminder_opt_out = True
    gislaved.user("rapportor").save()

    result = send_weekly_reminders.apply()
    assert result.successful()
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == [second_reporter.email]  # the school; Gislaved's reporter opted out
    mail = mailoutbox[0]
    _year, week, _day = timezone.localdate().isocalendar()
    assert f"vecka {week}" in mail.subject
    assert "Skolan ORSA-MARK" in mail.body and "/rapporter/ny/" in mail.body
    assert "/konto/" in mail.body  # how to opt out
    run = JobRun.objects.get(name="samtrygg.observations.send_weekly_reminders")
    assert run.status == "succeeded" and run.idempotency_key == week_key(timezone.localdate())

    # Run again the same week: nothing is sent twice.
    send_weekly_reminders.apply()
    assert len(mailoutbox) == 1
    assert JobRun.objects.filter(status="skipped").count() == 1


def test_a_report_last_week_does_not_count_for_this_week(
    orsa: Any, mailoutbox: Any, eager_jobs: Any
) -> None:
    result = file_report(orsa, "rapportor", incident(orsa))
    Report.objects.filter(pk=result.report.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    send_weekly_reminders.apply(kwargs={"idempotency_key": "test-1"})
    assert [m.to[0] for m in mailoutbox] == [orsa.user("rapportor").email]


def test_the_weekly_schedule_is_configured(settings: Any) -> None:
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "samtrygg.observations.send_weekly_reminders"
    ]
    assert len(entries) == 1


def test_demo_just_after_midnight_has_nothing_in_the_future(db: Any) -> None:
    # At 00:05 the night band that began yesterday evening (22–06) has not ended yet.
    from zoneinfo import ZoneInfo

    from samtrygg.core.demo import load_demo
    from samtrygg.observations import demo_data

    partnership = load_demo()[0]
    now = dt.datetime(2026, 12, 7, 0, 5, tzinfo=ZoneInfo("Europe/Stockholm"))
    builder = demo_data._Builder(partnership, now.date(), now)
    only_night = [1.0 if band == "natt" else 0.0 for band in demo_data.BANDS]
    for _ in range(50):
        when = builder.when(now.date() - dt.timedelta(days=1), only_night)
        assert when["time_band"] == "natt"
        assert when["occurred_start"] <= when["occurred_at"] <= when["occurred_end"] <= now


def test_demo_year_is_realistic_deterministic_and_idempotent(db: Any) -> None:
    from io import StringIO

    from samtrygg.core.demo import load_demo
    from samtrygg.core.privacy import screen
    from samtrygg.observations import demo_data

    partnerships = load_demo()
    out = StringIO()
    demo_data.load_demo_observations(partnerships, out)
    assert "Demorapporter" in out.getvalue()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    for partnership in partnerships:
        qs = Observation.objects.filter(partnership=partnership)
        assert 1500 <= qs.count() <= 3000
        assert not qs.filter(is_demo=False).exists()
        assert not Report.objects.filter(partnership=partnership, is_demo=False).exists()
        assert qs.filter(occurred_on__gte=monday).count() >= 10
        assert qs.filter(occurred_at__gt=timezone.now()).count() == 0
        assert qs.order_by("occurred_on").first().occurred_on <= today - dt.timedelta(days=360)
        assert qs.values("category").distinct().count() >= 14
        assert set(qs.values_list("time_band", flat=True)) == {"morgon", "dag", "kvall", "natt"}
        assert qs.filter(area__isnull=True).count() == 0
        assert set(qs.values_list("location_precision", flat=True)) == {
            "plats",
            "punkt",
            "position",
        }
        for text in qs.values_list("description", flat=True).distinct():
            assert not screen(text), text
    orsa = partnerships[0]
    # The planted hot spot: near the bus station in Orsa Centrum, rising over six weeks.
    station = Observation.objects.filter(
        partnership=orsa, lat__range=(61.1183, 61.1209), lon__range=(14.6164, 14.6216)
    )

    def weeks_ago(n: int) -> int:
        end = today - dt.timedelta(days=7 * n)
        return station.filter(
            occurred_on__gt=end - dt.timedelta(days=7), occurred_on__lte=end
        ).count()

    recent = [weeks_ago(n) for n in range(6)]
    before = [weeks_ago(n) for n in range(8, 20)]
    assert recent[0] + recent[1] > 2 * (recent[4] + recent[5])
    assert sum(recent[:3]) / 3 > 2 * (sum(before) / len(before))
    # The quiet area: hardly anything all year, nothing lately.
    quiet = Observation.objects.filter(partnership=orsa, area__name="Grönklitt")
    assert quiet.count() <= 5
    assert not quiet.filter(occurred_on__gte=today - dt.timedelta(days=90)).exists()
    # Anderstorp rises too.
    gislaved = partnerships[1]
    anderstorp = Observation.objects.filter(partnership=gislaved, area__name="Anderstorp")
    last_two = anderstorp.filter(occurred_on__gt=today - dt.timedelta(days=14)).count()
    earlier = anderstorp.filter(
        occurred_on__gt=today - dt.timedelta(days=98),
        occurred_on__lte=today - dt.timedelta(days=84),
    ).count()
    assert last_two > 2 * earlier

    counts = [Observation.objects.filter(partnership=p).count() for p in partnerships]
    demo_data.load_demo_observations(partnerships, StringIO())
    assert [Observation.objects.filter(partnership=p).count() for p in partnerships] == counts
