"""Reads of core data, always scoped to the acting user's partnership and role.

There is no unscoped list anywhere in views or the API: they call these functions. A record
of another partnership raises NotFound, exactly as a missing one does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.db.models import Case, F, JSONField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from samtrygg.core.models import (
    ApiToken,
    Area,
    AuditEntry,
    Invitation,
    JobRun,
    Membership,
    Organisation,
    Place,
    Role,
)
from samtrygg.core.permissions import (
    ADMIN_ROLES,
    AUDIT_ROLES,
    MEMBER_ROLES,
    Actor,
    audit_content_readable,
    audit_readers,
)
from samtrygg.core.tenancy import get_or_404

QS = TypeVar("QS", bound=QuerySet[Any])


def narrowed(qs: QS, **lookups: Any) -> QS:
    """``qs`` filtered by each lookup that is given: an empty value (a filter left blank,
    None, an empty list) narrows nothing."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return qs.filter(**given) if given else qs


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
    actor.require(MEMBER_ROLES)
    return Invitation.objects.filter(partnership=actor.partnership).select_related("organisation")


def invitation(actor: Actor, pk: Any) -> Invitation:
    return get_or_404(invitations(actor), pk)


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


def _audit_content_visible(actor: Actor) -> Q:
    """The entries whose content (record text, changes) the actor may read: those about
    records their role may read (the read rules each app declares for its models)."""
    readable, undeclared = audit_content_readable(actor)
    visible = Q(model__in=readable)
    if undeclared:
        visible |= ~Q(model__in=list(audit_readers()))
    return visible


def audit_entries(
    actor: Actor,
    *,
    text: str = "",
    model: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """The partnership's audit trail, searchable by text, record type, action and dates.

    The trail applies the read rules of the records it describes: each entry carries
    ``shown_repr`` and ``shown_changes``, which are the record's text and changes only when
    the actor may read that kind of record (an administratör sees that a report was made,
    by whom and when, but not what it says). Text search looks only at what is shown.
    """
    actor.require(AUDIT_ROLES)
    visible = _audit_content_visible(actor)
    qs = (
        AuditEntry.objects.filter(partnership=actor.partnership)
        .select_related("actor")
        .annotate(
            shown_repr=Case(
                When(visible, then=F("object_repr")),
                default=Value(_("(innehållet visas bara för roller som får läsa posten)")),
            ),
            shown_changes=Case(
                When(visible, then=F("changes")),
                default=Value({}, output_field=JSONField()),
                output_field=JSONField(),
            ),
        )
    )
    text = text.replace("\x00", "")  # no entry holds one, and PostgreSQL cannot compare it
    if text:
        qs = qs.filter((Q(object_repr__icontains=text) & visible) | Q(actor_label__icontains=text))
    qs = narrowed(qs, model=model, action=action, at__date__gte=since, at__date__lte=until)
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
