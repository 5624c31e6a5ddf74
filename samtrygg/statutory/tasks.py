"""Jobs of the statutory work: the reminder before the review of the lägesbild and the plan.

Daily: for each partnership whose next review (see :func:`compliance.next_review_date`) is
within its reminder window (``ReviewSettings.remind_days_before``, 30 days by default) or has
passed, the samordnare and kommunpolis get one e-mail per review date; the date reminded for
is kept, so a review is announced once (a changed review date is announced again).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from samtrygg.core.jobs import job
from samtrygg.core.links import site_url

logger = logging.getLogger("samtrygg.statutory")

REMINDER_JOB = "samtrygg.statutory.send_review_reminders"
DEFAULT_REMIND_DAYS = 30


def due_reminders(today: dt.date) -> list[tuple[Any, dt.date]]:
    """(partnership, review date) for each partnership whose review should be announced now."""
    from django.db.models import Max

    from samtrygg.core.models import Partnership
    from samtrygg.statutory.compliance import next_review_date
    from samtrygg.statutory.models import ReportStatus, ReviewSettings, StatutoryReport

    adopted = dict(
        StatutoryReport.objects.filter(status=ReportStatus.ANTAGEN)
        .values("partnership_id")
        .annotate(last=Max("decided_on"))
        .values_list("partnership_id", "last")
    )
    review_settings = {s.partnership_id: s for s in ReviewSettings.objects.all()}
    due = []
    for partnership in Partnership.objects.select_related("municipality").order_by("pk"):
        chosen = review_settings.get(partnership.pk)
        review = next_review_date(adopted.get(partnership.pk), chosen)
        if review is None:
            continue
        days = chosen.remind_days_before if chosen else DEFAULT_REMIND_DAYS
        if review - dt.timedelta(days=days) > today:
            continue
        if chosen is not None and chosen.reminded_for == review:
            continue
        due.append((partnership, review))
    return due


@job(REMINDER_JOB, title=gettext_lazy("Påminnelser om översyn av lägesbild och åtgärdsplan"))
def send_review_reminders(idempotency_key: str = "") -> str:
    """E-mail the coordinators of each partnership whose review is near or past."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.core.models import Membership, Role
    from samtrygg.statutory import services
    from samtrygg.statutory.models import ReviewSettings

    today = timezone.localdate()
    sent = 0
    for partnership, review in due_reminders(today):
        users = {
            m.user.email: m.user
            for m in Membership.objects.filter(
                partnership=partnership,
                role__in=[Role.SAMORDNARE, Role.KOMMUNPOLIS],
                user__is_active=True,
            ).select_related("user")
            if m.user.email
        }
        with override("sv"):
            subject = _("Dags att se över lägesbilden och åtgärdsplanen – %(p)s") % {
                "p": partnership.name
            }
            body = _(
                "Hej!\n\nEnligt översynscykeln ska %(p)s lägesbild och åtgärdsplan enligt lag "
                "(2023:196) ses över senast %(d)s. Ta fram ett nytt utkast här:\n%(url)s\n\n"
                "Efterlevnaden i korthet: %(compliance)s\n"
            ) % {
                "p": partnership.name,
                "d": review.isoformat(),
                "url": f"{site_url()}/lagen/",
                "compliance": f"{site_url()}/lagen/efterlevnad/",
            }
        for email in sorted(users):
            send_mail(subject, body, from_email=None, recipient_list=[email])
            sent += 1
        actor = system_actor(partnership)
        chosen = ReviewSettings.objects.filter(partnership=partnership).first()
        if chosen is None:
            chosen = services.update_review_settings(
                actor,
                mapping_months=12,
                full_review_months=24,
                remind_days_before=DEFAULT_REMIND_DAYS,
            )
        services.mark_reminded(actor, chosen, review)
    logger.info("review reminders: %d e-mails", sent)
    return _("%(n)d påminnelser skickade.") % {"n": sent}
