"""Pages for actions (insatser), EST meetings and safety walks. Thin: parse, call a service
or query, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtrygg.actions import effect, forms, minutes, photos, queries, services
from samtrygg.actions.models import (
    Action,
    ActionStatus,
    ActionType,
    FindingType,
    MeetingType,
    WalkLight,
    WalkStatus,
)
from samtrygg.actions.permissions import (
    ACTION_ROLES,
    OVERVIEW_ROLES,
    OWN_ORG_ROLES,
    READ_ALL_ROLES,
    can_plan,
    can_update_progress,
)
from samtrygg.core import queries as core_queries
from samtrygg.core.errors import DomainError
from samtrygg.core.forms import SubmitForm, typed
from samtrygg.core.pagekit import (
    download,
    feature,
    feature_collection,
    point,
    refusal,
)
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import (
    filter_errors,
    paginate,
    render_page,
    report_error,
    success,
    with_actor,
)

DECISION_ROWS = 3
LINK_CANDIDATES = 60
DECISION_ROW_TEXT = ("title", "end_date", "description")


def _spec(data: dict[str, Any], default_start: dt.date | None = None) -> services.ActionSpec:
    """An action form's cleaned data as the service takes it."""
    return services.ActionSpec(
        title=data["title"],
        type=data["type"],
        owner=data["owner"],
        start_date=data["start_date"] or default_start,
        end_date=data["end_date"],
        planned_count=data["planned_count"] or 1,
        area=data["area"],
        place=data["place"],
        description=data["description"],
        not_for_publication=data["not_for_publication"],
    )


ACTION_FIELDS = (
    "title",
    "type",
    "owner",
    "area",
    "place",
    "start_date",
    "end_date",
    "planned_count",
    "description",
)


def _values_of(item: Action) -> dict[str, Any]:
    """A saved action's fields as the form shows them."""
    return {
        "title": item.title,
        "type": item.type,
        "owner": str(item.owner_id),
        "area": str(item.area_id or ""),
        "place": str(item.place_id or ""),
        "start_date": item.start_date.isoformat(),
        "end_date": item.end_date.isoformat(),
        "planned_count": str(item.planned_count),
        "description": item.description,
        "not_for_publication": item.not_for_publication,
    }


def _note_if_already_ended(request: HttpRequest, items: list[Action]) -> None:
    """A new action that has already ended shows as overdue until its progress is reported."""
    today = timezone.localdate()
    if any(item.is_open and item.end_date < today for item in items):
        messages.warning(
            request,
            _(
                "Slutdatumet har redan passerat, så insatsen visas som försenad tills den "
                "rapporteras som genomförd."
            ),
        )


def _choices(actor: Actor) -> dict[str, Any]:
    return {
        "action_types": ActionType.choices,
        "statuses": ActionStatus.choices,
        "organisations": core_queries.organisations(actor),
        "areas": core_queries.areas(actor),
        "places": core_queries.places(actor),
    }


def _linked_reports(actor: Actor, item: Action) -> Any:
    """The reports linked to an action that the actor may read: all of them for the reading
    roles, the own organisation's for a rapportör, none for the steering group."""
    linked = item.observations.select_related("category", "organisation").order_by("-occurred_at")
    if actor.has(READ_ALL_ROLES):
        return linked
    if actor.has(OWN_ORG_ROLES):
        return linked.filter(organisation_id__in=actor.organisation_ids)
    return linked.none()


def _link_candidates(actor: Actor, item: Action) -> list[Any]:
    """The reports a coordinator may link: those of the action's period (from four weeks
    before its start to its end) in its delområde, newest first, not linked already."""
    from samtrygg.observations import queries as observation_queries

    period = observation_queries.ObservationFilter(
        since=item.start_date - dt.timedelta(days=28),
        until=item.end_date,
        area=item.area_id,
    )
    found = (
        observation_queries.observations(actor, period)
        .exclude(pk__in=item.observations.values("pk"))
        .select_related("category", "area", "place")
        .order_by("-occurred_at")
    )
    return list(found[:LINK_CANDIDATES])


# --- Actions -----------------------------------------------------------------------------


