"""Pages of EST reporting: the report form (mobile first, works offline with JS and without
JS at all), the list with filters, map and export, the detail with history, review and
merge, imports, and the categories, police type mapping and time bands."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.forms import SubmitForm
from samtrygg.core.models import JobStatus
from samtrygg.core.pagekit import XLSX_TYPE, download, feature, feature_collection, point
from samtrygg.core.permissions import Actor
from samtrygg.core.queries import areas as scoped_areas
from samtrygg.core.queries import places as scoped_places
from samtrygg.core.views_helpers import (
    form_errors,
    paginate,
    render_page,
    report_error,
    success,
    with_actor,
)
from samtrygg.core.weeks import iso_week
from samtrygg.observations import exports, forms, importing, queries, services
from samtrygg.observations.models import Channel, LocationPrecision, Observation, Source
from samtrygg.observations.roles import (
    CONFIG_ROLES,
    EXPORT_ROLES,
    FEEDBACK_ROLES,
    READ_ROLES,
    REPORT_ROLES,
    REVIEW_ROLES,
)
from samtrygg.observations.timebands import STOCKHOLM
from samtrygg.observations.vocabulary import ASSESSMENTS

# Uploads with more rows than this run as a background job with a progress bar.
SYNC_IMPORT_ROWS = 2000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
INCIDENT_FIELDS = (
    "category",
    "occurred_on",
    "time",
    "time_band",
    "place",
    "lat",
    "lon",
    "precision",
    "description",
    "assessment",
    "people_count",
    "source",
    "police_reported",
)


# --- The report form ------------------------------------------------------------------------


def _incident_values(form: forms.IncidentForm) -> dict[str, str]:
    values = form.values()
    return {name: values.get(name, "") for name in INCIDENT_FIELDS}


def _to_input(values: Mapping[str, Any]) -> services.IncidentInput:
    """An incident form's cleaned data as the service takes it."""
    place = values.get("place")
    precision = values.get("precision", "")
    if precision == LocationPrecision.PLACE and not place:
        precision = ""
    return services.IncidentInput(
        category=values.get("category"),
        occurred_on=values.get("occurred_on"),
        time=values.get("time"),
        time_band=values.get("time_band"),
        place=place,
        lat=values.get("lat"),
        lon=values.get("lon"),
        location_precision=precision,
        description=values.get("description"),
        assessment=values.get("assessment"),
        people_count=values.get("people_count"),
        source=values.get("source"),
        police_reported=values.get("police_reported") in ("on", "ja", "true", "1"),
    )


def _blank_incident() -> dict[str, str]:
    return {
        "occurred_on": timezone.localdate().isoformat(),
        "source": Source.OWN.value,
    }


def _plural(forms: Callable[[int], str]) -> dict[str, str]:
    """Both forms of a counted text for the script, %(n)s left in for it to fill.

    Swedish and English (the site's languages) take the singular for 1 only, so the script
    picks ``one`` when n is 1 and ``other`` otherwise."""
    return {"one": forms(1), "other": forms(2)}


def _script_texts() -> dict[str, Any]:
    """The report script's texts in the person's language (``json_script``: no inline script).

    report.js keeps the Swedish ones as a fallback for a page without this block."""
    return {
        "point": _("Vald punkt på kartan"),
        "position": _("Din position"),
        "place": _("Plats: %(place)s"),
        "noPosition": _("Positionen kunde inte hämtas. Tryck på kartan i stället."),
        "locating": _("Hämtar din position …"),
        "sent": _plural(
            lambda n: ngettext(
                "Tack! Rapporten är skickad (%(n)s händelse).",
                "Tack! Rapporten är skickad (%(n)s händelser).",
                n,
            )
        ),
        "offline": _(
            "Ingen uppkoppling. Rapporten är sparad i telefonen och skickas automatiskt när du "
            "är uppkopplad igen."
        ),
        "retry": _(
            "Rapporten kunde inte skickas just nu. Den är sparad i telefonen och skickas igen "
            "strax."
        ),
        "sending": _("Skickar rapporten …"),
        "restored": _("Ett utkast som inte hade skickats är återställt."),
        "login": _(
            "Du är inte inloggad längre. Logga in igen – rapporten är sparad i telefonen och "
            "skickas sedan."
        ),
        "refused": _("Rapporten är inte skickad: %(detail)s"),
        "marked": _("Rapporten är inte skickad. Rätta det som är markerat."),
        "seeList": _("Visa rapporterna"),
        "noTime": _("Ange klockslag eller välj ett tidsband."),
    }


