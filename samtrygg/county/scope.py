"""Who reads which kommuner above the partnership: a län's länssamordnare, and the members of
a partnership whose lokalpolisområde serves several kommuner (the LPO view).

A scope is a set of kommuner that its reader sees in aggregate only. It is not an
:class:`~samtrygg.core.permissions.Actor`: it gives no role in any partnership, so every
partnership page and API path keeps refusing a reader who holds nothing but a scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from samtrygg.core.errors import NotFound
from samtrygg.core.models import County, Municipality, PoliceArea, Role

LAN = "lan"
MAX_ID = 2**31 - 1
LPO = "lpo"
# The roles of a partnership whose members see their lokalpolisområde's kommuner side by side.
LPO_ROLES = frozenset({Role.SAMORDNARE, Role.KOMMUNPOLIS, Role.ANALYTIKER, Role.STYRGRUPP})


@dataclass(frozen=True)
class Scope:
    """The kommuner a reader sees in aggregate: a län (``key`` the länskod) or a
    lokalpolisområde (``key`` its id), with the kommunkoder in order of name."""

    kind: str
    key: str
    name: str
    codes: tuple[str, ...]
    user: Any

    @property
    def is_lan(self) -> bool:
        return self.kind == LAN


def _not_found() -> NotFound:
    return NotFound(_("Länet eller lokalpolisområdet finns inte eller så saknar du behörighet."))


def _codes(**filters: Any) -> tuple[str, ...]:
    return tuple(
        Municipality.objects.filter(**filters).order_by("name").values_list("code", flat=True)
    )


def county_scope(user: Any, code: str) -> Scope:
    """The län ``code`` for its länssamordnare; 404 for everyone else (also a system
    administrator without the assignment, who administers but reads nothing)."""
    from samtrygg.county.models import CountyAssignment

    if (
        not getattr(user, "is_authenticated", False)
        or not str(code).isdigit()
        or len(str(code)) > 2
    ):
        raise _not_found()
    assignment = (
        CountyAssignment.objects.filter(user=user, county_id=code)
        .select_related("county")
        .defer("county__boundary")  # the län's outline is not needed to name it
        .first()
    )
    if assignment is None:
        raise _not_found()
    county: County = assignment.county
    return Scope(LAN, county.code, county.name, _codes(county_id=county.code), user)


def lpo_scope(user: Any, pk: Any) -> Scope:
    """The lokalpolisområde ``pk`` for a member (in one of :data:`LPO_ROLES`) of a
    partnership it serves, when it serves more than one kommun; 404 otherwise."""
    if not getattr(user, "is_authenticated", False) or not str(pk).isdigit():
        raise _not_found()
    if int(pk) > MAX_ID:
        raise _not_found()
    area = PoliceArea.objects.filter(
        pk=int(pk),
        partnerships__memberships__user=user,
        partnerships__memberships__role__in=LPO_ROLES,
    ).first()
    if area is None:
        raise _not_found()
    codes = _codes(police_areas=area)
    if len(codes) < 2:
        raise _not_found()
    return Scope(LPO, str(area.pk), area.name, codes, user)


def scopes_of(user: Any) -> list[Scope]:
    """Every län and lokalpolisområde the user reads in aggregate (for the menu and start)."""
    from samtrygg.county.models import CountyAssignment

    if not getattr(user, "is_authenticated", False):
        return []
    found = [
        county_scope(user, county_id)
        for county_id in CountyAssignment.objects.filter(user=user)
        .order_by("county_id")
        .values_list("county_id", flat=True)
    ]
    areas = (
        PoliceArea.objects.filter(
            partnerships__memberships__user=user,
            partnerships__memberships__role__in=LPO_ROLES,
        )
        .distinct()
        .order_by("name")
    )
    for area in areas:
        codes = _codes(police_areas=area)
        if len(codes) > 1:
            found.append(Scope(LPO, str(area.pk), area.name, codes, user))
    return found


def has_scope(user: Any) -> bool:
    """Whether the user reads any län or lokalpolisområde (one or two cheap queries)."""
    from samtrygg.county.models import CountyAssignment

    if not getattr(user, "is_authenticated", False):
        return False
    return CountyAssignment.objects.filter(user=user).exists() or bool(
        PoliceArea.objects.filter(
            partnerships__memberships__user=user,
            partnerships__memberships__role__in=LPO_ROLES,
        )
        .values("pk")
        .first()
    )