@with_actor(ACTION_ROLES)
def action_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    refused = False
    if request.method == "POST":
        if not can_plan(actor):
            raise Http404
        form = forms.ActionForm(request.POST)
        values = typed(form)
        try:
            item = services.create_action(actor, _spec(form.parsed()))
            success(request, _("Insatsen %(t)s sparades.") % {"t": item.title})
            _note_if_already_ended(request, [item])
            return redirect("action-detail", pk=item.pk)
        except DomainError as exc:
            errors = refusal(request, exc, ACTION_FIELDS)
            refused = True
    filters = forms.ActionFilterForm(request.GET)
    chosen = filters.action_filters()
    today = timezone.localdate()
    items = queries.actions(actor, **(chosen or {}), today=today)
    if chosen is None:
        items = items.none()  # a filter that cannot be read shows nothing, not everything
    overdue_count = queries.actions(actor, overdue=True, today=today).count()
    return render_page(
        request,
        "actions/action_list.html",
        {
            "page": paginate(request, items, 50),
            "params": typed(filters),
            "filter_errors": filter_errors(request, filters),
            "today": today,
            "overdue_count": overdue_count,
            "can_plan": can_plan(actor),
            "values": values,
            "errors": errors,
            **_choices(actor),
        },
        refused=refused or chosen is None,
    )


