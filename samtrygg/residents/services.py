"""Every write of the residents app: tips (from the form, the API and Open311), the
samordnare's handling of them, claims and their fact answers, and the settings.

Every free text passes the privacy screen before anything is stored; a refusal is a
DomainError with a Swedish message that names the kind of identifier and where it is, never
the text. A tipster's e-mail address is never copied into the audit trail; it is deleted a
set time after the tip is closed (:func:`delete_expired_contacts`, nightly).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from shapely.geometry import shape

from samtrygg.core import audit, geo
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import AuditAction, Partnership, Place, Role
from samtrygg.core.permissions import COORDINATING_ROLES, Actor
from samtrygg.core.privacy import ensure_clean
from samtrygg.observations import services as observations
from samtrygg.observations.models import Category, Channel, LocationPrecision, Source
from samtrygg.residents import checks, queries
from samtrygg.residents.models import (
    AnswerVerdict,
    Claim,
    ClaimChannel,
    FactAnswer,
    PlaceKind,
    PublicCategory,
    ResidentSettings,
    Tip,
    TipChannel,
    TipStatus,
)

logger = logging.getLogger(__name__)

MAX_TIP_TEXT = 2000
MAX_EMAIL = 254  # the column's length
MAX_CLAIM_TEXT = 2000
MAX_ANSWER_TEXT = 6000
MAX_SOURCES_TEXT = 2000
# A tip may tell of something seen up to this many days back.
TIP_DAYS_BACK = 365
RESIDENT = "Invånare"  # who the audit trail names for an anonymous tip


def _screened(text: Any, field: str, limit: int, missing: str) -> str:
    value = str(text or "").strip()
    if not value:
        raise DomainError(missing, field=field)
    if len(value) > limit:
        raise DomainError(_("Texten får vara högst %(n)d tecken.") % {"n": limit}, field=field)
    if any(ord(char) < 32 and char not in "\n\r\t" for char in value):
        raise DomainError(_("Texten innehåller otillåtna tecken."), field=field)
    ensure_clean(value, field=field)
    return value


@dataclass
class _Input:
    """What a channel sent for a write, as the service takes it."""

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Self:
        """The input's fields in a form's or a request's data (which may hold more)."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


# --- Tips ------------------------------------------------------------------------------------


@dataclass
class TipInput(_Input):
    """A tip as a channel received it. ``category``: Category, slug or id. ``place``: a named
    place's id or name (``place_kind`` ``plats``); else ``lat``/``lon`` from the map or the
    device (``karta``/``position``)."""

    category: Any = None
    place_kind: str = ""
    place: Any = None
    lat: Any = None
    lon: Any = None
    description: Any = ""
    contact_email: Any = ""
    seen_on: Any = None


@dataclass
class _Errors:
    items: list[DomainError] = field(default_factory=list)

    def attempt(self, run: Any) -> Any:
        try:
            return run()
        except DomainError as exc:
            self.items.append(exc)
            return None


