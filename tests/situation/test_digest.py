"""The weekly e-mail digest of the latest adopted lägesbild: to every member who has not
opted out, once per ISO week and partnership, with levels, counts and actions due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from samtrygg.analysis.picture import Period
from samtrygg.core.models import JobRun
from samtrygg.situation import services
from samtrygg.situation.tasks import send_weekly_digest
from tests.situation.data import busy_weeks

pytestmark = pytest.mark.django_db


def _adopt(tenant: Any, actor_of: Any) -> Any:
    busy_weeks(tenant, 2025, 20)
    actor = actor_of(tenant.user("samordnare"), tenant.partnership)
    picture = services.draft(actor, Period.week(2025, 20))
    services.set_assessment(actor, picture, "Lugnt.")
    return services.adopt(actor, picture)


def test_the_digest_is_scheduled_on_monday_mornings() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["veckosammanfattning-lagesbild"]
    assert entry["task"] == "samtrygg.situation.send_weekly_digest"
    schedule: Any = entry["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == ({7}, {0}, {1})
    assert settings.CELERY_TIMEZONE == "Europe/Stockholm"


def test_members_get_the_digest_once_a_week_unless_they_opted_out(
    eager: Any, orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    from samtrygg.actions import services as actions

    _adopt(orsa, actor_of)
    coordinator = actor_of(orsa.user("samordnare"), orsa.partnership)
    today = dt.date.today()
    for title, secret in (("Städning vid torget", False), ("Hemlig rondering", True)):
        actions.create_action(
            coordinator,
            actions.ActionSpec(
                title=title,
                type="rondering",
                owner=orsa.organisation.pk,
                start_date=today,
                end_date=today + dt.timedelta(days=2),
                not_for_publication=secret,
            ),
        )
    opted_out = orsa.user("analytiker")
    opted_out.digest_opt_out = True
    opted_out.save()

    send_weekly_digest.delay()
    recipients = sorted(m.to[0] for m in mail.outbox)
    expected = sorted(
        u.email for role, u in orsa.users.items() if role != "analytiker"
    )  # Gislaved has no adopted picture: nothing is sent there
    assert recipients == expected
    message = mail.outbox[0]
    assert "Veckans lägesbild" in message.subject and orsa.partnership.name in message.subject
    assert "2025-W20" in message.body
    assert f"- {orsa.area.name}:" in message.body and "14 händelser" in message.body
    assert "Insatser som ska vara klara inom en vecka: 2." in message.body
    assert "Städning vid torget" in message.body
    assert "Hemlig rondering" not in message.body
    assert "Klotter" not in message.body  # no report text
    year, week, _day = dt.date.today().isocalendar()
    key = f"situation-digest-{orsa.partnership.pk}-{year}-W{week:02d}"
    assert JobRun.objects.get(idempotency_key=key).status == "succeeded"

    # A second run in the same week sends nothing more.
    send_weekly_digest.delay()
    assert len(mail.outbox) == len(expected)
    assert gislaved.marker not in "".join(m.body for m in mail.outbox)