def _form_context(
    actor: Actor,
    incidents: list[dict[str, str]],
    *,
    client_uuid: str,
    organisation: str = "",
    errors: Mapping[tuple[int, str], str] | None = None,
) -> dict[str, Any]:
    errors = errors or {}
    rows = []
    for position, values in enumerate(incidents):
        rows.append(
            {
                "index": position,
                "number": position + 1,
                "values": values,
                "errors": {field: msg for (i, field), msg in errors.items() if i == position},
            }
        )
    places = list(scoped_places(actor))
    return {
        "incidents": rows,
        "client_uuid": client_uuid,
        "categories": queries.categories(actor, include_retired=False),
        "bands": queries.time_bands(actor.partnership),
        "places": places,
        "assessments": ASSESSMENTS,
        "sources": Source.choices,
        "organisations": queries.reportable_organisations(actor),
        "organisation": organisation or str(actor.organisation_id or ""),
        "today": timezone.localdate().isoformat(),
        "api_url": f"/api/v1/partnerships/{actor.partnership.municipality.code}/reports",
        "draft_key": f"samtrygg:rapport:{actor.partnership.pk}:{actor.user.pk}",
        "map_data_url": reverse("map-data"),
        "list_url": reverse("observation-list"),
        "script_texts": _script_texts(),
        "template_incident": {
            "index": "__i__",
            "number": "__n__",
            "values": {"source": Source.OWN.value},
            "errors": {},
        },
    }


class _Unparsed(Exception):
    """The posted report could not be parsed; its forms hold the reasons."""


@with_actor(REPORT_ROLES)
def report_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    """File a report with one or more incidents. Without JS the form posts here."""
    if request.method != "POST":
        context = _form_context(actor, [_blank_incident()], client_uuid=str(uuid.uuid4()))
        return render(request, "observations/report_form.html", context)
    meta = forms.ReportForm(request.POST)
    incident_forms = [
        forms.IncidentForm(request.POST, i) for i in meta.incident_indexes(services.MAX_INCIDENTS)
    ]
    incidents = [_incident_values(form) for form in incident_forms] or [_blank_incident()]
    meta.is_valid()
    action = meta.cleaned_data.get("action") or "send"
    client_uuid = meta.cleaned_data.get("client_uuid") or str(uuid.uuid4())
    organisation = str(meta["organisation"].value() or "")
    remove = re.fullmatch(r"remove-([0-9]{1,3})", action)
    if action == "add" and len(incidents) < services.MAX_INCIDENTS:
        previous = incidents[-1]
        incidents.append(_blank_incident() | {"occurred_on": previous.get("occurred_on") or ""})
    elif remove and len(incidents) > 1:
        position = int(remove.group(1))
        if 0 <= position < len(incidents):
            incidents.pop(position)
    elif action == "send":
        refusal: dict[tuple[int, str], str] = {
            (position, name): str(errors[0])
            for position, form in enumerate(incident_forms)
            if not form.is_valid()
            for name, errors in form.errors.items()
        }
        try:
            if refusal or not meta.is_valid():
                for error in meta.errors.values():
                    messages.error(request, str(error[0]))
                raise _Unparsed
            result = services.submit_report(
                actor,
                [_to_input(form.cleaned_data) for form in incident_forms],
                organisation=meta.cleaned_data["organisation"],
                client_uuid=client_uuid,
                channel=Channel.FORM,
            )
        except (services.InvalidReport, _Unparsed) as exc:
            if isinstance(exc, services.InvalidReport):
                refusal = {**exc.field_errors(), **refusal}
            messages.error(request, _("Rapporten är inte skickad. Rätta det som är markerat."))
            context = _form_context(
                actor,
                incidents,
                client_uuid=client_uuid,
                organisation=organisation,
                errors=refusal,
            )
            return render_page(request, "observations/report_form.html", context, refused=True)
        except DomainError as exc:
            report_error(request, exc)
            context = _form_context(
                actor, incidents, client_uuid=client_uuid, organisation=organisation
            )
            return render_page(request, "observations/report_form.html", context, refused=True)
        else:
            count = len(result.observations)
            success(
                request,
                ngettext(
                    "Tack! Rapporten med %(n)d händelse är skickad.",
                    "Tack! Rapporten med %(n)d händelser är skickad.",
                    count,
                )
                % {"n": count},
            )
            return redirect("report-create")
    context = _form_context(actor, incidents, client_uuid=client_uuid, organisation=organisation)
    return render(request, "observations/report_form.html", context)


