"""Jobs of agreements and promises: the notice to member organisations when a follow-up is
published, and the reminders to renew a promise before it ends."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from samtrygg.core.jobs import already_done, in_queued_language, job
from samtrygg.core.links import site_url

logger = logging.getLogger("samtrygg.promises")

NOTIFY_JOB = "samtrygg.promises.notify_follow_up_published"
REMINDERS_JOB = "samtrygg.promises.send_renewal_reminders"
REMINDER_JOB = "samtrygg.promises.send_renewal_reminder"


def _members(partnership: Any, roles: set[str] | None = None) -> Any:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(memberships__partnership=partnership, is_active=True)
    if roles:
        users = users.filter(memberships__role__in=roles)
    return users.exclude(email="").distinct().order_by("pk")


@job(NOTIFY_JOB, title=gettext_lazy("Besked om publicerad uppföljning"))
def notify_follow_up_published(partnership_id: int, follow_up_id: int) -> str:
    """Tell every member organisation (its members) that a follow-up has been published."""
    from samtrygg.promises.models import FollowUp

    follow_up = FollowUp.objects.select_related("promise", "partnership__municipality").get(
        pk=follow_up_id, partnership_id=partnership_id
    )
    partnership = follow_up.partnership
    code = partnership.municipality.code
    with override("sv"):
        subject = _("Uppföljningen av medborgarlöftet är publicerad – %(p)s") % {
            "p": partnership.name
        }
        body = "\n".join(
            [
                _("Hej!"),
                "",
                _("Uppföljningen av ”%(t)s” för %(f)s–%(to)s är antagen och publicerad.")
                % {
                    "t": follow_up.promise.title,
                    "f": follow_up.period_start.isoformat(),
                    "to": follow_up.period_end.isoformat(),
                },
                _("Den offentliga sidan: %(url)s") % {"url": f"{site_url()}/p/{code}/"},
                _("Uppföljningen: %(url)s")
                % {"url": f"{site_url()}/medborgarloften/uppfoljning/{follow_up.pk}/"},
                "",
            ]
        )
        sent = 0
        for user in _members(partnership):
            send_mail(subject, body, from_email=None, recipient_list=[user.email])
            sent += 1
    logger.info("Uppföljning %s publicerad: %d meddelanden", follow_up_id, sent)
    with in_queued_language():
        return ngettext("%(n)d meddelande skickat.", "%(n)d meddelanden skickade.", sent) % {
            "n": sent
        }


def reminder_key(promise_id: int, days: int) -> str:
    return f"promise-renewal-{promise_id}-{days}"


def due_reminders(today: dt.date) -> list[tuple[Any, int]]:
    """(promise, days) for each promise in force whose end is within a reminder's reach and
    whose reminder has not gone out; the nearest threshold only."""
    from samtrygg.promises.models import CitizenPromise
    from samtrygg.promises.state import status_of

    thresholds = sorted(int(d) for d in settings.PROMISE_RENEWAL_REMINDER_DAYS)
    if not thresholds:
        return []
    last_day = today + dt.timedelta(days=max(thresholds))
    candidates = (
        CitizenPromise.objects.filter(ends_on__gte=today, ends_on__lte=last_day)
        .prefetch_related("signatures")
        .select_related("partnership")
    )
    due = []
    for promise in candidates:
        if status_of(promise, today) != "gallande" or promise.renewals.exists():
            continue
        left = (promise.ends_on - today).days
        reached = [d for d in thresholds if left <= d]
        if reached and not already_done(reminder_key(promise.pk, reached[0])):
            due.append((promise, reached[0]))
    return due


@job(REMINDER_JOB, title=gettext_lazy("Påminnelse om ett medborgarlöfte som löper ut"))
def send_renewal_reminder(
    promise_id: int, days: int, partnership_id: int, idempotency_key: str = ""
) -> str:
    from samtrygg.core.models import Role
    from samtrygg.promises.models import CitizenPromise

    if already_done(idempotency_key or reminder_key(promise_id, days)):
        return "skipped"
    promise = CitizenPromise.objects.select_related("partnership").get(
        pk=promise_id, partnership_id=partnership_id
    )
    left = (promise.ends_on - timezone.localdate()).days
    with override("sv"):
        subject = _("Medborgarlöftet går ut om %(n)d dagar") % {"n": left}
        body = "\n".join(
            [
                _("Hej!"),
                "",
                _("”%(t)s” gäller till och med %(d)s.")
                % {"t": promise.title, "d": promise.ends_on.isoformat()},
                _(
                    "Följ upp löftet och förnya det med knappen Förnya: nästa periods löfte "
                    "skapas som utkast från det här, uppföljningen och lägesbilden."
                ),
                f"{site_url()}/medborgarloften/{promise.pk}/",
                "",
            ]
        )
        sent = 0
        for user in _members(promise.partnership, {Role.SAMORDNARE}):
            send_mail(subject, body, from_email=None, recipient_list=[user.email])
            sent += 1
    with in_queued_language():
        return ngettext("%(n)d påminnelse skickad.", "%(n)d påminnelser skickade.", sent) % {
            "n": sent
        }


@job(REMINDERS_JOB, title=gettext_lazy("Påminnelser om medborgarlöften som löper ut"))
def send_renewal_reminders(idempotency_key: str = "") -> str:
    """Daily: a reminder to the samordnare 60 and 30 days (PROMISE_RENEWAL_REMINDER_DAYS)
    before a promise in force ends, each once."""
    queued = 0
    for promise, days in due_reminders(timezone.localdate()):
        send_renewal_reminder.delay(
            promise_id=promise.pk,
            days=days,
            partnership_id=promise.partnership_id,
            idempotency_key=reminder_key(promise.pk, days),
        )
        queued += 1
    with in_queued_language():
        return ngettext("%(n)d påminnelse köad.", "%(n)d påminnelser köade.", queued) % {
            "n": queued
        }
