"""Reads of core data, always scoped to the acting user's partnership and role.

There is no unscoped list anywhere in views or the API: they call these functions. A record
of another partnership raises NotFound, exactly as a missing one does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from samtrygg.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    Invitation,
    JobRun,
    Membership,
    Organisation,
    Partnership,
    Place,
    Role,
)
from samtrygg.core.permissions import ADMIN_ROLES, AUDIT_ROLES, Actor
from samtrygg.core.tenancy import get_or_404


def partnership_by_code(code: str) -> Partnership | None:
    """The partnership of kommun ``code`` (the caller checks the role before showing it)."""
    return (
        Partnership.objects.select_related("municipality").filter(municipality__code=code).first()
    )


def user_by_email(email: str) -> Any | None:
    """The account with this e-mail address, for a caller who may manage members."""
    email = (email or "").strip()
    if "\x00" in email:  # no address holds one, and PostgreSQL cannot compare it
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


def organisations(actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(partnership=actor.partnership).order_by("name")


def organisation(actor: Actor, pk: Any) -> Organisation:
    return Organisation.objects.fetch(actor, pk)


def memberships(actor: Actor) -> QuerySet[Membership]:
    qs = Membership.objects.filter(partnership=actor.partnership).select_related(
        "user", "organisation"
    )
    if not actor.has(ADMIN_ROLES | AUDIT_ROLES):
        qs = qs.filter(user=actor.user)
    return qs.order_by("user__last_name", "user__first_name", "role")


def membership(actor: Actor, pk: Any) -> Membership:
    return Membership.objects.fetch(actor, pk, lambda: memberships(actor))


def own_memberships(user: Any) -> QuerySet[Membership]:
    """The signed-in user's own roles in every partnership (their account page)."""
    return Membership.objects.filter(user=user).select_related("partnership", "organisation")


def invitations(actor: Actor) -> QuerySet[Invitation]:
    actor.require(ADMIN_ROLES)
    return Invitation.objects.filter(partnership=actor.partnership).select_related("organisation")


def areas(actor: Actor) -> QuerySet[Area]:
    return Area.objects.filter(partnership=actor.partnership).order_by("name")


def area(actor: Actor, pk: Any) -> Area:
    return Area.objects.fetch(actor, pk)


def places(actor: Actor) -> QuerySet[Place]:
    return (
        Place.objects.filter(partnership=actor.partnership).select_related("area").order_by("name")
    )


def place(actor: Actor, pk: Any) -> Place:
    return Place.objects.fetch(actor, pk, lambda: places(actor))


def audit_entries(
    actor: Actor,
    *,
    text: str = "",
    model: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The partnership's audit trail, searchable by text, record type, action and dates."""
    actor.require(AUDIT_ROLES)
    qs = AuditEntry.objects.filter(partnership=actor.partnership).select_related("actor")
    text = text.replace("\x00", "")  # no entry holds one, and PostgreSQL cannot compare it
    if text:
        qs = qs.filter(Q(object_repr__icontains=text) | Q(actor_label__icontains=text))
    if model:
        qs = qs.filter(model=model)
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-at", "-id")


def audit_entry(actor: Actor, pk: Any) -> AuditEntry:
    return get_or_404(audit_entries(actor), pk)


# Who reads every record of the partnership (as observations.roles.READ_ALL_ROLES).
RECORD_READ_ALL_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER})


def job_runs(actor: Actor) -> QuerySet[JobRun]:
    """Recent job runs of the partnership, and the system-wide ones (fetches, reminders).

    A job about one organisation's records (an import) follows the records' read rules: its
    messages can quote the file, so it is seen by whoever queued it, by the roles that read
    every record, and by a rapportör of that organisation; not by other organisations'
    members, styrgrupp or administratörer."""
    runs = JobRun.objects.filter(Q(partnership=actor.partnership) | Q(partnership__isnull=True))
    if not actor.has(RECORD_READ_ALL_ROLES):
        readable = Q(organisation__isnull=True) | Q(queued_by_id=getattr(actor.user, "pk", None))
        if actor.has({Role.RAPPORTOR}):
            readable |= Q(organisation_id__in=actor.organisation_ids)
        runs = runs.filter(readable)
    return runs.order_by("-queued_at")


def api_tokens(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")
