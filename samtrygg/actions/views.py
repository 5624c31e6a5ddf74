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
from samtrygg.core.documentviews import Button, part_of, press, submit
from samtrygg.core.errors import DomainError
from samtrygg.core.forms import typed
from samtrygg.core.pagekit import (
    download,
    feature,
    feature_collection,
    point,
)
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import (
    filter_errors,
    paginate,
    render_page,
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
    def create(form: forms.ActionForm) -> str:
        item = services.create_action(actor, _spec(form.parsed()))
        success(request, _("Insatsen %(t)s sparades.") % {"t": item.title})
        _note_if_already_ended(request, [item])
        return reverse("action-detail", args=[item.pk])

    button = Button(create, forms.ActionForm, ACTION_FIELDS)
    # The form is at the foot of the list: it says itself that nothing was saved.
    pressed = submit(request, button, allowed=can_plan(actor), summary_at_top=False)
    if pressed.response:
        return pressed.response
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
            "values": pressed.typed_in(otherwise={}),
            "errors": pressed.errors,
            **_choices(actor),
        },
        refused=bool(pressed.refused) or chosen is None,
    )


PROGRESS_FIELDS = ("status", "done_count", "outcome")


def _action_buttons(request: HttpRequest, actor: Actor, item: Action) -> dict[str, Button]:
    """The buttons of an action's page: anyone who reads it may report progress (the service
    says whether they may); a planner also edits, links reports and removes it."""

    def progress(form: forms.ProgressForm) -> None:
        data = form.parsed()
        services.record_progress(
            actor,
            item,
            status=data["status"],
            done_count=data["done_count"] or 0,
            outcome=data["outcome"],
        )
        success(request, _("Insatsens status sparades."))

    def delete(form: None) -> str:
        services.delete_action(actor, item)
        success(request, _("Insatsen togs bort."))
        return reverse("action-list")

    def link(form: forms.LinkForm) -> None:
        services.link_observations(actor, item, form.ids())
        success(request, _("Händelserna kopplades till insatsen."))

    def unlink(form: forms.UnlinkForm) -> None:
        services.unlink_observation(actor, item, form.parsed()["observation"])
        success(request, _("Kopplingen togs bort."))

    def update(form: forms.ActionForm) -> None:
        services.update_action(actor, item, _spec(form.parsed()))
        success(request, _("Ändringarna sparades."))

    buttons = {"progress": Button(progress, forms.ProgressForm, PROGRESS_FIELDS)}
    if can_plan(actor):
        buttons |= {
            "delete": Button(delete, fields=()),
            "link": Button(link, forms.LinkForm, fields=()),
            "unlink": Button(unlink, forms.UnlinkForm, fields=()),
            "update": Button(update, forms.ActionForm, ACTION_FIELDS),
        }
    return buttons


@with_actor()
def action_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = queries.action(actor, pk)
    pressed = press(request, _action_buttons(request, actor, item))
    if pressed.response:
        return pressed.response
    progress = {"status": item.status, "done_count": item.done_count, "outcome": item.outcome}
    return render_page(
        request,
        "actions/action_detail.html",
        {
            "item": item,
            "values": pressed.typed_in("update", otherwise=_values_of(item)),
            "progress": pressed.typed_in("progress", otherwise=progress),
            "errors": pressed.errors,
            "refused": pressed.refused,
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
        refused=bool(pressed.refused),
    )


# --- Meetings ----------------------------------------------------------------------------


@with_actor(OVERVIEW_ROLES)
def meeting_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    def create(form: forms.MeetingForm) -> str:
        data = form.parsed()
        meeting = services.create_meeting(
            actor,
            title=data["title"],
            held_on=data["held_on"] or None,
            type=data["type"] or MeetingType.EST,
            location=data["location"],
        )
        success(request, _("Mötet skapades med en dagordning från lägesbilden."))
        return reverse("meeting-detail", args=[meeting.pk])

    pressed = submit(request, Button(create, forms.MeetingForm), allowed=can_plan(actor))
    if pressed.response:
        return pressed.response
    form = pressed.typed_in(otherwise={})  # what was typed into a refused form
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
            "errors": pressed.errors,
        },
        refused=bool(pressed.refused),
    )


def _meeting_buttons(
    request: HttpRequest,
    actor: Actor,
    meeting: Any,
    rows: dict[str, forms.ActionForm],
    row_errors: dict[str, dict[str, str]],
) -> dict[str, Button]:
    """The buttons of a meeting's page. A refused action row of a decision is said beside
    that row (``row_errors``) and at the top, numbered as the page numbers the rows."""
    prefixes = list(rows)

    def attendance(form: None) -> None:
        ids = [org.pk for org in core_queries.organisations(actor)]
        counts = forms.AttendanceForm(request.POST, ids)
        counts.parsed()
        services.set_attendance(actor, meeting, counts.people())  # type: ignore[arg-type]
        success(request, _("Närvaron sparades."))

    def notes(form: forms.NotesForm) -> None:
        services.update_notes(actor, meeting, form.parsed()["notes"])
        success(request, _("Anteckningarna sparades."))

    def agenda(form: None) -> None:
        services.regenerate_agenda(actor, meeting)
        success(request, _("Dagordningen togs fram på nytt."))

    def decision(form: forms.DecisionForm) -> None:
        # A decision row counts when anything is typed in it (the selects always have a value).
        filled = [
            p
            for p in prefixes
            if any(str(typed(rows[p])[name]).strip() for name in DECISION_ROW_TEXT)
        ]
        try:
            specs = [
                _spec(rows[p].parsed(row), meeting.held_on) for row, p in enumerate(filled, start=1)
            ]
            made = services.add_decision(actor, meeting, text=form.parsed()["text"], actions=specs)
        except DomainError as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, DomainError) else exc
            if exc.row and 0 < exc.row <= len(filled) and cause.field in ACTION_FIELDS:
                # add_decision counts the rows it got; the page numbers all of them.
                prefix = filled[exc.row - 1]
                row_errors[prefix] = {str(cause.field): cause.message}
                number = prefixes.index(prefix) + 1
                raise DomainError(
                    _("Insats %(n)d: %(m)s") % {"n": number, "m": cause.message}
                ) from exc
            raise
        _note_if_already_ended(request, list(made.actions.all()))
        success(
            request,
            ngettext(
                "Beslut §%(n)d sparades med %(k)d insats.",
                "Beslut §%(n)d sparades med %(k)d insatser.",
                len(specs),
            )
            % {"n": made.number, "k": len(specs)},
        )

    return {
        "attendance": Button(attendance, fields=("attendance",)),
        "notes": Button(notes, forms.NotesForm, ("notes",)),
        "agenda": Button(agenda, fields=()),
        "decision": Button(decision, forms.DecisionForm, ("text",)),
    }


