"""The county app's writes: granting and withdrawing the länssamordnare role.

Only a system administrator grants it (the role reads a whole län, above every samordnare),
never to themselves; each grant and withdrawal leaves an audit entry.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samtrygg.core import audit
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import County
from samtrygg.county.models import CountyAssignment


def _require_system_administrator(granter: Any, user: Any) -> None:
    if not getattr(granter, "is_superuser", False):
        raise PermissionDenied(_("Bara systemadministratören ger rollen länssamordnare."))
    if user is not None and getattr(user, "pk", None) == granter.pk:
        raise PermissionDenied(
            _("Du kan inte ändra dina egna roller. Be en annan systemadministratör.")
        )


def check_grant(granter: Any, *, user: Any, county: County | str | None) -> County:
    """Refuse a grant that may not be given (a DomainError naming the field); the län."""
    _require_system_administrator(granter, user)
    if user is None or not getattr(user, "pk", None) or not user.is_active:
        raise DomainError(_("Välj en aktiv användare."), field="user")
    code = county.code if isinstance(county, County) else str(county or "").strip()
    found = County.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("Länet %(code)s finns inte.") % {"code": code}, field="county")
    if CountyAssignment.objects.filter(user=user, county=found).exists():
        raise DomainError(
            _("%(user)s är redan länssamordnare för %(county)s.")
            % {"user": user.email, "county": found.name},
            field="user",
        )
    return found


def grant_county(granter: Any, *, user: Any, county: County | str) -> CountyAssignment:
    """Make ``user`` länssamordnare for ``county`` (a County or its länskod)."""
    with transaction.atomic():
        found = check_grant(granter, user=user, county=county)
        return audit.create(granter, CountyAssignment, user=user, county=found, granted_by=granter)


def revoke_county(granter: Any, assignment: CountyAssignment) -> None:
    """Withdraw the länssamordnare role ``assignment`` gives."""
    _require_system_administrator(granter, assignment.user)
    audit.delete(granter, assignment)
