"""Meeting minutes: attendance, notes, decisions and the actions they created, as PDF (from
the meeting page's own template) and XLSX. Minutes are internal, so actions that must not be
published are included, and marked."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions import queries
from samtrygg.actions.effect import follow_up_effects
from samtrygg.actions.models import Meeting
from samtrygg.actions.permissions import READ_ALL_ROLES
from samtrygg.core.permissions import Actor
from samtrygg.core.spreadsheets import Spreadsheet
from samtrygg.documents.pdf import render_pdf
from samtrygg.situation import exports
from samtrygg.situation.extensions import DocumentKindHandler, register_document_kind
from samtrygg.situation.models import (
    DocumentAudience,
    DocumentFormat,
    DocumentKind,
    GeneratedDocument,
)


def revision(meeting: Meeting) -> str:
    """A stamp that changes whenever the minutes would: the meeting, its decisions and the
    actions they created."""
    import hashlib

    stamps = [meeting.updated_at]
    for decision in meeting.decisions.all():
        stamps.append(decision.created_at)
        stamps += [a.updated_at for a in decision.actions.all()]
    people = ",".join(f"{a.organisation_id}:{a.people}" for a in meeting.attendances.all())
    digest = hashlib.sha256(people.encode()).hexdigest()[:8]
    return f"{max(stamps):%Y%m%d%H%M%S%f}-{digest}"


def attendance(meeting: Meeting) -> list[tuple[Any, int]]:
    return [(a.organisation, a.people) for a in meeting.attendances.all() if a.people]


def minutes_context(actor: Actor, meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "can_plan": False,
        "attendance": attendance(meeting),
        "rows": [],
        "form": {},
        "minutes": True,
        "effects": follow_up_effects(actor, meeting),
        "generated": timezone.localtime(),
        "actor": actor,
    }


def minutes_pdf(actor: Actor, meeting: Meeting, request: HttpRequest | None = None) -> bytes:
    return render_pdf("actions/meeting_detail.html", minutes_context(actor, meeting), request)


def minutes_xlsx(meeting: Meeting) -> bytes:
    book = Spreadsheet()
    sheet = book.sheet(_("Möte"), fit_columns=True)
    for label, value in (
        (_("Protokoll"), meeting.title),
        (_("Mötestyp"), str(meeting.get_type_display())),
        (_("Datum"), meeting.held_on),
        (_("Plats"), meeting.location),
        (_("Anteckningar"), meeting.notes),
    ):
        sheet.append([label, value], bold_first=True)

    people = book.sheet(_("Närvaro"), fit_columns=True)
    people.append([_("Organisation"), _("Antal deltagare")], bold=True)
    for org, count in attendance(meeting):
        people.append([org.name, count])

    decisions = book.sheet(_("Beslut och insatser"), fit_columns=True)
    decisions.append(
        [
            _("Paragraf"),
            _("Beslut"),
            _("Insats"),
            _("Typ"),
            _("Ansvarig organisation"),
            _("Delområde"),
            _("Startdatum"),
            _("Klart senast"),
            _("Planerat antal"),
            _("Genomfört antal"),
            _("Status"),
            _("Får inte publiceras"),
        ],
        bold=True,
    )
    for decision in meeting.decisions.all():
        actions = list(decision.actions.all())
        if not actions:
            decisions.append([f"§{decision.number}", decision.text])
        for action in actions:
            decisions.append(
                [
                    f"§{decision.number}",
                    decision.text,
                    action.title,
                    str(action.get_type_display()),
                    action.owner.name,
                    action.area.name if action.area else "",
                    action.start_date,
                    action.end_date,
                    action.planned_count,
                    action.done_count,
                    str(action.get_status_display()),
                    _("ja, ej för publicering") if action.not_for_publication else _("nej"),
                ]
            )
    return book.to_bytes()


def request_minutes(actor: Actor, meeting: Meeting, fmt: str) -> GeneratedDocument:
    """The meeting's minutes as PDF or XLSX, made by a job (one per revision and format)."""
    fmt = exports.check_format(fmt)
    key = f"protokoll-{meeting.pk}-{revision(meeting)}-{fmt}"
    return exports.request_document(
        actor,
        key,
        {
            "kind": DocumentKind.MINUTES,
            "format": fmt,
            "audience": DocumentAudience.FULL,
            "meeting": meeting,
            "filename": f"protokoll-{meeting.held_on:%Y-%m-%d}-{meeting.pk}.{fmt}",
        },
    )


def _check_minutes(actor: Actor, document: GeneratedDocument) -> None:
    queries.meeting(actor, document.meeting_id)
    # the minutes hold the notes, which the steering group does not read
    actor.require(READ_ALL_ROLES)


def _render_minutes(actor: Actor, document: GeneratedDocument) -> bytes:
    meeting = Meeting.objects.prefetch_related(
        "attendances__organisation", "decisions__actions__owner", "decisions__actions__area"
    ).get(pk=document.meeting_id or 0)
    if document.format == DocumentFormat.PDF:
        return minutes_pdf(actor, meeting)
    return minutes_xlsx(meeting)


def register() -> None:
    """Minutes are made and handed out by the lägesbild's document jobs and download page."""
    register_document_kind(
        DocumentKind.MINUTES, DocumentKindHandler(render=_render_minutes, check=_check_minutes)
    )
