"""Every write to meetings, actions and safety walks: validation, one transaction, audit.

A refusal is a DomainError with a Swedish message, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samtrygg.actions import photos
from samtrygg.actions.models import (
    Action,
    ActionStatus,
    ActionType,
    Attendance,
    Decision,
    EffectCategories,
    FindingType,
    Meeting,
    MeetingType,
    SafetyWalk,
    WalkFinding,
    WalkLight,
    WalkStatus,
)
from samtrygg.actions.permissions import PLAN_ROLES, can_update_progress
from samtrygg.core import audit, geo
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import Area, AuditAction, Organisation, Place
from samtrygg.core.permissions import Actor
from samtrygg.core.permissions import require_own as _own
from samtrygg.core.services import clean_date, clean_text, own_record

MAX_TEXT = 5000
# An end date further back than this is almost always a mistyped year (2020 for 2026): refused.
# Closer past dates are allowed, so that work done last week or last year can be logged.
MAX_YEARS_BACK = 2
# Likewise an end date further ahead (2206 for 2026); an action runs for weeks or months.
MAX_YEARS_AHEAD = 5


def _text(
    value: str | None, field: str, label: str, *, required: bool = False, limit: int = MAX_TEXT
) -> str:
    return clean_text(value, field=field, label=label, required=required, limit=limit)


def _organisation(actor: Actor, org: Organisation | int | None, field: str) -> Organisation:
    if org is None:
        raise DomainError(_("Välj en ansvarig organisation."), field=field)
    message = _("Organisationen finns inte i den här samverkan.")
    return own_record(actor, Organisation, org, message, field)


def _area(actor: Actor, area: Area | int | None) -> Area | None:
    if area is None:
        return None
    message = _("Delområdet finns inte i den här samverkan.")
    return own_record(actor, Area, area, message, "area")


def _place(actor: Actor, place: Place | int | None) -> Place | None:
    if place is None:
        return None
    return own_record(actor, Place, place, _("Platsen finns inte i den här samverkan."), "place")


def _date(value: dt.date | str | None, field: str, label: str) -> dt.date:
    # The weeks around the date must exist in the calendar.
    return clean_date(value, field=field, label=label, first_year=1900, last_year=2999)


def _count(value: Any, field: str, label: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(
            _("%(label)s ska vara ett heltal.") % {"label": label}, field=field
        ) from exc
    if not 0 <= number <= 10_000:
        raise DomainError(
            _("%(label)s ska vara mellan 0 och 10 000.") % {"label": label}, field=field
        )
    return number


# --- Actions -----------------------------------------------------------------------------


@dataclass
class ActionSpec:
    """What is needed to create an action (used by a decision that creates several)."""

    title: str
    type: str
    owner: Organisation | int | None
    start_date: dt.date | str | None
    end_date: dt.date | str | None
    planned_count: int = 1
    area: Area | int | None = None
    place: Place | int | None = None
    description: str = ""
    not_for_publication: bool = False


def _years_from(today: dt.date | None, years: int) -> dt.date:
    """The same day ``years`` years from ``today`` (28 February for 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def earliest_end_date(today: dt.date | None = None) -> dt.date:
    """The earliest end date a new (or re-dated) action may have: MAX_YEARS_BACK years ago."""
    return _years_from(today, -MAX_YEARS_BACK)


def latest_end_date(today: dt.date | None = None) -> dt.date:
    """The latest end date a new (or re-dated) action may have: MAX_YEARS_AHEAD years ahead."""
    return _years_from(today, MAX_YEARS_AHEAD)


def action_title(value: str | None) -> str:
    """An action's title, checked alone (the page form checks it before the rest)."""
    return _text(value, "title", _("Rubrik"), required=True, limit=200)


def action_date(value: dt.date | str | None, field: str) -> dt.date:
    """An action's start or end date (``start_date``, ``end_date``), checked alone."""
    label = _("Startdatum") if field == "start_date" else _("Slutdatum")
    return _date(value, field, label)


def action_period(start: dt.date, end: dt.date) -> None:
    """An action ends on or after the day it starts."""
    if end < start:
        raise DomainError(_("Slutdatum kan inte ligga före startdatum."), field="end_date")


def planned_count(value: Any) -> int:
    """How many times an action is planned to be done, checked alone."""
    try:
        below_one = int(value) < 1  # also a negative count: "at least 1" says what to type
    except (TypeError, ValueError):
        below_one = False
    planned = 0 if below_one else _count(value, "planned_count", _("Planerat antal"))
    if planned < 1:
        raise DomainError(_("Planerat antal ska vara minst 1."), field="planned_count")
    return planned


def action_description(value: str | None) -> str:
    """An action's description, checked alone (length and the privacy screen)."""
    return _text(value, "description", _("Beskrivning"))


def _validated(
    actor: Actor, spec: ActionSpec, *, previous_end: dt.date | None = None
) -> dict[str, Any]:
    """The checked fields of an action. ``previous_end``: the stored end date of an action
    being edited, which stays allowed however old it is."""
    title = action_title(spec.title)
    if spec.type not in ActionType.values:
        raise DomainError(_("Välj en typ av insats."), field="type")
    start = action_date(spec.start_date, "start_date")
    end = action_date(spec.end_date, "end_date")
    # The year checks first: a form without a start date (a decision, a finding) starts the
    # action today, and "before the start date" would hide the mistyped year.
    earliest = earliest_end_date()
    if end < earliest and end != previous_end:
        raise DomainError(
            _(
                "Slutdatum får inte ligga mer än %(years)d år bakåt i tiden (tidigast "
                "%(date)s). Kontrollera årtalet."
            )
            % {"years": MAX_YEARS_BACK, "date": earliest.isoformat()},
            field="end_date",
        )
    latest = latest_end_date()
    if end > latest and end != previous_end:
        raise DomainError(
            _(
                "Slutdatum får inte ligga mer än %(years)d år framåt i tiden (senast "
                "%(date)s). Kontrollera årtalet."
            )
            % {"years": MAX_YEARS_AHEAD, "date": latest.isoformat()},
            field="end_date",
        )
    action_period(start, end)
    planned = planned_count(spec.planned_count)
    place = _place(actor, spec.place)
    area = _area(actor, spec.area)
    if area is None and place is not None:
        area = place.area
    return {
        "title": title,
        "type": spec.type,
        "description": action_description(spec.description),
        "owner": _organisation(actor, spec.owner, "owner"),
        "start_date": start,
        "end_date": end,
        "planned_count": planned,
        "area": area,
        "place": place,
        "not_for_publication": bool(spec.not_for_publication),
    }


def create_action(
    actor: Actor, spec: ActionSpec, *, decision: Decision | None = None, is_demo: bool = False
) -> Action:
    actor.require(PLAN_ROLES)
    fields = _validated(actor, spec)
    with transaction.atomic():
        item = audit.create(
            actor,
            Action,
            decision=decision,
            is_demo=is_demo,
            created_by=actor.stored_user,
            **fields,
        )
    return item


def update_action(actor: Actor, item: Action, spec: ActionSpec) -> Action:
    actor.require(PLAN_ROLES)
    _own(actor, item)
    fields = _validated(actor, spec, previous_end=item.end_date)
    with audit.change(actor, item):
        for key, value in fields.items():
            setattr(item, key, value)
    return item


def record_progress(
    actor: Actor,
    item: Action,
    *,
    status: str,
    done_count: int | str,
    outcome: str = "",
) -> Action:
    """The owner organisation (or a coordinator) reports status, count done and outcome."""
    _own(actor, item)
    if not can_update_progress(actor, item):
        raise PermissionDenied(_("Bara den ansvariga organisationen kan rapportera insatsen."))
    if status not in ActionStatus.values:
        raise DomainError(_("Okänd status."), field="status")
    done = _count(done_count, "done_count", _("Genomförda tillfällen"))
    outcome = _text(outcome, "outcome", _("Resultat"))
    if status == ActionStatus.GENOMFORD and done == 0:
        done = item.planned_count
    with audit.change(actor, item):
        item.status, item.done_count, item.outcome = status, done, outcome
        if status == ActionStatus.GENOMFORD and item.completed_at is None:
            item.completed_at = timezone.now()
        elif status != ActionStatus.GENOMFORD:
            item.completed_at = None
    return item


def delete_action(actor: Actor, item: Action) -> None:
    actor.require(PLAN_ROLES)
    _own(actor, item)
    audit.delete(actor, item)


def link_observations(actor: Actor, item: Action, observation_ids: list[int]) -> Action:
    """Link reports (observations) of the partnership to an action, for feedback to reporters."""
    from samtrygg.observations.models import Observation

    actor.require(PLAN_ROLES)
    _own(actor, item)
    wanted = {int(pk) for pk in observation_ids}
    found = set(
        Observation.objects.filter(partnership=actor.partnership, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if found != wanted:
        raise DomainError(
            _("Händelsen finns inte i den här samverkan: %(ids)s.")
            % {"ids": ", ".join(str(i) for i in sorted(wanted - found))},
            field="observations",
        )
    return _change_links(actor, item, lambda: item.observations.add(*found))


def unlink_observation(actor: Actor, item: Action, observation_id: int) -> Action:
    actor.require(PLAN_ROLES)
    _own(actor, item)
    return _change_links(actor, item, lambda: item.observations.remove(int(observation_id)))


def _change_links(actor: Actor, item: Action, change: Callable[[], object]) -> Action:
    """Change which reports are linked to an action, with the linked ids before and after
    in the audit entry."""
    with transaction.atomic():
        before = sorted(item.observations.values_list("pk", flat=True))
        change()
        after = sorted(item.observations.values_list("pk", flat=True))
        audit.note(
            actor,
            AuditAction.UPDATE,
            item,
            before={"observations": before},
            after={"observations": after},
        )
    return item


# --- Meetings ----------------------------------------------------------------------------


def _stored_agenda(actor: Actor, day: dt.date) -> Any:
    """The generated agenda in the site's language (Swedish): it is stored with the meeting
    and read by everyone, whatever language the coordinator who made it was using."""
    from samtrygg.actions.agenda import build_agenda

    with translation.override(settings.LANGUAGE_CODE):
        return build_agenda(actor, day)


def create_meeting(
    actor: Actor,
    *,
    title: str = "",
    held_on: dt.date | str | None,
    type: str = MeetingType.EST,
    location: str = "",
) -> Meeting:
    """A new meeting with its agenda generated from the week's picture and open actions."""
    actor.require(PLAN_ROLES)
    if type not in MeetingType.values:
        raise DomainError(_("Okänd mötestyp."), field="type")
    day = _date(held_on, "held_on", _("Datum"))
    year, week, _wd = day.isocalendar()
    title = _text(title, "title", _("Rubrik"), limit=200)
    if not title:  # stored, so in the site's language like the agenda
        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(type)s vecka %(week)d %(year)d") % {
                "type": MeetingType(type).label,
                "week": week,
                "year": year,
            }
    location = _text(location, "location", _("Plats"), limit=200)

    agenda = _stored_agenda(actor, day)
    with transaction.atomic():
        meeting = audit.create(
            actor,
            Meeting,
            type=type,
            title=title,
            held_on=day,
            location=location,
            agenda=agenda,
            created_by=actor.stored_user,
        )
    return meeting


def regenerate_agenda(actor: Actor, meeting: Meeting) -> Meeting:
    actor.require(PLAN_ROLES)
    _own(actor, meeting)

    agenda = _stored_agenda(actor, meeting.held_on)
    with audit.change(actor, meeting, only=["agenda"]):
        meeting.agenda = agenda
    return meeting


def set_attendance(actor: Actor, meeting: Meeting, people_by_org: dict[int, int]) -> Meeting:
    """Replace the meeting's attendance: organisation id -> number of people (0 = absent)."""
    actor.require(PLAN_ROLES)
    _own(actor, meeting)
    wanted: dict[int, int] = {}
    for org_id, people in people_by_org.items():
        count = _count(people, "attendance", _("Antal deltagare"))
        if count:
            wanted[_organisation(actor, int(org_id), "attendance").pk] = count
    with transaction.atomic():
        before = {
            "attendance": {str(a.organisation_id): a.people for a in meeting.attendances.all()}
        }
        meeting.attendances.exclude(organisation_id__in=wanted).delete()
        for org_id, people in wanted.items():
            Attendance.objects.update_or_create(
                meeting=meeting, organisation_id=org_id, defaults={"people": people}
            )
        audit.note(
            actor,
            AuditAction.UPDATE,
            meeting,
            before=before,
            after={"attendance": {str(k): v for k, v in wanted.items()}},
        )
    return meeting


def update_notes(actor: Actor, meeting: Meeting, notes: str) -> Meeting:
    actor.require(PLAN_ROLES)
    _own(actor, meeting)
    notes = _text(notes, "notes", _("Anteckningar"), limit=20_000)
    with audit.change(actor, meeting):
        meeting.notes = notes
    return meeting


def add_decision(
    actor: Actor, meeting: Meeting, *, text: str, actions: list[ActionSpec]
) -> Decision:
    """A decision of the meeting and the action(s) it creates, all or nothing."""
    actor.require(PLAN_ROLES)
    _own(actor, meeting)
    text = _text(text, "text", _("Beslut"), required=True)
    if not actions:
        raise DomainError(_("Ett beslut ska skapa minst en insats."), field="actions")
    validated = []
    for index, spec in enumerate(actions, start=1):
        try:
            validated.append(_validated(actor, spec))
        except DomainError as exc:
            raise DomainError(
                _("Insats %(n)d: %(m)s") % {"n": index, "m": exc.message},
                field=exc.field,
                row=index,
            ) from exc
    with transaction.atomic():
        number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
        decision = Decision.objects.create(meeting=meeting, number=number, text=text)
        audit.note(
            actor,
            AuditAction.CREATE,
            decision,
            after={"meeting": meeting.pk, "number": number, "text": text},
        )
        for fields in validated:
            audit.create(
                actor,
                Action,
                decision=decision,
                created_by=actor.stored_user,
                **fields,
            )
    return decision


# --- Safety walks ------------------------------------------------------------------------


def _route(actor: Actor, route: Any) -> dict[str, Any] | None:
    import json

    if route in (None, "", {}):
        return None
    if isinstance(route, str | bytes):
        try:
            route = json.loads(route)
        except ValueError as exc:
            raise DomainError(_("Sträckan kunde inte läsas."), field="route") from exc
    if isinstance(route, dict) and route.get("type") == "Feature":
        route = route.get("geometry") or {}
    if not isinstance(route, dict) or route.get("type") != "LineString":
        raise DomainError(_("Rita sträckan som en linje på kartan."), field="route")
    coords = route.get("coordinates") or []
    try:
        points = [(float(c[0]), float(c[1])) for c in coords]
    except (TypeError, ValueError, IndexError) as exc:
        raise DomainError(_("Sträckans koordinater är ofullständiga."), field="route") from exc
    if len(points) < 2:
        raise DomainError(_("Sträckan behöver minst två punkter."), field="route")
    if len(points) > 2000:
        raise DomainError(_("Sträckan har för många punkter (högst 2 000)."), field="route")
    geometry = geo.geometry_for(actor.partnership)
    for lon, lat in points:
        try:
            geometry.locate(lat, lon)
        except DomainError as exc:
            raise DomainError(exc.message, field="route") from exc
    return {"type": "LineString", "coordinates": [[round(x, 6), round(y, 6)] for x, y in points]}


# The years a safety walk can be planned in: the work is recent or near.
WALK_YEARS = (2000, 2100)


def _when(value: dt.datetime | str | None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat((value or "").strip())
        except ValueError as exc:
            raise DomainError(
                _("Ange dag och tid för vandringen (ÅÅÅÅ-MM-DD TT:MM)."), field="planned_for"
            ) from exc
    if not WALK_YEARS[0] <= moment.year <= WALK_YEARS[1]:
        raise DomainError(
            _("Ange ett datum mellan år %(first)s och %(last)s.")
            % {"first": WALK_YEARS[0], "last": WALK_YEARS[1]},
            field="planned_for",
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # Stored in UTC: an offset such as -20:28 is valid ISO 8601 but beyond what PostgreSQL's
    # timestamptz accepts as a displacement.
    return moment.astimezone(dt.UTC)


def _walk_fields(
    actor: Actor,
    *,
    title: str,
    planned_for: dt.datetime | str | None,
    light: str,
    route: Any,
    invited: list[int] | None,
    residents: int | str,
    area: Area | int | None,
) -> tuple[dict[str, Any], list[Organisation]]:
    if light not in WalkLight.values:
        raise DomainError(_("Välj dagsljus eller mörker."), field="light")
    orgs = [_organisation(actor, int(pk), "invited") for pk in (invited or [])]
    return (
        {
            "title": _text(title, "title", _("Rubrik"), required=True, limit=200),
            "planned_for": _when(planned_for),
            "light": light,
            "route": _route(actor, route),
            "residents": _count(residents or 0, "residents", _("Antal boende")),
            "area": _area(actor, area),
        },
        orgs,
    )


def _walk_snapshot(walk: SafetyWalk, invited: Iterable[Organisation]) -> dict[str, Any]:
    """What the audit trail keeps of a walk: its fields and whom it invites."""
    return {**audit.snapshot(walk), "invited": sorted(o.pk for o in invited)}


def _invite(
    actor: Actor,
    action: str,
    walk: SafetyWalk,
    orgs: list[Organisation],
    *,
    before: dict[str, Any] | None = None,
) -> None:
    """Set whom a saved walk invites and note the write; the entry keeps whom it invites, so it
    is written once they are set."""
    walk.invited.set(orgs)
    audit.note(actor, action, walk, before=before, after=_walk_snapshot(walk, orgs))


def create_walk(
    actor: Actor,
    *,
    title: str,
    planned_for: dt.datetime | str | None,
    light: str = WalkLight.MORKER,
    route: Any = None,
    invited: list[int] | None = None,
    residents: int | str = 0,
    area: Area | int | None = None,
    is_demo: bool = False,
) -> SafetyWalk:
    actor.require(PLAN_ROLES)
    fields, orgs = _walk_fields(
        actor,
        title=title,
        planned_for=planned_for,
        light=light,
        route=route,
        invited=invited,
        residents=residents,
        area=area,
    )
    with transaction.atomic():
        walk = SafetyWalk.objects.create(
            partnership=actor.partnership,
            is_demo=is_demo,
            created_by=actor.stored_user,
            **fields,
        )
        _invite(actor, AuditAction.CREATE, walk, orgs)
    return walk


def update_walk(
    actor: Actor,
    walk: SafetyWalk,
    *,
    title: str,
    planned_for: dt.datetime | str | None,
    light: str,
    route: Any,
    invited: list[int] | None,
    residents: int | str,
    area: Area | int | None,
    status: str | None = None,
    summary: str | None = None,
) -> SafetyWalk:
    actor.require(PLAN_ROLES)
    _own(actor, walk)
    fields, orgs = _walk_fields(
        actor,
        title=title,
        planned_for=planned_for,
        light=light,
        route=route if route not in (None, "") else walk.route,
        invited=invited,
        residents=residents,
        area=area,
    )
    if status is not None:
        if status not in WalkStatus.values:
            raise DomainError(_("Okänd status."), field="status")
        if status != WalkStatus.PLANERAD and fields["planned_for"] > timezone.now():
            raise DomainError(
                _(
                    "Vandringen är planerad till %(when)s och kan inte vara genomförd än. "
                    "Ändra datumet om den gick en annan dag."
                )
                % {"when": timezone.localtime(fields["planned_for"]).strftime("%Y-%m-%d %H:%M")},
                field="status",
            )
        fields["status"] = status
    if summary is not None:
        fields["summary"] = _text(summary, "summary", _("Sammanfattning"), limit=20_000)
    with transaction.atomic():
        before = _walk_snapshot(walk, walk.invited.all())
        for key, value in fields.items():
            setattr(walk, key, value)
        walk.save()
        _invite(actor, AuditAction.UPDATE, walk, orgs, before=before)
    return walk


def add_finding(
    actor: Actor,
    walk: SafetyWalk,
    *,
    type: str,
    lat: float | str,
    lon: float | str,
    description: str = "",
    proposal: str = "",
    responsible: Organisation | int | None = None,
    photo: bytes | None = None,
) -> WalkFinding:
    """A finding at a point; the photo (if any) is stored stripped of all metadata."""
    actor.require(PLAN_ROLES)
    _own(actor, walk)
    if type not in FindingType.values:
        raise DomainError(_("Välj vad ni hittade."), field="type")
    try:
        lat_f, lon_f = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
    except ValueError as exc:
        raise DomainError(_("Välj en punkt på kartan."), field="lat") from exc
    located = geo.locate_point(actor.partnership, lat_f, lon_f)
    description = _text(description, "description", _("Beskrivning"))
    proposal = _text(proposal, "proposal", _("Förslag"))
    org = _organisation(actor, responsible, "responsible") if responsible else None
    cleaned = photos.clean_photo(photo) if photo else None
    stored = photos.store_photo(actor.partnership.pk, cleaned) if cleaned else ""
    try:
        with transaction.atomic():
            finding = audit.create(
                actor,
                WalkFinding,
                walk=walk,
                type=type,
                lat=lat_f,
                lon=lon_f,
                area_id=located.area_id,
                h3_cell=located.h3_cell,
                description=description,
                proposal=proposal,
                responsible=org,
                photo=stored,
            )
    except Exception:
        photos.delete_photo(stored)
        raise
    return finding


def finding_to_action(
    actor: Actor,
    finding: WalkFinding,
    *,
    end_date: dt.date | str | None,
    type: str = ActionType.FYSISK_ATGARD,
    owner: Organisation | int | None = None,
    title: str = "",
) -> Action:
    """Turn a finding into an action owned by the responsible organisation."""
    actor.require(PLAN_ROLES)
    _own(actor, finding.walk)
    if finding.action_id:
        raise DomainError(_("Fyndet har redan blivit en insats."))
    spec = ActionSpec(
        title=title
        or f"{finding.get_type_display()}: {finding.proposal or finding.walk.title}"[:200],
        type=type,
        owner=owner or finding.responsible_id,
        start_date=timezone.localdate(),
        end_date=end_date,
        area=finding.area_id,
        description=finding.proposal or finding.description,
    )
    fields = _validated(actor, spec)
    with transaction.atomic():
        item = audit.create(
            actor,
            Action,
            created_by=actor.stored_user,
            **fields,
        )
        finding.action = item
        finding.save(update_fields=["action"])
        audit.note(
            actor, AuditAction.UPDATE, finding, before={"action": None}, after={"action": item.pk}
        )
    return item


def delete_finding(actor: Actor, finding: WalkFinding) -> None:
    actor.require(PLAN_ROLES)
    _own(actor, finding.walk)
    with transaction.atomic():
        audit.note(actor, AuditAction.DELETE, finding)
        name = finding.photo
        finding.delete()
        transaction.on_commit(lambda: photos.delete_photo(name))


def set_effect_categories(
    actor: Actor, action_type: str, category_ids: list[int]
) -> EffectCategories | None:
    """The categories the effect of an action type is measured on in the partnership; an
    empty list goes back to the shipped defaults (the row is removed)."""
    from samtrygg.observations.models import Category

    actor.require(PLAN_ROLES)
    if action_type not in ActionType.values:
        raise DomainError(_("Okänd insatstyp."), field="type")
    wanted = {int(pk) for pk in category_ids}
    found = set(
        Category.objects.filter(partnership=actor.partnership, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if found != wanted:
        raise DomainError(_("Okänd kategori."), field="categories")
    row = EffectCategories.objects.filter(
        partnership=actor.partnership, action_type=action_type
    ).first()
    with transaction.atomic():
        if not wanted:
            if row is not None:
                audit.delete(actor, row)
            return None
        if row is None:
            row = audit.create(actor, EffectCategories, action_type=action_type)
            before: list[int] = []
        else:
            before = sorted(row.categories.values_list("pk", flat=True))
        row.categories.set(sorted(found))
        audit.note(
            actor,
            AuditAction.UPDATE,
            row,
            before={"categories": before},
            after={"categories": sorted(found)},
        )
    return row