class InvalidTip(DomainError):
    """A tip with one or more refused fields; ``errors`` holds each, with its field."""

    def __init__(self, errors: list[DomainError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(" ".join(e.message for e in errors), field=first.field)


def _tip_category(partnership: Partnership, value: Any, channel: str) -> Category:
    services = (
        queries.open311_services(partnership)
        if channel == TipChannel.OPEN311
        else queries.public_services(partnership)
    )
    text = str(getattr(value, "pk", value) or "").strip()
    if not text:
        raise DomainError(_("Välj vad tipset gäller."), field="category")
    for service in services:
        if text in (str(service.category.pk), service.code):
            return service.category
    raise DomainError(
        _("Den kategorin tar samverkan inte emot tips om. Välj en av kategorierna i listan."),
        field="category",
    )


def _number(value: Any, name: str) -> float | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise DomainError(_("Koordinaten kan inte läsas."), field=name) from None


@dataclass(frozen=True)
class _Where:
    kind: str
    place: Place | None
    lat: float
    lon: float
    area_id: int | None


def _tip_place(partnership: Partnership, raw: TipInput) -> _Where:
    kind = str(raw.place_kind or "").strip()
    place_value = str(getattr(raw.place, "pk", raw.place) or "").strip()
    if not kind:
        kind = PlaceKind.PLACE if place_value else PlaceKind.MAP
    if kind not in PlaceKind.values:
        raise DomainError(_("Okänd platsangivelse."), field="place")
    if kind == PlaceKind.PLACE:
        found = None
        if place_value:
            for candidate in queries.public_places(partnership):
                if place_value in (str(candidate.pk), candidate.name):
                    found = candidate
                    break
        if found is None:
            raise DomainError(_("Välj en av platserna i listan."), field="place")
        return _Where(kind, found, found.lat, found.lon, found.area_id)
    lat, lon = _number(raw.lat, "lat"), _number(raw.lon, "lon")
    if lat is None or lon is None:
        raise DomainError(
            _("Peka ut platsen på kartan, använd din position eller välj en namngiven plats."),
            field="place",
        )
    located = geo.locate_point(partnership, lat, lon)
    return _Where(kind, None, lat, lon, located.area_id)


def _seen_on(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise DomainError(
                _("Datumet kan inte läsas. Skriv det som ÅÅÅÅ-MM-DD."), field="seen_on"
            ) from None
    today = timezone.localdate()
    if day > today:
        raise DomainError(_("Datumet ligger i framtiden."), field="seen_on")
    if day < today - dt.timedelta(days=TIP_DAYS_BACK):
        raise DomainError(_("Tips kan gälla det senaste året."), field="seen_on")
    return day


def _contact(value: Any) -> str:
    email = str(value or "").strip()
    if not email:
        return ""
    try:
        if len(email) > MAX_EMAIL:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise DomainError(
            _("E-postadressen ser inte ut som en e-postadress. Rätta den eller lämna fältet tomt."),
            field="contact_email",
        ) from None
    return email.lower()


def submit_tip(
    partnership: Partnership, raw: TipInput, *, channel: str = TipChannel.FORM, client_app: str = ""
) -> Tip:
    """Store a resident's tip (no login). Refuses with every invalid field named; the
    description is screened for identifiers and nothing of a refused text is kept."""
    errors = _Errors()
    category = errors.attempt(lambda: _tip_category(partnership, raw.category, channel))
    where = errors.attempt(lambda: _tip_place(partnership, raw))
    seen_on = errors.attempt(lambda: _seen_on(raw.seen_on))
    description = errors.attempt(
        lambda: _screened(
            raw.description,
            "description",
            MAX_TIP_TEXT,
            _("Beskriv platsen och vad som är fel eller känns otryggt."),
        )
    )
    email = errors.attempt(lambda: _contact(raw.contact_email))
    if errors.items:
        raise InvalidTip(errors.items)
    tip = Tip(
        partnership=partnership,
        category=category,
        seen_on=seen_on,
        place_kind=where.kind,
        place=where.place,
        lat=where.lat,
        lon=where.lon,
        area_id=where.area_id,
        description=description,
        contact_email=email or "",
        channel=channel,
        client_app=client_app[:100],
    )
    with transaction.atomic():
        tip.save()
        audit.record(
            RESIDENT,
            AuditAction.CREATE,
            tip,
            partnership=partnership,
            after={
                "category": category.pk,
                "place_kind": where.kind,
                "area": where.area_id,
                "channel": channel,
                "client_app": tip.client_app,
                "contact": bool(email),
            },
        )
    return tip


def _close(actor: Actor, tip: Tip, status: str, outcome: str, **values: Any) -> Tip:
    if tip.partnership_id != actor.partnership.pk:
        raise DomainError(_("Tipset finns inte."))
    if not tip.is_open:
        raise DomainError(_("Tipset är redan hanterat."))
    settings = queries.settings_of(actor.partnership)
    now = timezone.now()
    with audit.change(actor, tip):
        tip.status = status
        tip.outcome = outcome
        tip.handled_at = now
        tip.handled_by = actor.stored_user
        if tip.contact_email:
            tip.contact_delete_after = now + dt.timedelta(days=settings.contact_days)
        for name, value in values.items():
            setattr(tip, name, value)
    if tip.contact_email:
        address, text = tip.contact_email, _outcome_mail(tip)
        transaction.on_commit(lambda: _send(address, text))
    return tip


def _outcome_mail(tip: Tip) -> tuple[str, str]:
    with translation.override("sv"):
        kommun = tip.partnership.municipality.name
        subject = _("Ditt tips till %(kommun)s") % {"kommun": kommun}
        lines = [
            _("Tack för ditt tips om %(category)s som kom in %(date)s.")
            % {
                "category": tip.category.name.lower(),
                "date": timezone.localtime(tip.created_at).strftime("%Y-%m-%d"),
            },
            "",
            str(TipStatus(tip.status).label) + ": " + tip.outcome,
            "",
            _("Din e-postadress används bara för det här svaret och tas bort %(date)s.")
            % {"date": timezone.localtime(tip.contact_delete_after).strftime("%Y-%m-%d")}
            if tip.contact_delete_after
            else "",
            _("Pågående brott eller fara: ring 112. Anmäla brott: polisen.se eller 114 14."),
        ]
    return subject, "\n".join(lines)


def _send(address: str, mail: tuple[str, str]) -> None:
    subject, body = mail
    try:
        send_mail(subject, body, from_email=None, recipient_list=[address])
    except OSError:
        logger.warning("Svaret på ett tips kunde inte skickas (e-postservern svarade inte).")


def convert_tip(
    actor: Actor,
    tip: Tip,
    *,
    category: Any,
    occurred_on: Any,
    time_band: Any,
    assessment: Any,
    description: Any,
) -> Tip:
    """Make the tip an EST report (source ``boende``) placed at its delområde, through the
    observations services; the tip records the observation."""
    actor.require(COORDINATING_ROLES)
    area = tip.area
    if area is None:
        raise DomainError(
            _(
                "Tipset ligger utanför samverkans delområden och kan inte bli en rapport. "
                "Skicka det till felanmälan eller stäng det."
            )
        )
    point = shape(area.geometry).representative_point()
    incident = observations.IncidentInput(
        category=category,
        occurred_on=occurred_on,
        time_band=time_band,
        lat=point.y,
        lon=point.x,
        location_precision=LocationPrecision.AREA,
        description=description,
        assessment=assessment,
        source=Source.RESIDENTS,
    )
    with transaction.atomic():
        result = observations.submit_report(
            actor, [incident], organisation=actor.organisation_id, channel=Channel.TIP
        )
        observation = result.observations[0]
        outcome = _(
            "Tipset har blivit en rapport i samverkans lägesbild för %(area)s. "
            "Det räknas med när lägesbilden tas fram."
        ) % {"area": area.name}
        return _close(actor, tip, TipStatus.CONVERTED, outcome, observation=observation)


def forward_tip(actor: Actor, tip: Tip, *, note: str = "") -> Tip:
    """Send the tip to the kommun's felanmälan (the partnership's target) and record it."""
    actor.require(COORDINATING_ROLES)
    settings = queries.settings_of(actor.partnership)
    if not settings.fault_report_email:
        raise DomainError(
            _("Ange felanmälans e-postadress under inställningarna för tips först."),
            field="note",
        )
    note = str(note or "").strip()
    if note:
        note = _screened(note, "note", MAX_TIP_TEXT, "")
    target = settings.fault_report_name or settings.fault_report_email
    outcome = _("Tipset har skickats till %(target)s, som åtgärdar fel i den fysiska miljön.") % {
        "target": target
    }
    with transaction.atomic():
        closed = _close(
            actor,
            tip,
            TipStatus.FORWARDED,
            outcome,
            forwarded_to=f"{target} <{settings.fault_report_email}>"[:300],
        )
        mail = _fault_report_mail(tip, note)
        address = settings.fault_report_email
        transaction.on_commit(lambda: _send(address, mail))
    return closed


def _fault_report_mail(tip: Tip, note: str) -> tuple[str, str]:
    with translation.override("sv"):
        subject = _("Felanmälan från invånartips %(id)s: %(category)s") % {
            "id": tip.pk,
            "category": tip.category.name,
        }
        place = tip.place.name if tip.place else f"{tip.lat:.5f}, {tip.lon:.5f}"
        lines = [
            _("Kategori: %(v)s") % {"v": tip.category.name},
            _("Plats: %(v)s") % {"v": place},
            _("Delområde: %(v)s") % {"v": tip.area.name if tip.area else _("utanför delområden")},
            _("Karta: https://www.openstreetmap.org/?mlat=%(lat).5f&mlon=%(lon).5f")
            % {"lat": tip.lat, "lon": tip.lon},
            _("Inkom: %(v)s")
            % {"v": timezone.localtime(tip.created_at).strftime("%Y-%m-%d %H:%M")},
            "",
            tip.description,
        ]
        if note:
            lines += ["", _("Samordnarens anteckning: %(v)s") % {"v": note}]
    return subject, "\n".join(lines)


def close_tip(actor: Actor, tip: Tip, *, reason: Any) -> Tip:
    """Close a tip with a reason (shown to a tipster who left an e-mail address)."""
    actor.require(COORDINATING_ROLES)
    text = _screened(reason, "reason", MAX_TIP_TEXT, _("Skriv varför tipset stängs."))
    with transaction.atomic():
        return _close(actor, tip, TipStatus.CLOSED, text)


def delete_expired_contacts(now: dt.datetime | None = None) -> int:
    """Remove the e-mail addresses whose time is up (the nightly job); returns how many."""
    moment = now or timezone.now()
    due = list(Tip.objects.filter(contact_delete_after__lte=moment).exclude(contact_email=""))
    for tip in due:
        with transaction.atomic():
            tip.contact_email = ""
            tip.save(update_fields=["contact_email"])
            audit.record(
                None,
                AuditAction.UPDATE,
                tip,
                partnership=tip.partnership,
                before={"contact": True},
                after={"contact": False},
            )
    return len(due)


# --- Settings ---------------------------------------------------------------------------------


def update_settings(
    actor: Actor, *, fault_report_name: Any, fault_report_email: Any, contact_days: Any
) -> ResidentSettings:
    actor.require(frozenset({Role.SAMORDNARE}))
    name = str(fault_report_name or "").strip()
    if len(name) > 200:
        raise DomainError(_("Namnet får vara högst 200 tecken."), field="fault_report_name")
    email = str(fault_report_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                _("Ange en giltig e-postadress till felanmälan."), field="fault_report_email"
            ) from None
    try:
        days = int(str(contact_days).strip())
    except ValueError:
        raise DomainError(_("Ange antal dagar som ett heltal."), field="contact_days") from None
    if not 1 <= days <= 365:
        raise DomainError(_("Ange mellan 1 och 365 dagar."), field="contact_days")
    found = ResidentSettings.objects.filter(partnership=actor.partnership).first()
    if found is None:
        return audit.create(
            actor,
            ResidentSettings,
            fault_report_name=name,
            fault_report_email=email,
            contact_days=days,
        )
    return audit.update(
        actor, found, fault_report_name=name, fault_report_email=email, contact_days=days
    )


def set_public_category(
    actor: Actor,
    category: Category,
    *,
    is_public: bool,
    open311: bool,
    description: str = "",
    group: str = "",
    keywords: str = "",
) -> PublicCategory:
    """Whether residents may tip about ``category`` and whether Open311 serves it."""
    actor.require(frozenset({Role.SAMORDNARE}))
    if category.partnership_id != actor.partnership.pk:
        raise DomainError(_("Okänd kategori."), field="category")
    if open311 and not is_public:
        raise DomainError(
            _("En kategori som tas emot via Open311 måste också kunna väljas i tips."),
            field="open311",
        )
    values: dict[str, Any] = {
        "is_public": bool(is_public),
        "open311": bool(open311),
        "description": str(description or "").strip()[:300],
        "group": str(group or "").strip()[:100],
        "keywords": str(keywords or "").strip()[:200],
    }
    for name in ("description", "group", "keywords"):
        if values[name]:
            ensure_clean(str(values[name]), field=name)
    found = PublicCategory.objects.filter(category=category).first()
    if found is None:
        return audit.create(actor, PublicCategory, category=category, **values)
    return audit.update(actor, found, **values)


# --- Claims and fact answers ------------------------------------------------------------------


@dataclass
class ClaimInput(_Input):
    channel: Any = ""
    seen_on: Any = None
    area: Any = None
    period: Any = ""
    categories: list[Any] = field(default_factory=list)
    wording: Any = ""


def _claim_values(actor: Actor, raw: ClaimInput) -> dict[str, Any]:
    errors = _Errors()
    channel = str(raw.channel or "").strip()
    if channel not in ClaimChannel.values:
        errors.items.append(DomainError(_("Välj var påståendet sågs."), field="channel"))
    seen = errors.attempt(lambda: _claim_date(raw.seen_on))
    area = errors.attempt(lambda: _claim_area(actor, raw.area))
    period_text = str(raw.period or "").strip().upper().replace("W", "-W").replace("--", "-")
    try:
        checks.period_of(period_text)
    except ValueError:
        errors.items.append(
            DomainError(
                _("Perioden kan inte läsas. Skriv t.ex. 2025-W47, 2025-11, 2025-T3 eller 2025."),
                field="period",
            )
        )
    category_list = errors.attempt(lambda: _claim_categories(actor, raw.categories))
    wording = errors.attempt(
        lambda: _screened(
            raw.wording, "wording", MAX_CLAIM_TEXT, _("Skriv påståendet som det sades, utan namn.")
        )
    )
    if errors.items:
        raise InvalidTip(errors.items)
    return {
        "channel": channel,
        "seen_on": seen,
        "area": area,
        "period": period_text,
        "categories": category_list,
        "wording": wording,
    }


def _claim_date(value: Any) -> dt.date:
    if value in (None, ""):
        raise DomainError(_("Ange när påståendet sågs."), field="seen_on")
    day = _seen_on(value)
    assert day is not None
    return day


def _claim_area(actor: Actor, value: Any) -> Any:
    text = str(getattr(value, "pk", value) or "").strip()
    if not text:
        return None
    for area in queries.areas_of(actor.partnership):
        if text == str(area.pk):
            return area
    raise DomainError(_("Okänt delområde."), field="area")


def _claim_categories(actor: Actor, values: list[Any]) -> list[Category]:
    known = {str(c.pk): c for c in queries.categories_of(actor.partnership)}
    chosen = []
    for value in values or []:
        key = str(getattr(value, "pk", value)).strip()
        if key not in known:
            raise DomainError(_("Okänd kategori."), field="categories")
        chosen.append(known[key])
    if not chosen:
        raise DomainError(
            _("Välj minst en kategori som påståendet handlar om."), field="categories"
        )
    return chosen


def record_claim(actor: Actor, raw: ClaimInput) -> Claim:
    """Record a claim as seen and propose its data check."""
    actor.require(COORDINATING_ROLES)
    values = _claim_values(actor, raw)
    category_list = values.pop("categories")
    check = checks.data_check(
        actor.partnership, values["area"], values["period"], [c.pk for c in category_list]
    )
    with transaction.atomic():
        claim = Claim(
            partnership=actor.partnership,
            created_by=actor.stored_user,
            data_check=check,
            checked_at=timezone.now(),
            **values,
        )
        claim.save()
        claim.categories.set(category_list)
        audit.record(
            actor.user,
            AuditAction.CREATE,
            claim,
            partnership=actor.partnership,
            after=audit.snapshot(claim) | {"categories": [c.pk for c in category_list]},
        )
    return claim


def recheck_claim(actor: Actor, claim: Claim) -> Claim:
    """Run the data check again (new records since it was recorded)."""
    actor.require(COORDINATING_ROLES)
    check = checks.data_check(
        actor.partnership,
        claim.area,
        claim.period,
        list(claim.categories.values_list("pk", flat=True)),
    )
    return audit.update(actor, claim, data_check=check, checked_at=timezone.now())


def write_answer(
    actor: Actor, claim: Claim, *, verdict: Any, text: Any, sources: Any
) -> FactAnswer:
    """A new version of the answer, written by a samordnare; it waits for approval."""
    actor.require(frozenset({Role.SAMORDNARE}))
    errors = _Errors()
    verdict_value = str(verdict or "").strip()
    if verdict_value not in AnswerVerdict.values:
        errors.items.append(
            DomainError(
                _("Välj svaret: stämmer, stämmer delvis, stämmer inte eller kan inte bedömas."),
                field="verdict",
            )
        )
    body = errors.attempt(
        lambda: _screened(
            text, "text", MAX_ANSWER_TEXT, _("Skriv faktasvaret: sakligt, opartiskt, utan namn.")
        )
    )
    source_text = errors.attempt(
        lambda: _screened(
            sources, "sources", MAX_SOURCES_TEXT, _("Ange källorna som svaret bygger på.")
        )
    )
    if errors.items:
        raise InvalidTip(errors.items)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().get(pk=claim.pk)
        version = queries.newest_version(locked) + 1
        return audit.create(
            actor,
            FactAnswer,
            claim=locked,
            version=version,
            verdict=verdict_value,
            text=body,
            sources=source_text,
            data_check=claim.data_check,
            uses_police_data=int(claim.data_check.get("police_events") or 0) > 0,
            written_by=actor.stored_user,
        )


def approve_answer(actor: Actor, answer: FactAnswer) -> FactAnswer:
    """The second person's approval publishes the version (the kommunpolis when the answer
    uses police data)."""
    actor.require(COORDINATING_ROLES)
    if answer.approved_at is not None:
        raise DomainError(_("Den här versionen är redan godkänd."))
    me = getattr(actor.user, "pk", None)
    if me is not None and me == answer.written_by_id:
        raise PermissionDenied(_("Någon annan än den som skrev svaret ska godkänna det."))
    if answer.uses_police_data and Role.KOMMUNPOLIS not in actor.roles:
        raise PermissionDenied(_("Svaret bygger på polisens data och godkänns av kommunpolisen."))
    claim = answer.claim
    if queries.newest_version(claim) != answer.version:
        raise DomainError(_("Det finns en nyare version av svaret; godkänn den i stället."))
    now = timezone.now()
    with transaction.atomic():
        approved = audit.update(actor, answer, approved_by=actor.user, approved_at=now)
        if claim.published_at is None:
            audit.update(actor, claim, published_at=now)
    return approved
