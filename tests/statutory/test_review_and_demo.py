"""The review reminder (once per review date) and the demo content."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from samtrygg.statutory import compliance, services, tasks
from samtrygg.statutory.models import ReportStatus, ReviewSettings, StatutoryReport

pytestmark = pytest.mark.django_db


def test_the_review_is_announced_once(orsa: Any, coordinator: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    review = dt.date.today() + dt.timedelta(days=10)
    services.update_review_settings(
        coordinator,
        mapping_months=12,
        full_review_months=24,
        remind_days_before=30,
        next_review=review,
    )
    tasks.send_review_reminders.run()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([orsa.user("samordnare").email, orsa.user("kommunpolis").email])
    assert review.isoformat() in mail.outbox[0].body
    assert ReviewSettings.objects.get(partnership=orsa.partnership).reminded_for == review
    tasks.send_review_reminders.run()
    assert len(mail.outbox) == 2
    later = review + dt.timedelta(days=60)
    services.update_review_settings(
        coordinator,
        mapping_months=12,
        full_review_months=24,
        remind_days_before=90,
        next_review=later,
    )
    tasks.send_review_reminders.run()
    assert len(mail.outbox) == 4


def test_a_far_review_is_not_announced(orsa: Any, coordinator: Any) -> None:
    services.update_review_settings(
        coordinator,
        mapping_months=12,
        full_review_months=24,
        remind_days_before=30,
        next_review=dt.date.today() + dt.timedelta(days=200),
    )
    assert tasks.due_reminders(dt.date.today()) == []


def test_the_demo(db: Any) -> None:
    from django.core.management import call_command

    from samtrygg.core.models import Partnership

    call_command("loaddemo", verbosity=0)
    call_command("loaddemo", verbosity=0)  # idempotent
    orsa = Partnership.objects.get(municipality_id="2034")
    gislaved = Partnership.objects.get(municipality_id="0662")
    adopted = StatutoryReport.objects.get(partnership=orsa)
    assert adopted.status == ReportStatus.ANTAGEN
    assert adopted.period_label == str(dt.date.today().year - 1)
    assert adopted.decision.body.kind == "kommunstyrelse"
    doc = adopted.snapshot
    assert 4 <= len(doc["analys"]["problems"]) <= 6
    plan = doc["atgardsplan"]
    assert sum(1 for i in plan if i["kind"] == "ingen_atgard") == 1
    assert any(i["actions"] for i in plan if i["kind"] == "atgard")
    status = {o.key: o.status for o in compliance.obligations(orsa)}
    assert status["lagesbild"] == status["atgardsplan"] == status["samordningsfunktion"] == "ok"
    assert status["uppfoljning"] == "ok"
    draft = StatutoryReport.objects.get(partnership=gislaved)
    assert draft.status == ReportStatus.UTKAST
    # Part 2 lists a safety walk of the mapping year with its findings.
    walks = adopted.figures["walks"]
    assert walks["count"] >= 1
    assert all(w["date"].startswith(str(adopted.period_start.year)) for w in walks["walks"])
    assert sum(f["count"] for f in walks["findings"]) >= 3
    # The surveys demo's dialogues and latest result are evidence of the evenings in Centrum.
    from samtrygg.statutory.models import Problem, ProblemEvidence

    evenings = Problem.objects.get(partnership=orsa, title="Kvällar i Centrum")
    kinds = sorted(ProblemEvidence.objects.filter(problem=evenings).values_list("kind", flat=True))
    assert kinds == ["dialogue", "dialogue", "survey-result"]
    traffic = Problem.objects.get(partnership=orsa, title="Buskörning och trafik")
    assert ProblemEvidence.objects.filter(problem=traffic, kind="dialogue").count() == 1
