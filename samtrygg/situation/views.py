"""Pages of the lägesbild: the live picture of any period with filters, drafts, adoption,
co-signing, corrections, the adopted pictures, PDF and XLSX, and feedback to reporters."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.analysis.levels import LEVEL_KEYS, Level
from samtrygg.analysis.picture import Period
from samtrygg.core import queries as core_queries
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.forms import SubmitForm
from samtrygg.core.pagekit import XLSX_TYPE, download, feature, feature_collection, point
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import paginate, render_page, report_error, success, with_actor
from samtrygg.documents.svgmap import hex_polygon
from samtrygg.situation import compute, extensions, forms, queries, services, wording
from samtrygg.situation.models import LevelChoice, PictureStatus, SituationPicture, TrendChoice
from samtrygg.situation.permissions import (
    ADOPTED_ROLES,
    COMPILE_ROLES,
    COSIGN_ROLES,
    FEEDBACK_ROLES,
    LIVE_ROLES,
)
from samtrygg.situation.pictures import cached_snapshot
from samtrygg.situation.schema import HotSpot


def _json_error(exc: DomainError) -> JsonResponse:
    """A refusal as JSON, shaped like the API's: ``{"detail": ..., "field": ...}``, status 400."""
    body = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    return JsonResponse(body, status=400)


def _is_future(period: Period) -> bool:
    """The period has not begun yet: its picture can only be empty."""
    return period.start > timezone.now().timestamp()


def _filter_choices(actor: Actor) -> dict[str, Any]:
    return {
        "filter_categories": queries.filter_categories(actor),
        "filter_sources": forms.source_choices(),
        "filter_organisations": core_queries.organisations(actor),
    }


def _neighbours(period: Period) -> dict[str, str]:
    return {
        "previous": Period(period.unit, period.index - 1).label,
        "next": Period(period.unit, period.index + 1).label,
    }


def hotspot_features(hotspots: list[HotSpot]) -> list[dict[str, Any]]:
    """A snapshot's hot and emerging cells as GeoJSON features for the page's map."""
    return [
        feature(
            hex_polygon(spot["cell_id"]),
            {
                "kind": "hotspot" if spot["bin"] > 0 else "emerging",
                "text": f"{wording.pattern_text(spot['pattern'])}, {wording.events(spot['count'])}",
            },
        )
        for spot in hotspots
    ]


def _map_levels(data: dict[str, Any], levels: dict[str, Any] | None = None) -> str:
    """The level key per delområde that colours the map, as JSON: the levels set on the
    picture, else the suggestions the cards show."""
    keys = {a["name"]: a["suggested"]["level_key"] for a in data.get("areas", [])}
    for name, row in (levels or {}).items():
        keys[name] = LEVEL_KEYS[Level(int(row.level))]
    return json.dumps(keys, ensure_ascii=False)


def _points_url(period: Period, filters: compute.Filters) -> str:
    """The live map's data for the period the page shows (also when ``?period=`` was bad and
    the page fell back to this week), with the same filters."""
    return reverse("situation-points") + "?" + forms.picture_query(period, filters)


