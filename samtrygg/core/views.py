"""Core pages: start, partnership switch, areas and places on the map, organisations,
members and invitations, the audit trail, job status, account and API tokens."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtrygg.core import queries, services
from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.middleware import SESSION_KEY
from samtrygg.core.models import (
    AuditAction,
    JobStatus,
    OrganisationType,
    PlaceType,
    Role,
)
from samtrygg.core.permissions import ADMIN_ROLES, AUDIT_ROLES, SETUP_ROLES, Actor
from samtrygg.core.views_helpers import paginate, report_error, success, with_actor

# --- Login with throttling -----------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login; failed attempts are counted and paused by django-axes
    (``samtrygg.core.throttling``)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True


# --- Start and partnership switch ------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    actor: Actor | None = getattr(request, "actor", None)
    if actor is None:
        return render(request, "core/no_partnership.html", status=200)
    context = {
        "area_count": queries.areas(actor).count(),
        "place_count": queries.places(actor).count(),
        "organisation_count": queries.organisations(actor).count(),
        "member_count": queries.memberships(actor).count()
        if actor.has(ADMIN_ROLES | AUDIT_ROLES)
        else None,
        "roles": [Role(r).label for r in sorted(actor.roles)],
    }
    return render(request, "core/home.html", context)


@require_POST
def switch_partnership(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    wanted = request.POST.get("partnership")
    choices = {str(p.pk): p for p in getattr(request, "partnerships", [])}
    if wanted not in choices:
        messages.error(request, _("Du har ingen roll i den samverkan."))
    else:
        request.session[SESSION_KEY] = choices[wanted].pk
        success(request, _("Du arbetar nu i %(p)s.") % {"p": choices[wanted].name})
    target = request.POST.get("next") or reverse("home")
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("home")
    return redirect(target)


# --- Map data ------------------------------------------------------------------------------


@with_actor()
def map_data(request: HttpRequest, actor: Actor) -> JsonResponse:
    """The kommun boundary, delområden and places of the current partnership as GeoJSON."""
    municipality = actor.partnership.municipality
    features: list[dict[str, Any]] = []
    if municipality.boundary:
        features.append(
            {
                "type": "Feature",
                "geometry": municipality.boundary,
                "properties": {"kind": "kommun", "name": municipality.name},
            }
        )
    for area in queries.areas(actor):
        features.append(
            {
                "type": "Feature",
                "geometry": area.geometry,
                "id": area.pk,
                "properties": {
                    "kind": "area",
                    "name": area.name,
                    "url": reverse("area-detail", args=[area.pk]),
                },
            }
        )
    for place in queries.places(actor):
        features.append(
            {
                "type": "Feature",
                "id": place.pk,
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {
                    "kind": "place",
                    "name": place.name,
                    "type": place.get_type_display(),
                    "url": reverse("place-detail", args=[place.pk]),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


# --- Areas ---------------------------------------------------------------------------------


@with_actor()
def area_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_edit = actor.has(SETUP_ROLES)
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        try:
            if request.FILES.get("geojson"):
                upload: Any = request.FILES["geojson"]
                created = services.import_areas(
                    actor,
                    upload.read().decode("utf-8-sig", errors="replace"),
                    name_property=request.POST.get("name_property") or "name",
                )
                success(request, _("%(n)d delområden importerade.") % {"n": len(created)})
            else:
                area = services.create_area(
                    actor,
                    name=request.POST.get("name", ""),
                    geometry=request.POST.get("geometry") or "",
                    population=_optional_int(request.POST.get("population")),
                )
                success(request, _("Delområdet %(n)s sparades.") % {"n": area.name})
            return redirect("area-list")
        except DomainError as exc:
            report_error(request, exc)
    page = paginate(request, queries.areas(actor).prefetch_related("places"))
    return render(
        request, "core/area_list.html", {"page": page, "can_edit": can_edit, "form": request.POST}
    )


def _optional_int(value: str | None) -> int | None:
    value = (value or "").strip().replace(" ", "")
    if not value:
        return None
    if not value.isdigit():
        raise DomainError(_("Folkmängden ska vara ett heltal."), field="population")
    return int(value)


@with_actor()
def area_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    area = queries.area(actor, pk)
    can_edit = actor.has(SETUP_ROLES)
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        try:
            if request.POST.get("action") == "delete":
                services.delete_area(actor, area)
                success(request, _("Delområdet %(n)s togs bort.") % {"n": area.name})
                return redirect("area-list")
            services.update_area(
                actor,
                area,
                name=request.POST.get("name", ""),
                geometry=request.POST.get("geometry") or None,
                population=_optional_int(request.POST.get("population")),
            )
            success(request, _("Ändringarna sparades."))
            return redirect("area-detail", pk=area.pk)
        except DomainError as exc:
            report_error(request, exc)
    return render(
        request,
        "core/area_detail.html",
        {
            "area": area,
            "can_edit": can_edit,
            "places": area.places.all(),
            "geometry_json": json.dumps(area.geometry),
        },
    )


# --- Places --------------------------------------------------------------------------------


def _coordinate(value: str | None, label: str) -> float:
    try:
        return float((value or "").replace(",", "."))
    except ValueError as exc:
        raise DomainError(_("Välj en punkt på kartan (%(l)s saknas).") % {"l": label}) from exc


@with_actor()
def place_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_edit = actor.has(SETUP_ROLES)
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        try:
            place = services.create_place(
                actor,
                name=request.POST.get("name", ""),
                type=request.POST.get("type", ""),
                lat=_coordinate(request.POST.get("lat"), _("latitud")),
                lon=_coordinate(request.POST.get("lon"), _("longitud")),
            )
            success(request, _("Platsen %(n)s sparades.") % {"n": place.name})
            return redirect("place-list")
        except DomainError as exc:
            report_error(request, exc)
    page = paginate(request, queries.places(actor))
    return render(
        request,
        "core/place_list.html",
        {
            "page": page,
            "can_edit": can_edit,
            "place_types": PlaceType.choices,
            "form": request.POST,
        },
    )


@with_actor()
def place_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    place = queries.place(actor, pk)
    can_edit = actor.has(SETUP_ROLES)
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        try:
            if request.POST.get("action") == "delete":
                services.delete_place(actor, place)
                success(request, _("Platsen %(n)s togs bort.") % {"n": place.name})
                return redirect("place-list")
            services.update_place(
                actor,
                place,
                name=request.POST.get("name", ""),
                type=request.POST.get("type", ""),
                lat=_coordinate(request.POST.get("lat"), _("latitud")),
                lon=_coordinate(request.POST.get("lon"), _("longitud")),
            )
            success(request, _("Ändringarna sparades."))
            return redirect("place-detail", pk=place.pk)
        except DomainError as exc:
            report_error(request, exc)
    return render(
        request,
        "core/place_detail.html",
        {"place": place, "can_edit": can_edit, "place_types": PlaceType.choices},
    )


# --- Organisations -------------------------------------------------------------------------


@with_actor()
def organisation_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_edit = actor.has(SETUP_ROLES)
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        try:
            org = services.create_organisation(
                actor,
                name=request.POST.get("name", ""),
                type=request.POST.get("type", ""),
                is_public_authority=request.POST.get("is_public_authority") == "on"
                if "type_set_authority" in request.POST
                else None,
            )
            success(request, _("Organisationen %(n)s lades till.") % {"n": org.name})
            return redirect("organisation-list")
        except DomainError as exc:
            report_error(request, exc)
    page = paginate(request, queries.organisations(actor))
    return render(
        request,
        "core/organisation_list.html",
        {
            "page": page,
            "can_edit": can_edit,
            "types": OrganisationType.choices,
            "form": request.POST,
        },
    )


@with_actor()
def organisation_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = queries.organisation(actor, pk)
    can_edit = actor.has(SETUP_ROLES)
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        try:
            if request.POST.get("action") == "delete":
                services.delete_organisation(actor, org)
                success(request, _("Organisationen %(n)s togs bort.") % {"n": org.name})
                return redirect("organisation-list")
            services.update_organisation(
                actor,
                org,
                name=request.POST.get("name", ""),
                type=request.POST.get("type", ""),
                is_public_authority=request.POST.get("is_public_authority") == "on",
            )
            success(request, _("Ändringarna sparades."))
            return redirect("organisation-detail", pk=org.pk)
        except DomainError as exc:
            report_error(request, exc)
    members = queries.memberships(actor).filter(organisation=org)
    return render(
        request,
        "core/organisation_detail.html",
        {"org": org, "can_edit": can_edit, "types": OrganisationType.choices, "members": members},
    )


# --- Members and invitations ---------------------------------------------------------------


@with_actor(ADMIN_ROLES | AUDIT_ROLES)
def member_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    is_admin = actor.has(ADMIN_ROLES)
    if request.method == "POST":
        actor.require(ADMIN_ROLES)
        try:
            if request.POST.get("action") == "remove":
                membership = queries.membership(actor, request.POST.get("membership"))
                services.remove_membership(actor, membership)
                success(request, _("Medlemskapet togs bort."))
            else:
                org = queries.organisation(actor, request.POST.get("organisation"))
                invitation, _raw = services.invite(
                    actor,
                    email=request.POST.get("email", ""),
                    organisation=org,
                    role=request.POST.get("role", ""),
                )
                success(request, _("En inbjudan skickades till %(e)s.") % {"e": invitation.email})
            return redirect("member-list")
        except NotFound:
            messages.error(request, _("Välj en organisation i listan."))
        except DomainError as exc:
            report_error(request, exc)
    page = paginate(request, queries.memberships(actor))
    return render(
        request,
        "core/member_list.html",
        {
            "page": page,
            "is_admin": is_admin,
            "roles": Role.choices,
            "organisations": queries.organisations(actor),
            "invitations": queries.invitations(actor).filter(accepted_at__isnull=True)[:50]
            if is_admin
            else [],
            "form": request.POST,
        },
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_by_token(token)
    except NotFound:
        return render(
            request,
            "core/invitation.html",
            {"error": _("Inbjudan finns inte eller har redan använts.")},
            status=404,
        )
    except DomainError as exc:
        return render(request, "core/invitation.html", {"error": exc.message}, status=410)
    if request.method == "POST":
        try:
            user = services.accept_invitation(
                token,
                first_name=request.POST.get("first_name", ""),
                last_name=request.POST.get("last_name", ""),
                password=request.POST.get("password", ""),
                existing_user=request.user
                if request.user.is_authenticated and request.user.email.lower() == invitation.email
                else None,
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = invitation.partnership_id
            success(request, _("Välkommen till %(p)s!") % {"p": invitation.partnership.name})
            return redirect("home")
        except DomainError as exc:
            report_error(request, exc)
    return render(request, "core/invitation.html", {"invitation": invitation, "form": request.POST})


# --- Audit trail and jobs ------------------------------------------------------------------


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@with_actor(AUDIT_ROLES)
def audit_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    params = request.GET
    entries = queries.audit_entries(
        actor,
        text=params.get("q", "").strip(),
        model=params.get("model", ""),
        action=params.get("action", ""),
        since=_date(params.get("fran")),
        until=_date(params.get("till")),
    )
    models = queries.audit_entries(actor).order_by().values_list("model", flat=True).distinct()
    return render(
        request,
        "core/audit_list.html",
        {
            "page": paginate(request, entries, 50),
            "actions": AuditAction.choices,
            "models": sorted(set(models)),
            "params": params,
        },
    )


@with_actor()
def job_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST" and actor.has(SETUP_ROLES):
        from samtrygg.core.tasks import ping

        ping.delay(partnership_id=actor.partnership.pk)
        success(request, _("Ett testjobb lades i kön."))
        return redirect("job-list")
    runs = queries.job_runs(actor)
    failures = runs.filter(status=JobStatus.FAILED)[:10]
    return render(
        request,
        "core/job_list.html",
        {
            "page": paginate(request, runs, 50),
            "failures": failures,
            "can_ping": actor.has(SETUP_ROLES),
        },
    )


# --- Account -------------------------------------------------------------------------------


def account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create-token":
                _token, new_key = services.create_api_token(
                    request.user, name=request.POST.get("name", "")
                )
                success(
                    request, _("API-nyckeln skapades. Kopiera den nu – den visas bara en gång.")
                )
            elif action == "revoke-token":
                services.revoke_api_token(request.user, int(request.POST.get("token") or 0))
                success(request, _("API-nyckeln återkallades."))
                return redirect("account")
            elif action == "preferences":
                services.set_notification_preferences(
                    request.user,
                    digest_opt_out=request.POST.get("digest_opt_out") == "on",
                    reminder_opt_out=request.POST.get("reminder_opt_out") == "on",
                )
                success(request, _("Dina val sparades."))
                return redirect("account")
        except DomainError as exc:
            report_error(request, exc)
    return render(
        request,
        "core/account.html",
        {
            "tokens": queries.api_tokens(request.user),
            "new_key": new_key,
            "memberships": queries.own_memberships(request.user),
        },
    )


@with_actor(ADMIN_ROLES)
def partnership_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        try:
            services.update_partnership_settings(
                actor,
                min_public_count=int(request.POST.get("min_public_count") or 0),
                requires_police_cosign=request.POST.get("requires_police_cosign") == "on",
            )
            success(request, _("Inställningarna sparades."))
            return redirect("partnership-settings")
        except ValueError:
            messages.error(request, _("Minsta publika antal ska vara ett heltal."))
        except DomainError as exc:
            report_error(request, exc)
    return render(request, "core/partnership_settings.html", {"partnership": actor.partnership})