@with_actor()
def action_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = queries.action(actor, pk)
    values = _values_of(item)
    progress = {"status": item.status, "done_count": item.done_count, "outcome": item.outcome}
    errors: dict[str, str] = {}
    refused = ""
    if request.method == "POST":
        what = SubmitForm(request.POST).pressed()
        action_form = forms.ActionForm(request.POST)
        progress_form = forms.ProgressForm(request.POST)
        try:
            if what == "progress":
                data = progress_form.parsed()
                services.record_progress(
                    actor,
                    item,
                    status=data["status"],
                    done_count=data["done_count"] or 0,
                    outcome=data["outcome"],
                )
                success(request, _("Insatsens status sparades."))
            elif what == "delete" and can_plan(actor):
                services.delete_action(actor, item)
                success(request, _("Insatsen togs bort."))
                return redirect("action-list")
            elif what == "link" and can_plan(actor):
                ids = forms.LinkForm(request.POST).ids()
                services.link_observations(actor, item, ids)
                success(request, _("Händelserna kopplades till insatsen."))
            elif what == "unlink" and can_plan(actor):
                observation = forms.UnlinkForm(request.POST).parsed()["observation"]
                services.unlink_observation(actor, item, observation)
                success(request, _("Kopplingen togs bort."))
            elif what == "update" and can_plan(actor):
                services.update_action(actor, item, _spec(action_form.parsed()))
                success(request, _("Ändringarna sparades."))
            else:
                raise Http404
            return redirect("action-detail", pk=item.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "update":
                values = typed(action_form)
                errors = refusal(request, exc, ACTION_FIELDS)
            elif what == "progress":
                progress = typed(progress_form)
                errors = refusal(request, exc, ("status", "done_count", "outcome"))
            else:
                report_error(request, exc)
    return render_page(
        request,
        "actions/action_detail.html",
        {
            "item": item,
            "values": values,
            "progress": progress,
            "errors": errors,
            "refused": refused,
            "can_plan": can_plan(actor),
            "can_update": can_update_progress(actor, item),
            "can_read_meetings": actor.has(OVERVIEW_ROLES),
            "can_read_reports": actor.has(READ_ALL_ROLES | OWN_ORG_ROLES),
            "linked": _linked_reports(actor, item),
            "candidates": _link_candidates(actor, item) if can_plan(actor) else [],
            "today": timezone.localdate(),
            "effect": effect.evaluate_actions(actor, [item]),
            "group_url": effect.group_url(item),
            **_choices(actor),
        },
        refused=bool(refused),
    )


# --- Meetings ----------------------------------------------------------------------------


@with_actor(OVERVIEW_ROLES)
def meeting_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: dict[str, str] = {}
    refused = False
    form: dict[str, Any] = {}  # what was typed into a refused form
    if request.method == "POST":
        if not can_plan(actor):
            raise Http404
        meeting_form = forms.MeetingForm(request.POST)
        try:
            data = meeting_form.parsed()
            meeting = services.create_meeting(
                actor,
                title=data["title"],
                held_on=data["held_on"] or None,
                type=data["type"] or MeetingType.EST,
                location=data["location"],
            )
            success(request, _("Mötet skapades med en dagordning från lägesbilden."))
            return redirect("meeting-detail", pk=meeting.pk)
        except DomainError as exc:
            errors = refusal(request, exc, ("title", "held_on", "type", "location"))
            refused = True
            form = typed(meeting_form)
    return render_page(
        request,
        "actions/meeting_list.html",
        {
            "page": paginate(request, queries.meetings(actor), 25),
            "can_plan": can_plan(actor),
            "types": MeetingType.choices,
            "form": {
                "type": form.get("type") or MeetingType.EST,
                "held_on": form.get("held_on") or timezone.localdate().isoformat(),
                "title": form.get("title", ""),
                "location": form.get("location", ""),
            },
            "errors": errors,
        },
        refused=refused,
    )


@with_actor()
def meeting_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    meeting = queries.meeting(actor, pk)
    prefixes = [f"a{i}-" for i in range(DECISION_ROWS)]
    # A decision's action rows, one form each (prefix a0-, a1-, a2-).
    rows = {p: forms.ActionForm(request.POST, prefix=p[:-1]) for p in prefixes}
    sent: dict[str, Any] = {}  # the refused form's text fields, shown again
    errors: dict[str, str] = {}
    row_errors: dict[str, dict[str, str]] = {}
    refused = ""
    if request.method == "POST":
        if not can_plan(actor):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        # A decision row counts when anything is typed in it (the selects always have a value).
        filled = [
            p
            for p in prefixes
            if any(str(typed(rows[p])[name]).strip() for name in DECISION_ROW_TEXT)
        ]
        attendance_form = forms.AttendanceForm(
            request.POST, [org.pk for org in core_queries.organisations(actor)]
        )
        notes_form = forms.NotesForm(request.POST)
        decision_form = forms.DecisionForm(request.POST)
        try:
            if what == "attendance":
                attendance_form.parsed()
                services.set_attendance(actor, meeting, attendance_form.people())  # type: ignore[arg-type]
                success(request, _("Närvaron sparades."))
            elif what == "notes":
                services.update_notes(actor, meeting, notes_form.parsed()["notes"])
                success(request, _("Anteckningarna sparades."))
            elif what == "agenda":
                services.regenerate_agenda(actor, meeting)
                success(request, _("Dagordningen togs fram på nytt."))
            elif what == "decision":
                specs = [
                    _spec(rows[p].parsed(row), meeting.held_on)
                    for row, p in enumerate(filled, start=1)
                ]
                decision = services.add_decision(
                    actor, meeting, text=decision_form.parsed()["text"], actions=specs
                )
                _note_if_already_ended(request, list(decision.actions.all()))
                success(
                    request,
                    ngettext(
                        "Beslut §%(n)d sparades med %(k)d insats.",
                        "Beslut §%(n)d sparades med %(k)d insatser.",
                        len(specs),
                    )
                    % {"n": decision.number, "k": len(specs)},
                )
            else:
                raise Http404
            return redirect("meeting-detail", pk=meeting.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "notes":
                sent = typed(notes_form)
                errors = refusal(request, exc, ("notes",))
            elif what == "attendance":
                sent = attendance_form.typed_counts()
                errors = refusal(request, exc, ("attendance",))
            elif what == "decision":
                sent = typed(decision_form)
                cause = exc.__cause__ if isinstance(exc.__cause__, DomainError) else exc
                if exc.row and 0 < exc.row <= len(filled) and cause.field in ACTION_FIELDS:
                    # add_decision counts the rows it got; the page numbers all of them.
                    prefix = filled[exc.row - 1]
                    messages.error(
                        request,
                        _("Insats %(n)d: %(m)s")
                        % {"n": prefixes.index(prefix) + 1, "m": cause.message},
                    )
                    row_errors[prefix] = {str(cause.field): cause.message}
                else:
                    errors = refusal(request, exc, ("text",))
            else:
                report_error(request, exc)
    attendance = {a.organisation_id: a.people for a in meeting.attendances.all()}
    organisations = [
        (org, sent.get(f"org-{org.pk}", attendance.get(org.pk, 0)))
        for org in core_queries.organisations(actor)
    ]
    return render_page(
        request,
        "actions/meeting_detail.html",
        {
            "meeting": meeting,
            "can_plan": can_plan(actor),
            "attendance": organisations,
            "rows": [
                {
                    "prefix": p,
                    "values": typed(rows[p]) if refused == "decision" else {},
                    "errors": row_errors.get(p, {}),
                }
                for p in prefixes
            ],
            "decision_text": sent.get("text", ""),
            "can_read_notes": actor.has(READ_ALL_ROLES),
            "notes": sent["notes"] if refused == "notes" else meeting.notes,
            "errors": errors,
            "refused": refused,
            "effects": effect.follow_up_effects(actor, meeting),
            **_choices(actor),
        },
        refused=bool(refused),
    )


# --- Safety walks ------------------------------------------------------------------------

WALK_FIELDS = ("title", "planned_for", "light", "route", "invited", "residents", "area")
WALK_UPDATE_FIELDS = (*WALK_FIELDS, "status", "summary")
FINDING_FIELDS = ("type", "lat", "description", "proposal", "responsible", "photo")
TO_ACTION_FIELDS = ("end_date", "owner")


def _walk_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """A walk form's cleaned data as the service takes it."""
    return {
        "title": data["title"],
        "planned_for": data["planned_for"] or None,
        "light": data["light"] or WalkLight.MORKER,
        "route": data["route"] or None,
        "invited": data["invited"],
        "residents": data["residents"] or 0,
        "area": data["area"],
    }


def _walk_values_of(walk: Any) -> dict[str, Any]:
    """A saved walk's fields as the edit form shows them (the route stays on the map)."""
    return {
        "title": walk.title,
        "planned_for": timezone.localtime(walk.planned_for).strftime("%Y-%m-%dT%H:%M"),
        "light": walk.light,
        "route": "",
        "invited": [str(o.pk) for o in walk.invited.all()],
        "residents": str(walk.residents),
        "area": str(walk.area_id or ""),
        "status": walk.status,
        "summary": walk.summary,
    }


@with_actor(ACTION_ROLES)
def walk_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    values: dict[str, Any] = {"light": WalkLight.MORKER, "residents": "0", "invited": []}
    errors: dict[str, str] = {}
    refused = False
    if request.method == "POST":
        if not can_plan(actor):
            raise Http404
        form = forms.WalkForm(request.POST)
        values = typed(form)
        try:
            walk = services.create_walk(actor, **_walk_kwargs(form.parsed()))
            success(request, _("Trygghetsvandringen planerades."))
            return redirect("walk-detail", pk=walk.pk)
        except DomainError as exc:
            errors = refusal(request, exc, WALK_FIELDS)
            refused = True
    return render_page(
        request,
        "actions/walk_list.html",
        {
            "page": paginate(request, queries.walks(actor).prefetch_related("findings"), 25),
            "can_plan": can_plan(actor),
            "lights": WalkLight.choices,
            "values": values,
            "errors": errors,
            **_choices(actor),
        },
        refused=refused,
    )


@with_actor()
def walk_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    walk = queries.walk(actor, pk)
    refused = ""
    errors: dict[str, str] = {}  # field -> message, beside the field of the refused form
    sent: dict[str, Any] = {}  # what was typed into the refused form, shown again
    photo_again = False
    if request.method == "POST":
        if not can_plan(actor):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        upload: Any = request.FILES.get("photo") if what == "finding" else None
        finding_form = forms.FindingForm(request.POST)
        to_action_form = forms.ToActionForm(request.POST)
        walk_form = forms.WalkForm(request.POST)
        try:
            if what == "finding":
                data = finding_form.parsed()
                services.add_finding(
                    actor,
                    walk,
                    type=data["type"],
                    lat=data["lat"],
                    lon=data["lon"],
                    description=data["description"],
                    proposal=data["proposal"],
                    responsible=data["responsible"],
                    photo=upload.read() if upload else None,
                )
                success(request, _("Fyndet sparades."))
            elif what == "to-action":
                data = to_action_form.parsed()
                finding = queries.finding(actor, data["finding"])
                if finding.walk_id != walk.pk:
                    raise Http404
                item = services.finding_to_action(
                    actor,
                    finding,
                    end_date=data["end_date"],
                    type=data["type"] or ActionType.FYSISK_ATGARD,
                    owner=data["owner"],
                )
                success(request, _("Insatsen %(t)s skapades.") % {"t": item.title})
            elif what == "update":
                data = walk_form.parsed()
                services.update_walk(
                    actor,
                    walk,
                    **_walk_kwargs(data),
                    status=data["status"] or None,
                    summary=data["summary"] if walk_form.sent("summary") else None,
                )
                success(request, _("Ändringarna sparades."))
            else:
                raise Http404
            return redirect("walk-detail", pk=walk.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "finding":
                sent = typed(finding_form)
                # A browser cannot refill a file input: the user is told to choose it again.
                photo_again = upload is not None
                if exc.field is None and type(exc) is DomainError:
                    # add_finding's only refusals without a field are the map's: the point
                    # is outside the kommun or not a place at all.
                    exc.field = "lat"
                errors = refusal(request, exc, FINDING_FIELDS)
            elif what == "to-action":
                # The finding the form belongs to, when its id could be read.
                sent = typed(to_action_form) | {
                    "finding": to_action_form.cleaned_data.get("finding")
                }
                errors = refusal(request, exc, TO_ACTION_FIELDS)
            elif what == "update":
                sent = typed(walk_form)
                errors = refusal(request, exc, WALK_UPDATE_FIELDS)
            else:
                report_error(request, exc)
            walk = queries.walk(actor, pk)  # as saved: nothing of the refusal is kept
    return render_page(
        request,
        "actions/walk_detail.html",
        {
            "walk": walk,
            "findings": queries.findings(actor, walk),
            "can_plan": can_plan(actor),
            "lights": WalkLight.choices,
            "walk_statuses": WalkStatus.choices,
            "finding_types": FindingType.choices,
            "refused": refused,
            "finding_values": sent if refused == "finding" else {},
            "finding_errors": errors if refused == "finding" else {},
            "photo_again": photo_again,
            "to_action": {**sent, "errors": errors} if refused == "to-action" else {},
            "walk_values": sent if refused == "update" else _walk_values_of(walk),
            "walk_errors": errors if refused == "update" else {},
            "today": timezone.localdate(),
            **_choices(actor),
        },
        refused=bool(refused),
    )


@with_actor()
def walk_geojson(request: HttpRequest, actor: Actor, pk: int) -> JsonResponse:
    """The walk's route and findings as GeoJSON for the map."""
    walk = queries.walk(actor, pk)
    features: list[dict[str, Any]] = []
    if walk.route:
        features.append(feature(walk.route, {"kind": "route"}))
    for number, finding in enumerate(queries.findings(actor, walk), start=1):
        properties = {
            "kind": "finding",
            "number": number,
            "type": finding.get_type_display(),
            "proposal": finding.proposal,
        }
        features.append(feature(point(finding.lon, finding.lat), properties, id=finding.pk))
    return feature_collection(features)


def _feedback_context(actor: Actor, walk: Any) -> dict[str, Any]:
    from samtrygg.actions.documents import walk_map_svg

    findings = list(queries.findings(actor, walk))
    return {
        "walk": walk,
        "findings": findings,
        "invited": list(walk.invited.all()),
        "map_svg": walk_map_svg(actor.partnership, walk, findings),
        "generated": timezone.localtime(),
    }


@with_actor()
def walk_feedback(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    walk = queries.walk(actor, pk)
    return render(request, "actions/walk_feedback.html", _feedback_context(actor, walk))


@with_actor()
def walk_feedback_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    from samtrygg.documents.pdf import render_pdf

    walk = queries.walk(actor, pk)
    pdf = render_pdf("actions/walk_feedback.html", _feedback_context(actor, walk), request)
    return download(pdf, "application/pdf", f"trygghetsvandring-{walk.pk}.pdf", inline=True)


@with_actor()
def finding_photo(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    finding = queries.finding(actor, pk)
    if not finding.photo:
        raise Http404
    response = HttpResponse(photos.open_photo(finding.photo), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def walk_url(walk: Any) -> str:
    return reverse("walk-detail", args=[walk.pk])


@with_actor()
def meeting_export(request: HttpRequest, actor: Actor, pk: int, fmt: str) -> HttpResponse:
    """ "Skapa PDF" of the minutes: queue the job and show its progress."""
    meeting = queries.meeting(actor, pk)
    if request.method != "POST":
        return redirect("meeting-detail", pk=meeting.pk)
    actor.require(READ_ALL_ROLES)  # the minutes hold the notes
    document = minutes.request_minutes(actor, meeting, fmt)
    return redirect("document-status", pk=document.pk)