@with_actor(ADOPTED_ROLES)
def current(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The live picture of a period (this week by default) with filters."""
    if not actor.has(LIVE_ROLES):
        return redirect("situation-list")
    form = forms.PictureFilterForm(request.GET)
    period, filters = form.chosen()
    errors = form.refusals()
    for message in errors.values():
        messages.error(request, message)  # the page falls back to this week, unfiltered
    data = wording.localize(cached_snapshot(actor.partnership, period, filters))
    draft = queries.open_draft(actor, period.unit, period.index)
    adopted = queries.adopted_for(actor, period.unit, period.index)
    return render_page(
        request,
        "situation/picture.html",
        {
            "data": data,
            "mode": "live",
            "period": period,
            "filters": filters,
            "filter_errors": errors,
            "draft": draft,
            "adopted": adopted,
            "can_compile": actor.has(COMPILE_ROLES),
            "points_url": _points_url(period, filters),
            "map_levels": _map_levels(data),
            "future": _is_future(period),
            **_neighbours(period),
            **_filter_choices(actor),
        },
        refused=bool(errors),
    )


@with_actor(LIVE_ROLES)
def points(request: HttpRequest, actor: Actor) -> JsonResponse:
    """Observation points, hot-spot cells and the police at kommun level, for the live map."""
    from shapely.geometry import shape

    form = forms.PictureFilterForm(request.GET)
    period, filters = form.chosen()
    if form.errors:
        name, message = next(iter(form.refusals().items()))
        return _json_error(DomainError(message, field=name))

    qs = queries.map_observations(actor, period, filters)
    features: list[dict[str, Any]] = [
        feature(point(lon, lat), {"kind": "observation", "category": name})
        for lat, lon, name in qs.values_list("lat", "lon", "category__name")[:20000]
    ]
    # The picture the page shows, as the page kept it.
    data = cached_snapshot(actor.partnership, period, filters)
    features += hotspot_features(data["hotspots"])
    boundary = actor.partnership.municipality.boundary
    if boundary and data["totals"]["police_events"]:
        centre = shape(boundary).representative_point()
        properties = {
            "kind": "police",
            "text": _("Polisens händelser i kommunen: %(n)d (placerade på kommunnivå)")
            % {"n": data["totals"]["police_events"]},
        }
        features.append(feature(point(centre.x, centre.y), properties))
    return feature_collection(features)


@with_actor(ADOPTED_ROLES)
def picture_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    refused = False
    if request.method == "POST":
        if not actor.has(COMPILE_ROLES):
            raise Http404
        try:
            picture = services.draft(actor, forms.DraftForm(request.POST).parsed()["period"])
            success(request, _("Ett utkast togs fram från den beräknade lägesbilden."))
            return redirect("situation-detail", pk=picture.pk)
        except DomainError as exc:
            report_error(request, exc)
            refused = True
    return render_page(
        request,
        "situation/picture_list.html",
        {"pictures": queries.pictures(actor)[:200], "can_compile": actor.has(COMPILE_ROLES)},
        refused=refused,
    )


def _detail_context(actor: Actor, picture: SituationPicture) -> dict[str, Any]:
    data = wording.localize(picture.snapshot)
    period = Period(picture.unit, picture.period_index)  # type: ignore[arg-type]
    levels = {lv.area_name: lv for lv in picture.levels.all()}
    return {
        "picture": picture,
        "data": data,
        "mode": "picture",
        "period": period,
        "levels": levels,
        "level_choices": LevelChoice.choices,
        "trend_choices": TrendChoice.choices,
        "can_compile": actor.has(COMPILE_ROLES) and picture.is_editable,
        "can_adopt": actor.has(COMPILE_ROLES) and picture.status == PictureStatus.DRAFT,
        "can_cosign": actor.has(COSIGN_ROLES)
        and picture.status == PictureStatus.AWAITING_COSIGN
        and picture.adopted_by_id != getattr(actor.user, "pk", None),
        "can_correct": actor.has(COMPILE_ROLES) and picture.status == PictureStatus.ADOPTED,
        "versions": queries.pictures(actor).filter(
            unit=picture.unit, period_index=picture.period_index
        ),
        "actions_in_period": extensions.actions_in_period(actor, period.start, period.end),
        "map_levels": _map_levels(data, levels),
        "map_hotspots": {
            "type": "FeatureCollection",
            "features": hotspot_features(data.get("hotspots", [])),
        },
        "future": _is_future(period),
    }


def _set_levels_and_assessment(
    actor: Actor, picture: SituationPicture, form: forms.LevelsForm
) -> None:
    """The levels form: every delområde's level, trend and reason, and the assessment, saved
    together or not at all."""
    changes = form.changes()
    with transaction.atomic():
        for row, values in changes:
            try:
                services.set_level(actor, picture, row.area_name, **values)
            except (NotFound, PermissionDenied):
                raise
            except DomainError as exc:
                if row.area_name in exc.message:
                    raise
                raise DomainError(f"{row.area_name}: {exc.message}", field=exc.field) from exc
        services.set_assessment(actor, picture, form.parsed()["assessment"])


def _show_typed_levels(context: dict[str, Any], form: forms.LevelsForm) -> None:
    """Put the refused levels form's values (never saved) on the rows the page shows."""
    typed = form.typed_rows()
    for row in context["levels"].values():
        for name, value in typed.get(row.pk, {}).items():
            setattr(row, name, value)
    context["typed_assessment"] = form["assessment"].value() or ""
    context["levels_refused"] = True


@with_actor()
def picture_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    picture = queries.picture(actor, pk)
    refused = ""
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not actor.has(COMPILE_ROLES | COSIGN_ROLES):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        levels_form = forms.LevelsForm(request.POST, list(picture.levels.all()))
        correction_form = forms.CorrectionForm(request.POST)
        try:
            if what == "levels":
                _set_levels_and_assessment(actor, picture, levels_form)
                success(request, _("Nivåerna och bedömningen sparades."))
            elif what == "refresh":
                services.refresh(actor, picture)
                success(request, _("Siffrorna beräknades på nytt."))
            elif what == "adopt":
                picture = services.adopt(actor, picture)
                success(
                    request,
                    _("Lägesbilden väntar nu på kommunpolisens kontrasignering.")
                    if picture.status == PictureStatus.AWAITING_COSIGN
                    else _("Lägesbilden är antagen."),
                )
            elif what == "cosign":
                services.cosign(actor, picture)
                success(request, _("Lägesbilden är kontrasignerad och antagen."))
            elif what == "return":
                services.return_to_draft(actor, picture)
                success(request, _("Lägesbilden gick tillbaka till utkast."))
            elif what == "correct":
                correction = services.start_correction(
                    actor, picture, correction_form.parsed()["reason"]
                )
                success(request, _("En ny version togs fram för rättelsen."))
                return redirect("situation-detail", pk=correction.pk)
            else:
                raise Http404
            return redirect("situation-detail", pk=picture.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "levels" and exc.field == "assessment":
                messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
                errors = {"assessment": exc.message}
            elif what == "correct" and exc.field == "reason":
                messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
                errors = {"correction_reason": exc.message}
            else:
                report_error(request, exc)
        picture = queries.picture(actor, pk)  # as saved: nothing of the refusal is kept
    context = _detail_context(actor, picture) | {"errors": errors}
    if refused == "levels":
        _show_typed_levels(context, levels_form)
    elif refused == "correct":
        # The refused reason is only shown again, in this response (never stored).
        context["typed_correction_reason"] = correction_form["reason"].value() or ""
    # After a refusal: 400 and never cached, as it may show text the privacy screen refused.
    return render_page(request, "situation/picture.html", context, refused=bool(refused))


@with_actor()
def picture_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    from samtrygg.situation.documents import picture_pdf as make_pdf

    picture = queries.picture(actor, pk)
    filename = f"lagesbild-{picture.period_label}-v{picture.version}.pdf"
    return download(make_pdf(actor, picture, request), "application/pdf", filename, inline=True)


@with_actor()
def picture_xlsx(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    from samtrygg.situation.documents import picture_xlsx as make_xlsx

    picture = queries.picture(actor, pk)
    filename = f"lagesbild-{picture.period_label}-v{picture.version}.xlsx"
    return download(make_xlsx(picture), XLSX_TYPE, filename)


@with_actor(FEEDBACK_ROLES)
def feedback(request: HttpRequest, actor: Actor) -> HttpResponse:
    """What became of the organisation's reports: linked actions, and the adopted picture of
    each week. Only the actor's own organisations' reports are shown."""
    # A phone shows each report as a card: twenty to a page.
    page = paginate(request, queries.own_organisations_reports(actor), 20)
    weeks: dict[int, None] = {}
    for obs in page.object_list:
        year, week, _wd = timezone.localtime(obs.occurred_at).isocalendar()
        weeks.setdefault(Period.week(year, week).index, None)
    adopted = {p.period_index: p for p in queries.adopted_weeks(actor, list(weeks))}
    rows = []
    for obs in page.object_list:
        year, week, _wd = timezone.localtime(obs.occurred_at).isocalendar()
        index = Period.week(year, week).index
        actions = [
            a
            for a in obs.actions.all()
            if not a.not_for_publication or a.owner_id in actor.organisation_ids
        ]
        rows.append({"obs": obs, "actions": actions, "picture": adopted.get(index)})
    return render(request, "situation/feedback.html", {"rows": rows, "page": page})


# --- Documents made by jobs --------------------------------------------------------------


def _document_status_response(request: HttpRequest, document: Any) -> HttpResponse:
    from samtrygg.core.models import JobStatus

    run = queries.document_run(document)
    failed = not document.is_ready and run is not None and run.status == JobStatus.FAILED
    done = document.is_ready or failed
    context = {
        "document": document,
        "run": run,
        "done": done,
        "failed": failed,
        "progress": 100 if document.is_ready else (run.progress if run else 0),
        "back": (
            reverse("situation-detail", args=[document.picture_id])
            if document.picture_id
            else reverse("meeting-detail", args=[document.meeting_id])
        ),
    }
    template = (
        "situation/_document_progress.html"
        if request.headers.get("HX-Request")
        else "situation/document.html"
    )
    return render(request, template, context)


@with_actor()
def picture_export(request: HttpRequest, actor: Actor, pk: int, fmt: str) -> HttpResponse:
    """ "Skapa PDF": queue the job (or reuse the document made before) and show its progress."""
    from samtrygg.situation import exports

    picture = queries.picture(actor, pk)
    if request.method != "POST":
        return redirect("situation-detail", pk=picture.pk)
    try:
        document = exports.request_picture_document(actor, picture, fmt)
    except NotFound:
        raise
    except DomainError as exc:
        report_error(request, exc)
        return redirect("situation-detail", pk=picture.pk)
    return redirect("document-status", pk=document.pk)


@with_actor()
def document_status(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The progress of a document's job; htmx polls the fragment until it is made."""
    from samtrygg.situation import exports

    document = exports.document(actor, pk)
    if request.method == "POST":
        document = exports.queue(actor, document)  # try again after a failure
        return redirect("document-status", pk=document.pk)
    return _document_status_response(request, document)


@with_actor()
def document_download(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    """The document's file, after the same permission check as its page (never /media/)."""
    from samtrygg.situation import exports

    document = exports.document(actor, pk)
    if not document.is_ready:
        return redirect("document-status", pk=document.pk)
    data = exports.document_bytes(document)
    content_type = exports.CONTENT_TYPES[document.format]  # type: ignore[index]
    response = download(data, content_type, document.filename, inline=document.format == "pdf")
    response["Cache-Control"] = "private, no-store"
    return response