# --- The list, the map and exports ----------------------------------------------------------


def _filter_context(actor: Actor, flt: queries.ObservationFilter) -> dict[str, Any]:
    return {
        "flt": flt,
        "params": flt.as_params(),
        "query": urlencode(flt.as_params()),
        "areas": scoped_areas(actor),
        "categories": queries.categories(actor),
        "organisations": queries.visible_organisations(actor),
        "assessments": ASSESSMENTS,
        "sources": Source.choices,
    }


@with_actor()
def observation_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not queries.can_read(actor):
        return redirect("observation-summary")
    flt = queries.filter_from(request.GET)
    for problem in flt.problems:
        if problem != flt.period_error:  # that one is shown at the dates it concerns
            messages.error(request, problem)
    items = queries.observations(actor, flt)
    page = paginate(request, items, 25)
    bands = {b.key: b for b in queries.time_bands(actor.partnership)}
    for obs in page.object_list:
        band = bands.get(obs.time_band)
        obs.band_label = band.label if band else obs.time_band
    context = _filter_context(actor, flt) | {
        "page": page,
        "can_export": actor.has(EXPORT_ROLES),
        "can_report": actor.has(REPORT_ROLES),
        "can_review": actor.has(REVIEW_ROLES),
        "own_only": not queries.can_read_all(actor),
        "this_week": iso_week(timezone.localdate()),
    }
    status = 400 if flt.problems else 200
    return render(request, "observations/list.html", context, status=status)


def _feature(obs: Observation, bands: Mapping[str, str]) -> dict[str, Any]:
    properties = {
        "url": reverse("observation-detail", args=[obs.pk]),
        "title": _("Händelse %(id)d") % {"id": obs.pk},
        "category": obs.category.name,
        "date": obs.occurred_on.isoformat(),
        "time": bands.get(obs.time_band, ""),
        "area": obs.area.name if obs.area else "",
        "assessment": obs.assessment,
    }
    return feature(point(round(obs.lon, 6), round(obs.lat, 6)), properties, id=obs.pk)


MAP_LIMIT = 5000


@with_actor(READ_ROLES)
def observation_map_data(request: HttpRequest, actor: Actor) -> JsonResponse:
    """The filtered reports as GeoJSON points for the clustered map (newest 5 000)."""
    flt = queries.filter_from(request.GET)
    if flt.problems:
        field = "fran" if flt.period_error else None
        return JsonResponse({"detail": flt.problems[0], "field": field}, status=400)
    qs = queries.observations(actor, flt)
    total = qs.count()
    bands = {b.key: b.label for b in queries.time_bands(actor.partnership)}
    features = [_feature(obs, bands) for obs in qs[:MAP_LIMIT]]
    return feature_collection(features, total=total, limit=MAP_LIMIT)


@with_actor(EXPORT_ROLES)
def observation_export(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The filtered list as CSV, XLSX or GeoJSON (logged)."""
    flt = queries.filter_from(request.GET)
    if flt.problems:
        messages.error(request, " ".join(flt.problems))
        return redirect("observation-list")
    fmt = forms.ExportFormatForm(request.GET).chosen()
    items = queries.observations(actor, flt)
    labels = {b.key: b.label for b in queries.time_bands(actor.partnership)}
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"handelser-{actor.partnership.municipality.code}-{stamp}"
    data: bytes | str
    if fmt == "xlsx":
        data, count = exports.xlsx_bytes(items.iterator(chunk_size=2000), labels)
        content_type = XLSX_TYPE
    elif fmt == "geojson":
        collection = exports.geojson(items.iterator(chunk_size=2000), labels)
        count = len(collection["features"])
        data, content_type = json.dumps(collection, ensure_ascii=False), "application/geo+json"
    elif fmt == "csv":
        data, count = exports.csv_bytes(items.iterator(chunk_size=2000), labels)
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404
    response = download(data, content_type, f"{name}.{fmt}")
    services.log_export(actor, count, fmt)
    return response


@with_actor()
def observation_summary(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Counts per delområde and month, small counts suppressed: for every role."""
    today = timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=330)).replace(day=1)
    rows = queries.summary_counts(actor, since=since, period="month")
    periods = sorted({r.period for r in rows})
    areas: dict[str, dict[str, str]] = {}
    for row in rows:
        areas.setdefault(row.area, {})[row.period] = row.display
    total_label = _("Hela kommunen")
    ordered = sorted(areas.items(), key=lambda item: (item[0] == total_label, item[0]))
    table = [(area, [cells.get(p, "–") for p in periods]) for area, cells in ordered]
    return render(
        request,
        "observations/summary.html",
        {
            "periods": periods,
            "table": table,
            "min_count": actor.partnership.min_public_count,
            "can_read": queries.can_read(actor),
        },
    )


