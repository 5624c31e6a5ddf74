"""Every write to the core data: validation, one transaction, one audit entry each.

Views, API endpoints and commands call these functions and nothing else to change data.
A refusal is a DomainError with a Swedish message, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import smtplib
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import audit, authcache, geo
from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.links import site_url
from samtrygg.core.models import (
    PUBLIC_AUTHORITY_TYPES,
    ApiToken,
    Area,
    AuditAction,
    Invitation,
    Membership,
    Municipality,
    Organisation,
    OrganisationType,
    Partnership,
    Place,
    PlaceType,
    PoliceArea,
    PoliceRegion,
    Population,
    Role,
)
from samtrygg.core.permissions import (
    ADMIN_ROLES,
    MEMBER_ROLES,
    SETUP_ROLES,
    Actor,
    require_may_grant,
)
from samtrygg.core.permissions import require_own as _own
from samtrygg.core.privacy import ensure_clean
from samtrygg.core.signals import areas_changed

User = get_user_model()
logger = logging.getLogger(__name__)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# Control characters other than tab, line feed and carriage return: PostgreSQL refuses NUL
# in text, and none of them belongs in anything a person wrote.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value: str, *, field: str, label: str) -> None:
    """Refuse text with control characters (a NUL byte from a file, say), the same on every
    database, with a Swedish message."""
    if _CONTROL_CHARACTERS.search(value):
        raise DomainError(
            _("%(label)s innehåller otillåtna tecken (styrtecken, t.ex. NUL). Ta bort dem.")
            % {"label": label},
            field=field,
        )


def clean_text(
    value: str | None, *, field: str, label: str, required: bool = False, limit: int = 5000
) -> str:
    """Every free-text field of every app: trimmed, required if asked, bounded in length (by
    the column's), free of control characters and through the privacy screen. Raises
    DomainError with a Swedish message."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("%(label)s måste fyllas i.") % {"label": label}, field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(label)s får vara högst %(n)d tecken.") % {"label": label, "n": limit}, field=field
        )
    refuse_control_characters(value, field=field, label=label)
    ensure_clean(value, field=field)
    return value


