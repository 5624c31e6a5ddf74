"""Who may do what: the acting user in their current partnership, with their roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from samtrygg.core import authcache
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
    def stored_user(self) -> Any:
        """The user to store as who did something (``created_by``, ``adopted_by`` …): None
        for the system actor of a command or a job, whose user is not saved."""
        return self.user if getattr(self.user, "pk", None) else None

    @property
    def organisation_id(self) -> int | None:
        """The user's organisation here (the first, if they hold roles for several)."""
        return min(self.organisation_ids) if self.organisation_ids else None


# The roles each role may grant (invite to, add, change a member to). Nobody grants a role
# that reads more than their own: the roles that read every report (samordnare, kommunpolis,
# analytiker) are granted by a samordnare or a system administrator only; an administratör
# grants administratör, styrgrupp and rapportör.
GRANTABLE_BY: dict[str, frozenset[str]] = {
    Role.SAMORDNARE: frozenset(Role.values),
    Role.KOMMUNPOLIS: frozenset(Role.values) - {Role.SAMORDNARE},
    Role.ADMINISTRATOR: frozenset({Role.ADMINISTRATOR, Role.STYRGRUPP, Role.RAPPORTOR}),
}


def grantable_roles(actor: Actor) -> frozenset[str]:
    """The roles ``actor`` may grant to someone else (every role for a system administrator)."""
    if getattr(actor.user, "is_superuser", False):
        return frozenset(Role.values)
    granted: frozenset[str] = frozenset()
    for role in actor.roles:
        granted |= GRANTABLE_BY.get(role, frozenset())
    return granted


def require_may_grant(actor: Actor, role: str, *, user: Any = None, email: str = "") -> None:
    """Refuse granting ``role`` above the actor's own, and any change of the actor's own roles
    (``user`` or ``email`` names whose roles change)."""
    me = actor.user
    if me is not None and (
        (user is not None and getattr(user, "pk", None) == me.pk)
        or (email and email.strip().lower() == (me.email or "").strip().lower())
    ):
        raise PermissionDenied(
            _("Du kan inte ändra dina egna roller. Be en annan samordnare eller administratör.")
        )
    if role not in grantable_roles(actor):
        raise PermissionDenied(
            _(
                "Din roll får inte ge rollen %(role)s. Rollerna samordnare, kommunpolis och "
                "analytiker ges av en samordnare."
            )
            % {"role": Role(role).label if role in Role.values else role}
        )


def readers_of(roles: frozenset[str], *models: type[Model]) -> dict[str, frozenset[str]]:
    """An app's ``audit_readers`` entries: ``roles`` read what the audit trail says of each of
    ``models``."""
    return {model._meta.label: roles for model in models}


def audit_readers() -> dict[str, frozenset[str]]:
    """Per audited model (its label), the roles that may read what audit entries say about it.

    They are the roles that may read the records themselves: each app declares its models in
    ``AppConfig.ready()`` as ``audit_readers``. A model no app declares is read only by the
    coordinating roles, who see everything in their partnership.
    """
    from django.apps import apps

    readers: dict[str, frozenset[str]] = {}
    for config in apps.get_app_configs():
        readers.update(getattr(config, "audit_readers", {}))
    return readers


def audit_content_readable(actor: Actor) -> tuple[list[str], bool]:
    """The model labels whose audit content ``actor`` may read, and whether that includes
    models no app declares (only for the coordinating roles)."""
    declared = audit_readers()
    readable = sorted(label for label, roles in declared.items() if actor.has(roles))
    return readable, actor.has(COORDINATING_ROLES)


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


def actor_in_kommun(user: Any, code: str) -> Actor | None:
    """The actor for a user in the partnership of kommun ``code`` (one per kommun), or None
    when they have no role there. What the memberships say is kept in the shared cache
    (``core.authcache``); without it, one query finds the user's memberships there with the
    partnership (a system administrator without a membership costs a second)."""
    if not getattr(user, "is_authenticated", False):
        return None
    name = f"actor:{user.pk}:{code}"
    generation, known = authcache.get(name)
    if known is authcache.MISS:
        known = _roles_in_kommun(user, code)
        if known is None:
            return None  # not kept: any string can stand where a kommun code goes
        authcache.put(generation, name, known)
    partnership, roles, organisation_ids = known
    return Actor(user=user, partnership=partnership, roles=roles, organisation_ids=organisation_ids)


def _roles_in_kommun(
    user: Any, code: str
) -> tuple[Partnership, frozenset[str], frozenset[int]] | None:
    memberships = list(
        Membership.objects.filter(user=user, partnership__municipality_id=code).select_related(
            "partnership__municipality"
        )
    )
    if memberships:
        partnership = memberships[0].partnership
    elif user.is_superuser:
        found = Partnership.objects.select_related("municipality").filter(municipality=code).first()
        if found is None:
            return None
        partnership = found
    else:
        return None
    roles = {m.role for m in memberships}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return partnership, frozenset(roles), frozenset(m.organisation_id for m in memberships)