# --- Detail, edit, review and merge ---------------------------------------------------------


@with_actor()
def observation_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obs = queries.observation(actor, pk)
    refused = False
    if request.method == "POST":
        action = SubmitForm(request.POST).pressed()
        refused = True
        try:
            if action in ("review", "unreview"):
                services.set_reviewed(actor, obs, action == "review")
                success(
                    request,
                    _("Markerad som granskad.")
                    if action == "review"
                    else _("Granskningen togs bort."),
                )
            elif action == "merge":
                merge = forms.MergeForm(request.POST)
                if not merge.is_valid():
                    raise NotFound(str(merge.errors["into"][0]))
                into = queries.observation(actor, merge.cleaned_data["into"])
                services.merge_observation(actor, obs, into)
                success(
                    request,
                    _("Händelse %(a)d är markerad som dubblett av händelse %(b)d. Det kan ångras.")
                    % {"a": obs.pk, "b": into.pk},
                )
            elif action == "unmerge":
                services.undo_merge(actor, obs)
                success(request, _("Sammanslagningen är ångrad."))
            else:
                raise Http404
            return redirect("observation-detail", pk=obs.pk)
        except NotFound:
            if action != "merge":
                raise
            messages.error(request, _("Det finns ingen händelse med det numret som du kan se."))
        except PermissionDenied:
            raise
        except DomainError as exc:
            report_error(request, exc)
    else:
        services.log_view(actor, obs)
    bands = {b.key: b for b in queries.time_bands(actor.partnership)}
    return render_page(
        request,
        "observations/detail.html",
        {
            "obs": obs,
            "band": bands.get(obs.time_band),
            "local_time": timezone.localtime(obs.occurred_at, STOCKHOLM),
            "week": iso_week(obs.occurred_on),
            "siblings": queries.report_siblings(actor, obs),
            "duplicates": queries.duplicates_of(actor, obs),
            "candidates": queries.duplicate_candidates(actor, obs)
            if actor.has(REVIEW_ROLES)
            else [],
            "history": _with_field_labels(queries.history(actor, obs).select_related("actor")),
            "can_review": actor.has(REVIEW_ROLES),
            "can_edit": queries.may_edit(actor, obs),
            "show_reporter": queries.can_read_all(actor),
            "feedback_url": reverse("situation-feedback") + f"#feedback-{obs.pk}"
            if actor.has(FEEDBACK_ROLES) and obs.organisation_id in actor.organisation_ids
            else "",
        },
        refused=refused,
    )


def _with_field_labels(entries: Any) -> list[Any]:
    """Audit entries with ``changed_labels``: the changed fields as the form names them
    ("granskad", "dubblett av"), not as the database does ("reviewed_at", "merged_into")."""
    out = []
    for entry in entries:
        changed = (entry.changes or {}).get("changed") or {}
        entry.changed_labels = [
            _field_label(name) for name in changed if name not in ("updated_at", "created_at")
        ]
        out.append(entry)
    return out


def _field_label(name: str) -> str:
    try:
        field = Observation._meta.get_field(name)
    except FieldDoesNotExist:
        return name.replace("_", " ")
    return str(getattr(field, "verbose_name", name))


def _values_of(obs: Observation) -> dict[str, str]:
    local = timezone.localtime(obs.occurred_at, STOCKHOLM)
    return {
        "category": obs.category.slug,
        "occurred_on": obs.occurred_on.isoformat(),
        "time": local.strftime("%H:%M") if obs.time_exact else "",
        "time_band": "" if obs.time_exact else obs.time_band,
        "place": str(obs.place_id or ""),
        "lat": "" if obs.place_id else f"{obs.lat:.6f}",
        "lon": "" if obs.place_id else f"{obs.lon:.6f}",
        "precision": obs.location_precision,
        "description": obs.description,
        "assessment": str(obs.assessment),
        "people_count": "" if obs.people_count is None else str(obs.people_count),
        "source": obs.source,
        "police_reported": "on" if obs.police_reported else "",
    }