def clean_date(
    value: dt.date | str | None, *, field: str, label: str, first_year: int, last_year: int
) -> dt.date:
    """A date given as a date (a datetime's day) or as ÅÅÅÅ-MM-DD, within the years the field
    allows. Raises DomainError with a Swedish message."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat((value or "").strip())
        except ValueError as exc:
            raise DomainError(
                _("%(label)s ska vara ett datum (ÅÅÅÅ-MM-DD).") % {"label": label}, field=field
            ) from exc
    if not first_year <= day.year <= last_year:
        raise DomainError(
            _("%(label)s ska vara ett datum mellan år %(first)d och %(last)d.")
            % {"label": label, "first": first_year, "last": last_year},
            field=field,
        )
    return day


Owned = TypeVar("Owned", bound=models.Model)


def own_record(actor: Actor, model: type[Owned], value: Any, message: str, field: str) -> Owned:
    """A record of the actor's partnership named by instance or id; else DomainError with the
    message (also for an id that is not a number)."""
    pk: Any = value.pk if isinstance(value, models.Model) else value
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise DomainError(message, field=field) from None
    found = model._default_manager.filter(partnership=actor.partnership, pk=pk).first()
    if found is None:
        raise DomainError(message, field=field)
    return found


def own_records(
    actor: Actor, model: type[Owned], values: Iterable[Any], message: str, field: str
) -> list[Owned]:
    """Each named record once, in the order given; see :func:`own_record`."""
    return [
        own_record(actor, model, value, message, field) for value in dict.fromkeys(values or [])
    ]


def _clean_name(value: str, field: str, label: str, limit: int = 200) -> str:
    """A name, at most `limit` characters (the column's length)."""
    return clean_text(value, field=field, label=label, required=True, limit=limit)


def _refuse_taken_name(
    actor: Actor,
    model: type[Organisation | Area | Place],
    name: str,
    record: Organisation | Area | Place | None = None,
) -> None:
    """A name is unique in the partnership whatever its case (``record``: the one renamed)."""
    taken = model.objects.filter(partnership=actor.partnership, name__iexact=name)
    if record is not None:
        taken = taken.exclude(pk=record.pk)
    if not taken.exists():
        return
    if model is Organisation:
        message = _("Det finns redan en organisation med det namnet.")
    elif model is Area:
        message = _("Det finns redan ett delområde som heter %(n)s.") % {"n": name}
    else:
        message = _("Det finns redan en plats som heter %(n)s.") % {"n": name}
    raise DomainError(message, field="name")


def _require_superuser(user: Any) -> None:
    if not getattr(user, "is_superuser", False):
        raise DomainError(_("Bara systemadministratören får göra detta."))


# --- Police areas and partnerships (system administration) -------------------------------


def _municipalities(codes: list[str]) -> list[Municipality]:
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise DomainError(
            _("Okänd kommunkod: %(codes)s. En kommunkod har fyra siffror, t.ex. 2034.")
            % {"codes": ", ".join(unknown)},
            field="municipalities",
        )
    return [found[code] for code in codes]


def create_police_area(
    user: Any, *, name: str, region: str, municipality_codes: list[str]
) -> PoliceArea:
    _require_superuser(user)
    name = _clean_name(name, "name", _("Namn"), limit=120)
    if region not in PoliceRegion.values:
        raise DomainError(_("Okänd polisregion."), field="region")
    municipalities = _municipalities(municipality_codes)
    if not municipalities:
        raise DomainError(_("Ange minst en kommun."), field="municipalities")
    with transaction.atomic():
        if PoliceArea.objects.filter(name__iexact=name).exists():
            raise DomainError(
                _("Det finns redan ett lokalpolisområde med det namnet."), field="name"
            )
        area = PoliceArea.objects.create(name=name, region=region)
        area.municipalities.set(municipalities)
        audit.record(
            user,
            AuditAction.CREATE,
            area,
            after={"name": name, "region": region, "municipalities": municipality_codes},
        )
    return area


def update_police_area(
    user: Any, area: PoliceArea, *, name: str, region: str, municipality_codes: list[str]
) -> PoliceArea:
    _require_superuser(user)
    name = _clean_name(name, "name", _("Namn"), limit=120)
    municipalities = _municipalities(municipality_codes)
    if region not in PoliceRegion.values:
        raise DomainError(_("Okänd polisregion."), field="region")
    with transaction.atomic():
        before = {
            "name": area.name,
            "region": area.region,
            "municipalities": sorted(area.municipalities.values_list("code", flat=True)),
        }
        area.name, area.region = name, region
        area.save()
        area.municipalities.set(municipalities)
        after = {"name": name, "region": region, "municipalities": sorted(municipality_codes)}
        audit.record(user, AuditAction.UPDATE, area, before=before, after=after)
    return area


def create_partnership(
    user: Any,
    *,
    municipality_code: str,
    police_area: PoliceArea,
    name: str = "",
    is_demo: bool = False,
) -> Partnership:
    """One partnership per kommun; its LPO must serve that kommun."""
    _require_superuser(user)
    municipality = _municipalities([municipality_code])[0]
    if not police_area.municipalities.filter(code=municipality.code).exists():
        raise DomainError(
            _("%(lpo)s betjänar inte %(kommun)s kommun.")
            % {"lpo": police_area.name, "kommun": municipality.name},
            field="police_area",
        )
    with transaction.atomic():
        if Partnership.objects.filter(municipality=municipality).exists():
            raise DomainError(
                _("%(kommun)s kommun har redan en samverkan.") % {"kommun": municipality.name},
                field="municipality",
            )
        partnership = Partnership.objects.create(
            municipality=municipality,
            police_area=police_area,
            name=_clean_name(name, "name", _("Namn"))
            if name.strip()
            else _("Samverkan %(kommun)s") % {"kommun": municipality.name},
            is_demo=is_demo,
        )
        audit.record(user, AuditAction.CREATE, partnership, partnership=partnership)
    return partnership


def update_partnership_settings(
    actor: Actor, *, min_public_count: int, requires_police_cosign: bool
) -> Partnership:
    actor.require(ADMIN_ROLES)
    if not 1 <= min_public_count <= 100:
        raise DomainError(
            _("Minsta publika antal ska vara mellan 1 och 100."), field="min_public_count"
        )
    partnership = actor.partnership
    with audit.change(actor, partnership, in_partnership=partnership):
        partnership.min_public_count = min_public_count
        partnership.requires_police_cosign = requires_police_cosign
    return partnership


# --- Organisations and members -------------------------------------------------------------


def _organisation_name(name: str, type: str) -> str:
    """An organisation's name, cleaned, once its type is known."""
    name = _clean_name(name, "name", _("Namn"))
    if type not in OrganisationType.values:
        raise DomainError(_("Okänd organisationstyp."), field="type")
    return name


def create_organisation(
    actor: Actor,
    *,
    name: str,
    type: str,
    is_public_authority: bool | None = None,
    is_demo: bool = False,
) -> Organisation:
    actor.require(SETUP_ROLES)
    name = _organisation_name(name, type)
    if is_public_authority is None:
        is_public_authority = type in PUBLIC_AUTHORITY_TYPES
    with transaction.atomic():
        _refuse_taken_name(actor, Organisation, name)
        org = audit.create(
            actor,
            Organisation,
            name=name,
            type=type,
            is_public_authority=is_public_authority,
            is_demo=is_demo,
        )
    return org


def update_organisation(
    actor: Actor, org: Organisation, *, name: str, type: str, is_public_authority: bool
) -> Organisation:
    actor.require(SETUP_ROLES)
    _own(actor, org)
    name = _organisation_name(name, type)
    with transaction.atomic():
        _refuse_taken_name(actor, Organisation, name, org)
        with audit.change(actor, org):
            org.name, org.type, org.is_public_authority = name, type, is_public_authority
    return org


def delete_organisation(actor: Actor, org: Organisation) -> None:
    actor.require(SETUP_ROLES)
    _own(actor, org)
    if org.memberships.exists():
        raise DomainError(_("Organisationen har medlemmar. Ta bort deras medlemskap först."))
    try:
        audit.delete(actor, org)
    except ProtectedError as exc:
        raise DomainError(
            _(
                "Organisationen har rapporter, insatser eller annat som hör till den och kan "
                "inte tas bort."
            )
        ) from exc


def add_membership(actor: Actor, *, user: Any, organisation: Organisation, role: str) -> Membership:
    actor.require(MEMBER_ROLES)
    _own(actor, organisation)
    if role not in Role.values:
        raise DomainError(_("Okänd roll."), field="role")
    require_may_grant(actor, role, user=user)
    with transaction.atomic():
        if Membership.objects.filter(user=user, partnership=actor.partnership, role=role).exists():
            raise DomainError(
                _("%(user)s har redan rollen %(role)s i den här samverkan.")
                % {"user": user, "role": Role(role).label},
                field="role",
            )
        membership = audit.create(
            actor,
            Membership,
            user=user,
            partnership=actor.partnership,
            organisation=organisation,
            role=role,
        )
    return membership


def add_membership_by_email(
    actor: Actor, *, email: str, organisation_id: Any, role: str
) -> Membership:
    """Give an existing user a role, named by e-mail (the API's way). The caller's right to
    manage members is checked before anyone is looked up, so the answer never tells whether
    an address has an account to someone who may not add members."""
    actor.require(MEMBER_ROLES)
    number = _int_or_none(organisation_id)
    organisation = (
        Organisation.objects.filter(partnership=actor.partnership, pk=number).first()
        if number is not None
        else None
    )
    if organisation is None:
        raise NotFound(_("Organisationen finns inte i den här samverkan."))
    address = (email or "").strip()
    # no address holds a NUL, and PostgreSQL cannot compare one
    user = None if "\x00" in address else User.objects.filter(email__iexact=address).first()
    if user is None:
        raise DomainError(
            _("Ingen användare har den e-postadressen. Bjud in personen i stället."), field="email"
        )
    return add_membership(actor, user=user, organisation=organisation, role=role)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def remove_membership(actor: Actor, membership: Membership) -> None:
    actor.require(MEMBER_ROLES)
    _own(actor, membership)
    with transaction.atomic():
        # removing a role is granting it away: the same rules as adding it
        require_may_grant(actor, membership.role, user=membership.user)
        if (
            membership.role == Role.ADMINISTRATOR
            and not Membership.objects.filter(
                partnership=actor.partnership, role=Role.ADMINISTRATOR
            )
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise DomainError(_("Samverkan måste ha minst en administratör."))
        audit.delete(actor, membership)


def change_membership_role(actor: Actor, membership: Membership, role: str) -> Membership:
    """Give a member another role in the same organisation: the new role is granted and the
    old one removed in one transaction, each by the rules of granting and removing a role."""
    actor.require(MEMBER_ROLES)
    _own(actor, membership)
    if role == membership.role:
        return membership
    with transaction.atomic():
        new = add_membership(
            actor, user=membership.user, organisation=membership.organisation, role=role
        )
        remove_membership(actor, membership)
    return new


def invite(
    actor: Actor, *, email: str, organisation: Organisation, role: str, send: bool = True
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link (after commit, unless ``send`` is False, when
    the caller sends it with ``send_invitation`` to learn whether it went). Returns it with the
    raw token (shown or sent once)."""
    actor.require(MEMBER_ROLES)
    _own(actor, organisation)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Ange en giltig e-postadress."), field="email") from exc
    if role not in Role.values:
        raise DomainError(_("Okänd roll."), field="role")
    require_may_grant(actor, role, email=email)
    if Membership.objects.filter(
        user__email__iexact=email, partnership=actor.partnership, role=role
    ).exists():
        raise DomainError(
            _("%(email)s har redan rollen %(role)s här.")
            % {"email": email, "role": Role(role).label},
            field="email",
        )
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            partnership=actor.partnership,
            organisation=organisation,
            email=email,
            role=role,
            token_hash=_hash(raw),
            invited_by=actor.user,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        audit.note(
            actor, AuditAction.CREATE, invitation, object_repr=f"{email} ({Role(role).label})"
        )
        if send:
            transaction.on_commit(lambda: send_invitation(invitation, raw))
    return invitation, raw


def invitation_url(raw: str, base: str | None = None) -> str:
    """The link that accepts an invitation, absolute (for the mail and the page to copy)."""
    if base is None:
        base = site_url()
    return f"{base.rstrip('/')}/inbjudan/{raw}/"


def send_invitation(invitation: Invitation, raw: str) -> bool:
    """Mail the invitation's link. A mail that cannot be sent is logged and reported as False,
    never raised: the invitation stays, and its link can be copied or the mail sent again."""
    try:
        send_mail(
            subject=_("Inbjudan till Samtrygg – %(p)s") % {"p": invitation.partnership.name},
            message=_(
                "Du har bjudits in som %(role)s för %(org)s i %(p)s.\n\n"
                "Följ länken för att skapa ditt konto (giltig till %(until)s):\n%(url)s\n"
            )
            % {
                "role": Role(invitation.role).label,
                "org": invitation.organisation.name,
                "p": invitation.partnership.name,
                "until": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
                "url": invitation_url(raw),
            },
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.warning("invitation %s: the mail could not be sent", invitation.pk, exc_info=True)
        return False
    return True


def resend_invitation(actor: Actor, invitation: Invitation) -> tuple[Invitation, str]:
    """A new link for a pending invitation (the old one stops working), valid for the full
    period again. The caller sends it with ``send_invitation``."""
    actor.require(MEMBER_ROLES)
    _own(actor, invitation)
    if invitation.accepted_at is not None:
        raise DomainError(_("Inbjudan har redan använts."))
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation.token_hash = _hash(raw)
        invitation.expires_at = timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS)
        invitation.save(update_fields=["token_hash", "expires_at"])
        audit.record(
            actor.user,
            AuditAction.UPDATE,
            invitation,
            partnership=actor.partnership,
            object_repr=f"{invitation.email} ({Role(invitation.role).label})",
            after={"expires_at": invitation.expires_at.isoformat()},
        )
    return invitation, raw


def invitation_by_token(raw: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("partnership", "organisation")
        .filter(token_hash=_hash(raw))
        .first()
    )
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound(_("Inbjudan finns inte eller har redan använts."))
    if invitation.is_expired:
        raise DomainError(_("Inbjudan har gått ut. Be administratören om en ny."))
    return invitation


def accept_invitation(
    raw: str, *, first_name: str, last_name: str, password: str, existing_user: Any = None
) -> Any:
    """Turn an invitation into a membership, creating the account if needed."""
    from django.contrib.auth.password_validation import validate_password

    with transaction.atomic():
        invitation = invitation_by_token(raw)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise NotFound(_("Inbjudan finns inte eller har redan använts."))
        user = existing_user
        if user is None:
            user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            first_name = _clean_name(first_name, "first_name", _("Förnamn"), limit=150)
            last_name = _clean_name(last_name, "last_name", _("Efternamn"), limit=150)
            user = User(
                username=invitation.email,
                email=invitation.email,
                first_name=first_name,
                last_name=last_name,
            )
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise DomainError(" ".join(exc.messages), field="password") from exc
            user.set_password(password)
            user.save()
            audit.record(user, AuditAction.CREATE, user, partnership=invitation.partnership)
        if not Membership.objects.filter(
            user=user, partnership=invitation.partnership, role=invitation.role
        ).exists():
            audit.create(
                user,
                Membership,
                user=user,
                partnership=invitation.partnership,
                organisation=invitation.organisation,
                role=invitation.role,
                in_partnership=invitation.partnership,
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return user


# --- Areas and places ---------------------------------------------------------------------


MAX_AREA_POPULATION = 10_000_000


def clean_population(value: Any) -> int | None:
    """A delområde's population: empty, or a whole number from 0 to 10 000 000 (given as a
    number or as digits, spaces allowed); anything else is refused with a Swedish message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        digits = value.strip().replace(" ", "").replace("\u00a0", "")
        number: Any = int(digits) if digits.isascii() and digits.isdigit() else None
    elif isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        number = None
    if number is None or not 0 <= number <= MAX_AREA_POPULATION:
        raise DomainError(
            _("Folkmängden ska vara ett heltal mellan 0 och %(max)s.") % {"max": "10 000 000"},
            field="population",
        )
    return int(number)


def _area_fields(
    actor: Actor, name: str, geometry: Any | None, population: Any, area: Area | None = None
) -> tuple[str, Any | None, int | None]:
    """A delområde's name, polygon (within the kommun) and population; an ``area`` changed
    without a polygon keeps its own (None)."""
    name = _clean_name(name, "name", _("Namn"))
    population = clean_population(population)
    if geometry is not None or area is None:
        geometry = geo.parse_polygon(geometry)
        geo.check_within_kommun(actor.partnership, geometry)
    return name, geometry, population


def create_area(
    actor: Actor,
    *,
    name: str,
    geometry: Any,
    population: int | None = None,
    is_demo: bool = False,
) -> Area:
    actor.require(SETUP_ROLES)
    name, geometry, population = _area_fields(actor, name, geometry, population)
    with transaction.atomic():
        _refuse_taken_name(actor, Area, name)
        area = audit.create(
            actor, Area, name=name, geometry=geometry, population=population, is_demo=is_demo
        )
        _areas_changed(actor.partnership)
    return area


def update_area(
    actor: Actor,
    area: Area,
    *,
    name: str,
    geometry: Any | None = None,
    population: int | None = None,
) -> Area:
    actor.require(SETUP_ROLES)
    _own(actor, area)
    name, geometry, population = _area_fields(actor, name, geometry, population, area)
    with transaction.atomic():
        _refuse_taken_name(actor, Area, name, area)
        with audit.change(actor, area):
            area.name = name
            area.population = population
            if geometry is not None:
                area.geometry = geometry
        _areas_changed(actor.partnership)
    return area


def delete_area(actor: Actor, area: Area) -> None:
    actor.require(SETUP_ROLES)
    _own(actor, area)
    with transaction.atomic():
        audit.delete(actor, area)
        _areas_changed(actor.partnership)


def import_areas(
    actor: Actor, data: Any, *, name_property: str = "name", is_demo: bool = False
) -> list[Area]:
    """Import delområden from a GeoJSON FeatureCollection: all features or none.

    A feature whose name matches an existing delområde replaces its geometry; importing
    the same file again changes nothing.
    """
    actor.require(SETUP_ROLES)
    data = geo.load_geojson(data)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DomainError(_("Filen måste vara en GeoJSON FeatureCollection."))
    features = data.get("features") or []
    if not isinstance(features, list):
        raise DomainError(_("”features” i filen måste vara en lista av områden (Feature)."))
    if not features:
        raise DomainError(_("Filen innehåller inga områden."))
    parsed: list[tuple[str, dict[str, Any], int | None]] = []
    seen: set[str] = set()
    for index, feature in enumerate(features, start=1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        name = (
            str(props.get(name_property) or props.get("namn") or "").strip()
            if isinstance(props, dict)
            else ""
        )
        try:
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise DomainError(_("är inget GeoJSON-objekt av typen Feature."))
            if not isinstance(props, dict):
                raise DomainError(_("”properties” måste vara ett objekt."))
            if not name:
                raise DomainError(_("saknar namn (egenskapen ”%(p)s”)") % {"p": name_property})
            name = _clean_name(name, "name", _("Namn"))
            if name.lower() in seen:
                raise DomainError(_("namnet %(n)s förekommer två gånger") % {"n": name})
            seen.add(name.lower())
            geometry = geo.parse_polygon(feature)
            geo.check_within_kommun(actor.partnership, geometry)
            population = clean_population(
                props["population"] if "population" in props else props.get("folkmangd")
            )
        except DomainError as exc:
            raise DomainError(
                _("Område %(i)d: %(msg)s Inget har sparats.") % {"i": index, "msg": exc.message},
                row=index,
            ) from exc
        parsed.append((name, geometry, population))
    saved: list[Area] = []
    with transaction.atomic():
        existing = {a.name.lower(): a for a in Area.objects.filter(partnership=actor.partnership)}
        for name, geometry, population in parsed:
            area = existing.get(name.lower())
            if area is None:
                area = audit.create(
                    actor,
                    Area,
                    name=name,
                    geometry=geometry,
                    population=population,
                    is_demo=is_demo,
                )
            elif area.geometry != geometry or (population and area.population != population):
                with audit.change(actor, area):
                    area.geometry = geometry
                    area.population = population or area.population
            saved.append(area)
        _areas_changed(actor.partnership)
    return saved


def _areas_changed(partnership: Partnership) -> None:
    """After a service call changed delområden: places and (through ``areas_changed``)
    reports are located anew, once for the whole call, not once per area."""
    geometry = geo.geometry_for(partnership)
    for place in Place.objects.filter(partnership=partnership):
        located = geometry.locate(place.lat, place.lon)
        if place.area_id != located.area_id:
            Place.objects.filter(pk=place.pk).update(area_id=located.area_id)
    areas_changed.send(sender=Area, partnership=partnership)


def _place_fields(
    actor: Actor, name: str, type: str, lat: float, lon: float
) -> tuple[str, geo.Located]:
    """A place's name, once its type is known, and where it lies (delområde and h3 cell)."""
    name = _clean_name(name, "name", _("Namn"))
    if type not in PlaceType.values:
        raise DomainError(_("Okänd platstyp."), field="type")
    return name, geo.locate_point(actor.partnership, float(lat), float(lon))


def create_place(
    actor: Actor, *, name: str, type: str, lat: float, lon: float, is_demo: bool = False
) -> Place:
    actor.require(SETUP_ROLES)
    name, located = _place_fields(actor, name, type, lat, lon)
    with transaction.atomic():
        _refuse_taken_name(actor, Place, name)
        place = audit.create(
            actor,
            Place,
            name=name,
            type=type,
            lat=lat,
            lon=lon,
            area_id=located.area_id,
            h3_cell=located.h3_cell,
            is_demo=is_demo,
        )
    return place


def update_place(
    actor: Actor, place: Place, *, name: str, type: str, lat: float, lon: float
) -> Place:
    actor.require(SETUP_ROLES)
    _own(actor, place)
    name, located = _place_fields(actor, name, type, lat, lon)
    with transaction.atomic():
        _refuse_taken_name(actor, Place, name, place)
        with audit.change(actor, place):
            place.name, place.type, place.lat, place.lon = name, type, lat, lon
            place.area_id, place.h3_cell = located.area_id, located.h3_cell
    return place


def delete_place(actor: Actor, place: Place) -> None:
    actor.require(SETUP_ROLES)
    _own(actor, place)
    audit.delete(actor, place)


# --- API tokens ----------------------------------------------------------------------------


def create_api_token(user: Any, *, name: str) -> tuple[ApiToken, str]:
    """A new token for integrations. The raw key is returned once and never stored."""
    name = _clean_name(name, "name", _("Namn"), limit=100)
    raw = "st_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], key_hash=_hash(raw))
        audit.record(user, AuditAction.CREATE, token, object_repr=f"{name} ({raw[:10]}…)")
    return token, raw


def revoke_api_token(user: Any, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
        if token is None:
            raise NotFound(_("Nyckeln finns inte eller är redan återkallad."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            user,
            AuditAction.UPDATE,
            token,
            object_repr=f"{token.name} ({token.prefix}…)",
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token


TOKEN_USE_PRECISION = dt.timedelta(minutes=1)


def user_for_token(raw: str) -> Any | None:
    """The active user of an unrevoked key, or None. What the key says is kept in the shared
    cache (``core.authcache``), so a request with a known key asks the database nothing."""
    key_hash = _hash(raw)
    name = f"key:{key_hash}"
    generation, known = authcache.get(name)
    if known is authcache.MISS:
        # No ordering: a key hash is unique, and an ORDER BY costs its compilation. The
        # password hash stays in the database, out of the cache.
        found = (
            ApiToken.objects.select_related("user")
            .defer("user__password")
            .filter(key_hash=key_hash, revoked_at__isnull=True)[:1]
        )
        token = next(iter(found), None)
        if token is None or not token.user.is_active:
            return None  # not kept: unknown keys would only fill the cache
        known = (token.pk, token.user, token.last_used_at)
        authcache.put(generation, name, known)
    token_id, user, last_used_at = known
    # When a key was last used, to the minute: not a database write per request.
    now = timezone.now()
    if last_used_at is None or now - last_used_at >= TOKEN_USE_PRECISION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        authcache.put(generation, name, (token_id, user, now))
    return user


# --- Users ---------------------------------------------------------------------------------


def create_admin(*, email: str, password: str, first_name: str = "", last_name: str = "") -> Any:
    """The first (system) administrator, for ``samtrygg createadmin``."""
    from django.contrib.auth.password_validation import validate_password

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Ange en giltig e-postadress.")) from exc
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_superuser=True,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages)) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit.record(None, AuditAction.CREATE, user, object_repr=email)
    except IntegrityError as exc:
        raise DomainError(
            _("Det finns redan en användare med e-postadressen %(e)s.") % {"e": email}
        ) from exc
    return user


def set_notification_preferences(user: Any, *, digest_opt_out: bool, reminder_opt_out: bool) -> Any:
    """A user's own choice of the weekly digest and report reminders."""
    with audit.change(user, user, only=["digest_opt_out", "reminder_opt_out"]):
        user.digest_opt_out = digest_opt_out
        user.reminder_opt_out = reminder_opt_out
    return user


def delete_expired_invitations(cutoff: dt.datetime) -> int:
    """Delete invitations never accepted that expired before ``cutoff`` (a scheduled job)."""
    expired = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)
    count = 0
    with transaction.atomic():
        for invitation in expired.select_related("partnership"):
            audit.delete(None, invitation, in_partnership=invitation.partnership)
            count += 1
    return count


def save_population(actor: Any, year: int, rows: dict[str, int]) -> tuple[int, int, int]:
    """Folkmängd per kommun code for one year, all or nothing: (created, updated, unchanged)."""
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {p.municipality_id: p for p in Population.objects.filter(year=year)}
        for code, population in rows.items():
            row = existing.get(code)
            if row is None:
                audit.create(
                    actor, Population, municipality_id=code, year=year, population=population
                )
                created += 1
            elif row.population != population:
                audit.update(actor, row, population=population)
                updated += 1
            else:
                unchanged += 1
    return created, updated, unchanged


def log_view(actor: Actor, instance: Any) -> None:
    """Log that a sensitive record was viewed (docs/domain.md, Roller)."""
    audit.note(actor, AuditAction.VIEW, instance)
