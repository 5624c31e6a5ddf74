"""The weekly digest records each member it was sent to (per partnership and ISO week): a run
after a failure partway sends only to those who did not get it, and a run after a complete
one sends nothing, whatever idempotency key it carries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from smtplib import SMTPServerDisconnected
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from samtrygg.analysis.picture import Period
from samtrygg.core.models import JobRun, Role
from samtrygg.situation import services
from samtrygg.situation.models import DigestDelivery
from samtrygg.situation.tasks import (
    digest_key,
    iso_week,
    send_partnership_digest,
    send_weekly_digest,
)
from tests.situation.data import busy_weeks

pytestmark = pytest.mark.django_db


class FailingOnce(EmailBackend):
    """Delivers like locmem, but the mail server goes away at the ``fail_at``-th message."""

    fail_at = 0
    attempts = 0

    def send_messages(self, messages: Any) -> int:
        FailingOnce.attempts += 1
        if FailingOnce.attempts == FailingOnce.fail_at:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_mail(settings: Any) -> Any:
    settings.EMAIL_BACKEND = f"{__name__}.FailingOnce"
    FailingOnce.attempts = 0
    FailingOnce.fail_at = 2
    yield FailingOnce
    FailingOnce.fail_at = 0


def _adopt(tenant: Any, actor_of: Any) -> Any:
    busy_weeks(tenant, 2025, 20)
    actor = actor_of(tenant.user("samordnare"), tenant.partnership)
    picture = services.draft(actor, Period.week(2025, 20))
    services.set_assessment(actor, picture, "Lugnt.")
    return services.adopt(actor, picture)


def _expected(tenant: Any) -> list[str]:
    return sorted(u.email for u in tenant.users.values())


def _expected_first(tenant: Any) -> str:
    return min(tenant.users.values(), key=lambda u: u.pk).email


def test_a_rerun_after_a_failure_partway_sends_only_to_those_who_did_not_get_it(
    eager: Any, orsa: Any, actor_of: Any, failing_mail: Any
) -> None:
    _adopt(orsa, actor_of)
    with pytest.raises(SMTPServerDisconnected):
        send_weekly_digest.delay()
    assert [m.to[0] for m in mail.outbox] == [_expected_first(orsa)]
    key = digest_key(orsa.partnership.pk, timezone.localdate())
    assert JobRun.objects.get(idempotency_key=key).status == "failed"
    # The failed member has no row: the rerun must send to them.
    assert DigestDelivery.objects.count() == 1

    send_weekly_digest.delay()
    received = Counter(m.to[0] for m in mail.outbox)
    assert sorted(received) == _expected(orsa)
    assert set(received.values()) == {1}  # each member exactly one mail
    assert JobRun.objects.filter(idempotency_key=key, status="succeeded").count() == 1
    assert DigestDelivery.objects.filter(week=iso_week(timezone.localdate())).count() == len(
        _expected(orsa)
    )


def test_a_rerun_after_a_complete_send_sends_nothing_even_with_a_new_key(
    eager: Any, orsa: Any, actor_of: Any
) -> None:
    _adopt(orsa, actor_of)
    send_weekly_digest.delay()
    assert len(mail.outbox) == len(_expected(orsa))

    send_weekly_digest.delay()  # the same key: skipped by the job log
    send_partnership_digest.delay(partnership_id=orsa.partnership.pk, idempotency_key="by-hand")
    send_partnership_digest.delay(partnership_id=orsa.partnership.pk)
    assert len(mail.outbox) == len(_expected(orsa))
    run = JobRun.objects.get(idempotency_key="by-hand")
    assert run.status == "succeeded" and run.message.startswith("0 ")


def test_a_member_who_joins_after_the_send_gets_it_on_a_rerun_and_nobody_else(
    eager: Any, orsa: Any, actor_of: Any
) -> None:
    from django.contrib.auth import get_user_model

    from samtrygg.core import services as core_services
    from samtrygg.core.dataio import system_actor

    _adopt(orsa, actor_of)
    send_partnership_digest.delay(partnership_id=orsa.partnership.pk, idempotency_key="first")
    newcomer = get_user_model().objects.create_user(
        username="ny@test.example", email="ny@test.example", password="x"
    )
    core_services.add_membership(
        system_actor(orsa.partnership),
        user=newcomer,
        organisation=orsa.other_organisation,
        role=Role.RAPPORTOR,
    )
    send_partnership_digest.delay(partnership_id=orsa.partnership.pk, idempotency_key="second")
    received = Counter(m.to[0] for m in mail.outbox)
    assert sorted(received) == sorted([*_expected(orsa), newcomer.email])
    assert set(received.values()) == {1}


def test_a_new_week_is_sent_again_and_old_delivery_rows_are_removed(
    eager: Any, orsa: Any, actor_of: Any
) -> None:
    _adopt(orsa, actor_of)
    user = orsa.user("samordnare")
    last_week = iso_week(timezone.localdate() - dt.timedelta(weeks=1))
    DigestDelivery.objects.create(partnership=orsa.partnership, user=user, week=last_week)
    ancient = DigestDelivery.objects.create(
        partnership=orsa.partnership, user=user, week="2020-W01"
    )
    DigestDelivery.objects.filter(pk=ancient.pk).update(
        sent_at=timezone.now() - dt.timedelta(weeks=9)
    )

    send_weekly_digest.delay()
    assert user.email in [m.to[0] for m in mail.outbox]  # last week's row does not count
    assert not DigestDelivery.objects.filter(pk=ancient.pk).exists()
    assert DigestDelivery.objects.filter(week=last_week).exists()


def test_one_row_per_member_partnership_and_week(orsa: Any) -> None:
    user = orsa.user("samordnare")
    DigestDelivery.objects.create(partnership=orsa.partnership, user=user, week="2025-W47")
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestDelivery.objects.create(partnership=orsa.partnership, user=user, week="2025-W47")


def test_a_member_another_run_mailed_meanwhile_is_skipped(
    eager: Any, orsa: Any, actor_of: Any, settings: Any
) -> None:
    """Two runs at once: the other run records the second member while this one mails the
    first; this run's own record of the second member then conflicts and it goes on."""
    from unittest import mock

    from samtrygg.situation import tasks

    _adopt(orsa, actor_of)
    members = sorted(orsa.users.values(), key=lambda u: u.pk)
    real_send = tasks.send_mail
    calls = 0

    def send_and_let_the_other_run_record_the_second(*args: Any, **kwargs: Any) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            DigestDelivery.objects.create(
                partnership=orsa.partnership, user=members[1], week=iso_week(timezone.localdate())
            )
        return int(real_send(*args, **kwargs))

    with mock.patch.object(tasks, "send_mail", send_and_let_the_other_run_record_the_second):
        send_partnership_digest.delay(partnership_id=orsa.partnership.pk)

    received = [m.to[0] for m in mail.outbox]
    assert members[1].email not in received
    assert sorted(received) == sorted(m.email for m in members if m != members[1])
    assert DigestDelivery.objects.filter(partnership=orsa.partnership).count() == len(members)