@with_actor()
def observation_edit(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    obs = queries.observation(actor, pk)
    if not queries.may_edit(actor, obs):
        return render(
            request,
            "core/forbidden.html",
            {"reason": _("Din roll i den här samverkan får inte ändra rapporten.")},
            status=403,
        )
    values = _values_of(obs)
    errors: dict[tuple[int, str], str] = {}
    refused = False
    if request.method == "POST":
        form = forms.IncidentForm(request.POST, 0)
        values = _incident_values(form)
        refused = True
        try:
            if form.is_valid():
                services.update_observation(actor, obs, _to_input(form.cleaned_data))
                success(request, _("Ändringarna sparades."))
                return redirect("observation-detail", pk=obs.pk)
            errors = {(0, name): str(e[0]) for name, e in form.errors.items()}
            messages.error(request, _("Ändringarna är inte sparade. Rätta det som är markerat."))
        except services.InvalidIncident as exc:
            errors = {(0, e.field or ""): e.message for e in exc.errors}
            messages.error(request, _("Ändringarna är inte sparade. Rätta det som är markerat."))
        except DomainError as exc:
            report_error(request, exc)
    context = _form_context(actor, [values], client_uuid="", errors=errors)
    if obs.category.is_retired:
        context["categories"] = [*context["categories"], obs.category]
    context |= {"obs": obs, "editing": True}
    return render_page(request, "observations/edit.html", context, refused=refused)


# --- Imports --------------------------------------------------------------------------------


@with_actor(REPORT_ROLES)
def observation_import(request: HttpRequest, actor: Actor) -> HttpResponse:
    errors: list[str] = []
    result = None
    refused = False
    if request.method == "POST":
        upload: Any = request.FILES.get("file")
        form = forms.ImportForm(request.POST)
        refused = True
        try:
            if not form.is_valid():
                raise DomainError(str(form.errors["organisation"][0]), field="organisation")
            org_id = form.cleaned_data["organisation"]
            if upload is None:
                raise DomainError(_("Välj en fil att importera."), field="file")
            if upload.size > MAX_UPLOAD_BYTES:
                raise DomainError(_("Filen är för stor (högst 20 MB)."), field="file")
            data = upload.read()
            rows = importing.read_file(data, upload.name or "")
            if len(rows) > SYNC_IMPORT_ROWS:
                task_id = services.queue_import(actor, rows, data, upload.name or "", org_id)
                return redirect("import-job", task_id=task_id)
            result = services.import_rows(actor, rows, organisation=org_id)
            success(
                request,
                ngettext(
                    "Importen är klar: %(c)d ny händelse, %(u)d fanns redan.",
                    "Importen är klar: %(c)d nya händelser, %(u)d fanns redan.",
                    result.created,
                )
                % {"c": result.created, "u": result.unchanged},
            )
            refused = False
        except services.ImportRefused as exc:
            errors = exc.errors
            messages.error(request, exc.message.split("\n", 1)[0])
        except DomainError as exc:
            # The file as a whole is refused (empty, unreadable, too many rows): also a 400.
            report_error(request, exc)
    return render_page(
        request,
        "observations/import.html",
        {
            "columns": importing.COLUMNS,
            "errors": errors[:500],
            "more_errors": max(0, len(errors) - 500),
            "result": result,
            "organisations": queries.reportable_organisations(actor),
            "sync_rows": SYNC_IMPORT_ROWS,
            "categories": queries.categories(actor, include_retired=False),
            "bands": queries.time_bands(actor.partnership),
        },
        refused=refused,
    )


@with_actor()
def import_job(request: HttpRequest, actor: Actor, task_id: str) -> HttpResponse:
    """The progress of a background import; htmx polls the fragment every second."""
    run = queries.import_job(actor, task_id)
    actor.require(REPORT_ROLES)
    done = run.status in (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.SKIPPED)
    message = run.message
    for prefix in ("ImportRefused: ", "DomainError: ", "PermissionDenied: ", "NotFound: "):
        message = message.removeprefix(prefix)
    context = {"run": run, "done": done, "message": message}
    template = (
        "observations/_import_progress.html"
        if request.headers.get("HX-Request")
        else "observations/import_job.html"
    )
    return render(request, template, context)


@require_GET
@with_actor(REPORT_ROLES)
def import_template(request: HttpRequest, actor: Actor, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        data = importing.template_xlsx(
            [c.name for c in queries.categories(actor, include_retired=False)],
            [b.label.lower() for b in queries.time_bands(actor.partnership)],
            [p.name for p in scoped_places(actor)],
        )
        content_type = XLSX_TYPE
    else:
        data = importing.template_csv()
        content_type = "text/csv; charset=utf-8"
    return download(data, content_type, f"mall-handelser.{fmt}")


# --- Categories, police types and time bands ------------------------------------------------


@with_actor()
def category_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_edit = actor.has(CONFIG_ROLES)
    refused = False
    if request.method == "POST":
        if not can_edit:
            raise Http404
        action = SubmitForm(request.POST).pressed()
        form = forms.CategoryForm(request.POST)
        refused = True
        try:
            if not form.is_valid():
                raise DomainError(_("Välj en post i listan."))
            if action == "create":
                category = services.create_category(actor, name=form.cleaned_data["name"])
                success(request, _("Kategorin %(n)s lades till.") % {"n": category.name})
            else:
                category = queries.category(actor, form.cleaned_data["category"])
                if action == "rename":
                    services.rename_category(actor, category, name=form.cleaned_data["name"])
                    success(request, _("Kategorin heter nu %(n)s.") % {"n": category.name})
                elif action in ("retire", "restore"):
                    services.retire_category(actor, category, retired=action == "retire")
                    success(
                        request,
                        _("Kategorin %(n)s är avvecklad.") % {"n": category.name}
                        if action == "retire"
                        else _("Kategorin %(n)s är i bruk igen.") % {"n": category.name},
                    )
                elif action == "delete":
                    name = category.name
                    services.delete_category(actor, category)
                    success(request, _("Kategorin %(n)s togs bort.") % {"n": name})
                else:
                    raise Http404
            return redirect("category-list")
        except NotFound as exc:
            raise Http404 from exc
        except DomainError as exc:
            report_error(request, exc)
    return render_page(
        request,
        "observations/categories.html",
        {
            "categories": queries.categories_with_use(actor),
            "can_edit": can_edit,
            "unmapped_count": queries.unmapped_police_types(actor).count(),
        },
        refused=refused,
    )


@with_actor()
def police_type_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_edit = actor.has(CONFIG_ROLES)
    mappings = list(queries.police_type_mappings(actor))
    refused = False
    if request.method == "POST":
        if not can_edit:
            raise Http404
        form = forms.PoliceTypeForm(request.POST, [m.pk for m in mappings])
        try:
            if form.is_valid():
                changed = services.set_police_type_categories(actor, form.choices())
                success(request, _("Kopplingen sparades (%(n)d ändrade).") % {"n": changed})
                return redirect("police-type-list")
            messages.error(request, _("Välj en kategori i listan."))
        except NotFound:
            messages.error(request, _("Välj en kategori i listan."))
        except DomainError as exc:
            report_error(request, exc)
        refused = True
    unmapped = [m for m in mappings if m.category_id is None or m.needs_review]
    mapped = [m for m in mappings if m.category_id is not None and not m.needs_review]
    return render_page(
        request,
        "observations/police_types.html",
        {
            "unmapped": unmapped,
            "mapped": mapped,
            "categories": queries.categories(actor),
            "can_edit": can_edit,
        },
        refused=refused,
    )


@with_actor()
def time_band_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_edit = actor.has(CONFIG_ROLES)
    bands = [b.as_dict() for b in queries.time_bands(actor.partnership)]
    refused = False
    if request.method == "POST":
        if not can_edit:
            raise Http404
        form = forms.TimeBandsForm(request.POST)
        refused = True
        try:
            if form.is_valid():
                posted = form.rows()
                bands = posted
                services.update_time_bands(actor, posted)
                success(request, _("Tidsbanden sparades."))
                return redirect("time-band-settings")
            form_errors(request, form, shown=())
        except DomainError as exc:
            report_error(request, exc)
    rows = bands + [{"key": "", "label": "", "start": "", "end": ""}] * max(0, 6 - len(bands))
    return render_page(
        request,
        "observations/time_bands.html",
        {"rows": list(enumerate(rows[:8])), "can_edit": can_edit},
        refused=refused,
    )