@with_actor()
def meeting_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    meeting = queries.meeting(actor, pk)
    # A decision's action rows, one form each (prefix a0-, a1-, a2-).
    rows = {f"a{i}-": forms.ActionForm(request.POST, prefix=f"a{i}") for i in range(DECISION_ROWS)}
    row_errors: dict[str, dict[str, str]] = {}
    buttons = _meeting_buttons(request, actor, meeting, rows, row_errors)
    pressed = press(request, buttons, allowed=can_plan(actor))
    if pressed.response:
        return pressed.response
    refused = pressed.refused
    sent: dict[str, Any] = pressed.typed_in("notes", "decision", otherwise={})
    if refused == "attendance":
        ids = [org.pk for org in core_queries.organisations(actor)]
        sent = forms.AttendanceForm(request.POST, ids).typed_counts()
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
                for p in rows
            ],
            "decision_text": sent.get("text", ""),
            "can_read_notes": actor.has(READ_ALL_ROLES),
            "notes": sent["notes"] if refused == "notes" else meeting.notes,
            "errors": pressed.errors,
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
    def create(form: forms.WalkForm) -> str:
        walk = services.create_walk(actor, **_walk_kwargs(form.parsed()))
        success(request, _("Trygghetsvandringen planerades."))
        return walk_url(walk)

    button = Button(create, forms.WalkForm, WALK_FIELDS)
    pressed = submit(request, button, allowed=can_plan(actor))
    if pressed.response:
        return pressed.response
    new_walk = {"light": WalkLight.MORKER, "residents": "0", "invited": []}
    return render_page(
        request,
        "actions/walk_list.html",
        {
            "page": paginate(request, queries.walks(actor).prefetch_related("findings"), 25),
            "can_plan": can_plan(actor),
            "lights": WalkLight.choices,
            "values": pressed.typed_in(otherwise=new_walk),
            "errors": pressed.errors,
            **_choices(actor),
        },
        refused=bool(pressed.refused),
    )


def _walk_buttons(request: HttpRequest, actor: Actor, walk: Any) -> dict[str, Button]:
    """The buttons of a walk's page: a finding, an action made of a finding, the walk's
    own fields."""

    def finding(form: forms.FindingForm) -> None:
        upload: Any = request.FILES.get("photo")
        try:
            data = form.parsed()
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
        except DomainError as exc:
            if exc.field is None and type(exc) is DomainError:
                # add_finding's only refusals without a field are the map's: the point
                # is outside the kommun or not a place at all.
                exc.field = "lat"
            raise
        success(request, _("Fyndet sparades."))

    def to_action(form: forms.ToActionForm) -> None:
        data = form.parsed()
        found = part_of(queries.finding(actor, data["finding"]), walk, "walk")
        item = services.finding_to_action(
            actor,
            found,
            end_date=data["end_date"],
            type=data["type"] or ActionType.FYSISK_ATGARD,
            owner=data["owner"],
        )
        success(request, _("Insatsen %(t)s skapades.") % {"t": item.title})

    def update(form: forms.WalkForm) -> None:
        data = form.parsed()
        services.update_walk(
            actor,
            walk,
            **_walk_kwargs(data),
            status=data["status"] or None,
            summary=data["summary"] if form.sent("summary") else None,
        )
        success(request, _("Ändringarna sparades."))

    return {
        "finding": Button(finding, forms.FindingForm, FINDING_FIELDS),
        "to-action": Button(to_action, forms.ToActionForm, TO_ACTION_FIELDS),
        "update": Button(update, forms.WalkForm, WALK_UPDATE_FIELDS),
    }


@with_actor()
def walk_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    walk = queries.walk(actor, pk)
    buttons = _walk_buttons(request, actor, walk)
    pressed = press(request, buttons, then=walk_url(walk), allowed=can_plan(actor))
    if pressed.response:
        return pressed.response
    refused = pressed.refused
    to_action: dict[str, Any] = {}
    if refused:
        walk = queries.walk(actor, pk)  # as saved: nothing of the refusal is kept
    if refused == "to-action" and pressed.form is not None:
        # The finding the form belongs to, when its id could be read.
        finding = pressed.form.cleaned_data.get("finding")
        to_action = {**typed(pressed.form), "finding": finding, "errors": pressed.errors}
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
            "finding_values": pressed.typed_in("finding", otherwise={}),
            "finding_errors": pressed.errors if refused == "finding" else {},
            # A browser cannot refill a file input: the user is told to choose it again.
            "photo_again": refused == "finding" and request.FILES.get("photo") is not None,
            "to_action": to_action,
            "walk_values": pressed.typed_in("update", otherwise=_walk_values_of(walk)),
            "walk_errors": pressed.errors if refused == "update" else {},
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
