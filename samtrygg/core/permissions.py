"""Who may do what: the acting user in their current partnership, with their roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from samtrygg.core.errors import PermissionDenied
from samtrygg.core.models import Membership, Partnership, Role

# Roles that see everything in their partnership (docs/domain.md, Roller).
COORDINATING_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS})
# Roles that may change the partnership's set-up: areas, places, organisations.
SETUP_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ADMINISTRATOR})
# Roles that may read the audit trail.
AUDIT_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ADMINISTRATOR})
# Roles that manage the partnership's settings.
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR})
# Roles that manage members and invitations (which roles each may grant: core.services).
MEMBER_ROLES = frozenset({Role.ADMINISTRATOR, Role.SAMORDNARE})


@dataclass(frozen=True)
class Actor:
    """A user acting in one partnership, with the roles and organisations they hold there."""

    user: Any
    partnership: Partnership
    roles: frozenset[str]
    organisation_ids: frozenset[int]

    def has(self, roles: frozenset[str] | set[str]) -> bool:
        return bool(self.roles & set(roles))

    def require(self, roles: frozenset[str] | set[str]) -> None:
        if not self.has(roles):
            raise PermissionDenied(_("Din roll i den här samverkan får inte göra detta."))

    @property
    def organisation_id(self) -> int | None:
        """The user's organisation here (the first, if they hold roles for several)."""
        return min(self.organisation_ids) if self.organisation_ids else None


def require_own(actor: Actor, instance: Any) -> None:
    """Refuse a record of another partnership exactly as if it did not exist (404)."""
    from samtrygg.core.errors import NotFound

    if getattr(instance, "partnership_id", None) != actor.partnership.pk:
        raise NotFound(_("Posten finns inte."))


def partnerships_of(user: Any) -> list[Partnership]:
    """The partnerships a user may switch between (all of them for a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Partnership.objects.select_related("municipality").order_by("name"))
    return list(
        Partnership.objects.filter(memberships__user=user)
        .select_related("municipality")
        .distinct()
        .order_by("name")
    )


def actor_for(user: Any, partnership: Partnership | int | None) -> Actor | None:
    """The actor for a user in a partnership, or None when they have no role there.

    A superuser (created with ``samtrygg createadmin``) administers every partnership but
    gets no reading role in any: seeing reports takes a membership like anyone else.
    """
    if partnership is None or not getattr(user, "is_authenticated", False):
        return None
    if not isinstance(partnership, Partnership):
        found = Partnership.objects.select_related("municipality").filter(pk=partnership).first()
        if found is None:
            return None
        partnership = found
    memberships = list(
        Membership.objects.filter(user=user, partnership=partnership).values_list(
            "role", "organisation_id"
        )
    )
    roles = {role for role, _org in memberships}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    if not roles:
        return None
    return Actor(
        user=user,
        partnership=partnership,
        roles=frozenset(roles),
        organisation_ids=frozenset(org for _role, org in memberships),
    )
