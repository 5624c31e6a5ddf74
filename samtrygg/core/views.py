"""Core pages: start, partnership switch, areas and places on the map, organisations,
members and invitations, the audit trail, job status, account and API tokens."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtrygg import __version__
from samtrygg.core import forms, queries, services, start
from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.jobs import job_title
from samtrygg.core.middleware import SESSION_KEY
from samtrygg.core.models import (
    AuditAction,
    JobStatus,
    OrganisationType,
    PlaceType,
    Role,
)
from samtrygg.core.pagekit import feature, feature_collection, kommun_features, point
from samtrygg.core.permissions import (
    ADMIN_ROLES,
    AUDIT_ROLES,
    MEMBER_ROLES,
    SETUP_ROLES,
    Actor,
)
from samtrygg.core.views_helpers import (
    filter_errors,
    form_errors,
    paginate,
    refuse,
    render_page,
    success,
    with_actor,
)

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
        start_url = start.elsewhere(request.user)
        if start_url:
            return redirect(start_url)
        return render(request, "core/no_partnership.html", status=200)
    context = {
        "area_count": queries.areas(actor).count(),
        "place_count": queries.places(actor).count(),
        "organisation_count": queries.organisations(actor).count(),
        "member_count": queries.memberships(actor).count()
        if actor.has(MEMBER_ROLES | AUDIT_ROLES)
        else None,
        "roles": [Role(r).label for r in sorted(actor.roles)],
        "cards": start.cards(actor),
    }
    return render(request, "core/home.html", context)


@require_POST
def switch_partnership(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    form = forms.SwitchPartnershipForm(request.POST)
    choices = {p.pk: p for p in getattr(request, "partnerships", [])}
    wanted = form.cleaned_data.get("partnership") if form.is_valid() else None
    if wanted not in choices:
        messages.error(request, _("Du har ingen roll i den samverkan."))
    else:
        request.session[SESSION_KEY] = choices[wanted].pk
        success(request, _("Du arbetar nu i %(p)s.") % {"p": choices[wanted].name})
    target = (form.cleaned_data.get("next") if form.is_valid() else "") or reverse("home")
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("home")
    return redirect(target)


# --- Offline reporting --------------------------------------------------------------------


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker that keeps the report page in the phone (scope: the whole site)."""
    response = render(
        request,
        "core/sw.js",
        {
            "version": __version__,
            "report_path": reverse("report-create"),
            "map_data_path": reverse("map-data"),
            # Leaflet's script asks for its marker images itself, so the page's HTML never
            # names them: kept by name, or an offline map shows broken markers.
            "map_images": [
                static(f"vendor/leaflet/images/{name}")
                for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")
            ],
            "login_path": reverse("login"),
            "logout_path": reverse("logout"),
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# --- Map data ------------------------------------------------------------------------------


@with_actor()
def map_data(request: HttpRequest, actor: Actor) -> JsonResponse:
    """The kommun boundary, delområden and places of the current partnership as GeoJSON."""
    features = kommun_features(actor.partnership.municipality)
    for area in queries.areas(actor):
        properties = {
            "kind": "area",
            "name": area.name,
            "url": reverse("area-detail", args=[area.pk]),
        }
        features.append(feature(area.geometry, properties, id=area.pk))
    for place in queries.places(actor):
        properties = {
            "kind": "place",
            "name": place.name,
            "type": place.get_type_display(),
            "url": reverse("place-detail", args=[place.pk]),
        }
        features.append(feature(point(place.lon, place.lat), properties, id=place.pk))
    return feature_collection(features)


@dataclass
class _Posted:
    """What a core page's form came to (a setup record's, the partnership's settings, an
    invitation's): a redirect after a save, or the bound form with its refusals beside the
    fields (nothing when nothing was posted)."""

    response: HttpResponse | None = None
    form: django_forms.Form | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.form is not None

    def typed(self, empty: dict[str, Any] | None) -> dict[str, Any] | None:
        """What was typed into the refused form, to show again; else ``empty``."""
        return forms.typed(self.form) if self.form is not None else empty


def _saved(
    request: HttpRequest, form: django_forms.Form, save: Callable[[], str], to: str
) -> _Posted:
    """Run ``save`` (a service call that says what it saved), or put its refusal beside the
    field it names."""
    try:
        if form.is_valid():
            success(request, save())
            return _Posted(response=redirect(to))
    except DomainError as exc:
        refuse(form, exc)
    return _Posted(form=form, errors=form_errors(request, form))


def _setup_list(
    request: HttpRequest,
    actor: Actor,
    name: str,
    form_class: Callable[[Any], django_forms.Form],
    save: Callable[[dict[str, Any]], str],
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The list of a setup record (``name``: its pages are ``<name>-list`` and
    ``<name>-detail``): its form adds a record through ``save`` (a service call that says
    what it saved), then back to the list."""
    posted = _Posted()
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        bound = form_class(request.POST)
        to = reverse(f"{name}-list")
        posted = _saved(request, bound, lambda: save(bound.cleaned_data), to)
    return _setup_page(request, actor, f"core/{name}_list.html", posted, context)


def _setup_detail(
    request: HttpRequest,
    actor: Actor,
    name: str,
    record: Any,
    form_class: type[django_forms.Form],
    *,
    update: Callable[[dict[str, Any]], object],
    delete: Callable[[], object],
    deleted: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The page of a setup record (``name`` as for :func:`_setup_list`): "Spara" changes it
    through ``update``; "Ta bort" (``action=delete``, which posts nothing else) removes it
    through ``delete`` and says ``deleted`` (with the record's name as ``n``), then goes to
    the list. ``context`` is read after the post, so the page shows the record as saved."""
    posted = _Posted()
    if request.method == "POST":
        actor.require(SETUP_ROLES)
        if forms.SubmitForm(request.POST).pressed() == "delete":

            def remove() -> str:
                delete()
                return deleted % {"n": record.name}

            to = reverse(f"{name}-list")
            posted = _saved(request, django_forms.Form(request.POST), remove, to)
        else:

            def save() -> str:
                update(bound.cleaned_data)
                return _("Ändringarna sparades.")

            bound = form_class(request.POST)
            to = reverse(f"{name}-detail", args=[record.pk])
            posted = _saved(request, bound, save, to)
    template = f"core/{name}_detail.html"
    return _setup_page(request, actor, template, posted, context, detail=True)


def _setup_page(
    request: HttpRequest,
    actor: Actor,
    template: str,
    posted: _Posted,
    context: Callable[[], dict[str, Any]],
    *,
    detail: bool = False,
) -> HttpResponse:
    """A setup page after its form: the redirect after a save, else the page (``context`` is
    read after the post, so a detail page shows its record as saved) with what was typed."""
    if posted.response:
        return posted.response
    shown = {
        "can_edit": actor.has(SETUP_ROLES),
        "form": posted.typed(None if detail else {}),
        "errors": posted.errors,
    }
    return render_page(request, template, context() | shown, refused=posted.refused)


# --- Areas ---------------------------------------------------------------------------------


@with_actor()
def area_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    upload: Any = request.FILES.get("geojson")

    def save(data: dict[str, Any]) -> str:
        if upload:
            created = services.import_areas(
                actor,
                upload.read().decode("utf-8-sig", errors="replace"),
                name_property=data["name_property"].strip() or "name",
            )
            return _("%(n)d delområden importerade.") % {"n": len(created)}
        area = services.create_area(
            actor, name=data["name"], geometry=data["geometry"], population=data["population"]
        )
        return _("Delområdet %(n)s sparades.") % {"n": area.name}

    form = forms.AreaImportForm if upload else forms.AreaForm
    return _setup_list(
        request,
        actor,
        "area",
        form,
        save,
        lambda: {"page": paginate(request, queries.areas(actor).prefetch_related("places"))},
    )


@with_actor()
def area_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    area = queries.area(actor, pk)
    return _setup_detail(
        request,
        actor,
        "area",
        area,
        forms.AreaForm,
        update=lambda data: services.update_area(
            actor,
            area,
            name=data["name"],
            geometry=data["geometry"] or None,
            population=data["population"],
        ),
        delete=lambda: services.delete_area(actor, area),
        deleted=_("Delområdet %(n)s togs bort."),
        context=lambda: _area_context(queries.area(actor, pk)),  # as saved: nothing of a refusal
    )


def _area_context(area: Any) -> dict[str, Any]:
    return {"area": area, "places": area.places.all(), "geometry_json": json.dumps(area.geometry)}


# --- Places --------------------------------------------------------------------------------


@with_actor()
def place_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    def save(data: dict[str, Any]) -> str:
        place = services.create_place(actor, **data)
        return _("Platsen %(n)s sparades.") % {"n": place.name}

    return _setup_list(
        request,
        actor,
        "place",
        forms.PlaceForm,
        save,
        lambda: {
            "page": paginate(request, queries.places(actor)),
            "place_types": PlaceType.choices,
        },
    )


@with_actor()
def place_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    place = queries.place(actor, pk)
    return _setup_detail(
        request,
        actor,
        "place",
        place,
        forms.PlaceForm,
        update=lambda data: services.update_place(actor, place, **data),
        delete=lambda: services.delete_place(actor, place),
        deleted=_("Platsen %(n)s togs bort."),
        context=lambda: {
            "place": queries.place(actor, pk),  # as saved: nothing of a refusal is kept
            "place_types": PlaceType.choices,
        },
    )


# --- Organisations -------------------------------------------------------------------------


@with_actor()
def organisation_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    def save(data: dict[str, Any]) -> str:
        org = services.create_organisation(
            actor,
            name=data["name"],
            type=data["type"],
            is_public_authority=data["is_public_authority"] if data["type_set_authority"] else None,
        )
        return _("Organisationen %(n)s lades till.") % {"n": org.name}

    return _setup_list(
        request,
        actor,
        "organisation",
        forms.OrganisationForm,
        save,
        lambda: {
            "page": paginate(request, queries.organisations(actor)),
            "types": OrganisationType.choices,
        },
    )


@with_actor()
def organisation_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    org = queries.organisation(actor, pk)
    return _setup_detail(
        request,
        actor,
        "organisation",
        org,
        forms.OrganisationForm,
        update=lambda data: services.update_organisation(
            actor,
            org,
            name=data["name"],
            type=data["type"],
            is_public_authority=data["is_public_authority"],
        ),
        delete=lambda: services.delete_organisation(actor, org),
        deleted=_("Organisationen %(n)s togs bort."),
        context=lambda: {
            "org": queries.organisation(actor, pk),  # as saved: nothing of a refusal is kept
            "types": OrganisationType.choices,
            "members": queries.memberships(actor).filter(organisation_id=pk),
        },
    )


# --- Members and invitations ---------------------------------------------------------------


@with_actor(MEMBER_ROLES | AUDIT_ROLES)
def member_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    can_manage = actor.has(MEMBER_ROLES)
    errors: dict[str, str] = {}
    refused = False
    sent: dict[str, Any] | None = None  # the invitation just made or sent again
    if request.method == "POST":
        actor.require(MEMBER_ROLES)
        what = forms.SubmitForm(request.POST).pressed() or "invite"
        form: django_forms.Form
        try:
            if what in ("remove", "role"):
                form = forms.MembershipForm(request.POST)
                if form.is_valid():
                    membership = queries.membership(actor, form.cleaned_data["membership"])
                    if what == "remove":
                        services.remove_membership(actor, membership)
                        success(request, _("Medlemskapet togs bort."))
                    else:
                        services.change_membership_role(
                            actor, membership, form.cleaned_data["role"]
                        )
                        success(request, _("Rollen ändrades."))
                    return redirect("member-list")
            elif what == "resend":
                form = forms.InvitationChoiceForm(request.POST)
                if form.is_valid():
                    invitation = queries.invitation(actor, form.cleaned_data["invitation"])
                    invitation, raw = services.resend_invitation(actor, invitation)
                    sent = _sent(request, invitation, raw)
            else:
                form = forms.InviteForm(request.POST)
                if form.is_valid():
                    org = queries.organisation(actor, form.cleaned_data["organisation"])
                    invitation, raw = services.invite(
                        actor,
                        email=form.cleaned_data["email"],
                        organisation=org,
                        role=form.cleaned_data["role"],
                        send=False,
                    )
                    sent = _sent(request, invitation, raw)
        except NotFound:
            form.add_error(None, _("Välj en post i listan."))
        except DomainError as exc:
            refuse(form, exc)
        if sent is None:
            errors = form_errors(request, form, shown=("email", "organisation", "role"))
            refused = True
    page = paginate(request, queries.memberships(actor))
    response = render_page(
        request,
        "core/member_list.html",
        {
            "page": page,
            "is_admin": can_manage,
            "roles": Role.choices,
            "organisations": queries.organisations(actor),
            "invitations": queries.invitations(actor).filter(accepted_at__isnull=True)[:50]
            if can_manage
            else [],
            "form": forms.typed(form) if refused else {},
            "errors": errors,
            "sent": sent,
            "own_user_id": request.user.pk,
        },
        refused=refused,
    )
    if sent is not None:
        add_never_cache_headers(response)  # it shows the invitation's link
    return response


def _sent(request: HttpRequest, invitation: Any, raw: str) -> dict[str, Any]:
    """Mail an invitation; whether it went or not, the page shows its link to copy."""
    url = request.build_absolute_uri(reverse("accept-invitation", args=[raw]))
    if services.send_invitation(invitation, raw):
        success(request, _("En inbjudan skickades till %(e)s.") % {"e": invitation.email})
        mailed = True
    else:
        messages.warning(
            request,
            _(
                "Inbjudan till %(e)s är sparad, men e-brevet kunde inte skickas. Kopiera länken "
                "nedan och skicka den själv, eller försök skicka igen senare."
            )
            % {"e": invitation.email},
        )
        mailed = False
    return {"invitation": invitation, "url": url, "mailed": mailed}


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
    posted = _Posted()
    if request.method == "POST":
        form = forms.AcceptInvitationForm(request.POST)

        def accept() -> str:
            user = services.accept_invitation(
                token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password"],
                existing_user=request.user
                if request.user.is_authenticated and request.user.email.lower() == invitation.email
                else None,
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_KEY] = invitation.partnership_id
            return _("Välkommen till %(p)s!") % {"p": invitation.partnership.name}

        posted = _saved(request, form, accept, reverse("home"))
    if posted.response:
        return posted.response
    return render_page(
        request,
        "core/invitation.html",
        {"invitation": invitation, "form": posted.typed({}), "errors": posted.errors},
        refused=posted.refused,
    )


# --- Audit trail and jobs ------------------------------------------------------------------


def _model_name(label: str) -> str:
    """An audited model's name as people say it ("Insats"), not its label ("actions.Action")."""
    try:
        name = str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
    return name[:1].upper() + name[1:]


@with_actor(AUDIT_ROLES)
def audit_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = forms.AuditFilterForm(request.GET)
    chosen = form.audit_filters()
    entries = queries.audit_entries(actor, **(chosen or {}))
    if chosen is None:
        entries = entries.none()  # a filter that cannot be read shows nothing, not everything
    labels = queries.audit_entries(actor).order_by().values_list("model", flat=True).distinct()
    return render_page(
        request,
        "core/audit_list.html",
        {
            "page": paginate(request, entries, 50),
            "actions": AuditAction.choices,
            "models": sorted(
                ((label, _model_name(label)) for label in set(labels)), key=lambda m: m[1]
            ),
            "params": forms.typed(form),
            "filter_errors": filter_errors(request, form),
        },
        refused=chosen is None,
    )


@with_actor()
def job_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST" and actor.has(SETUP_ROLES):
        from samtrygg.core.tasks import ping

        ping.delay(partnership_id=actor.partnership.pk)
        success(request, _("Ett testjobb lades i kön."))
        return redirect("job-list")
    runs = queries.job_runs(actor)
    failures = list(runs.filter(status=JobStatus.FAILED)[:10])
    page = paginate(request, runs, 50)
    page.object_list = list(page.object_list)
    for run in [*failures, *page.object_list]:
        run.title = job_title(run.name)
    return render(
        request,
        "core/job_list.html",
        {"page": page, "failures": failures, "can_ping": actor.has(SETUP_ROLES)},
    )


# --- Account -------------------------------------------------------------------------------


def account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    new_key = None
    errors: dict[str, str] = {}
    refused = False
    if request.method == "POST":
        action = forms.SubmitForm(request.POST).pressed()
        form: django_forms.Form = django_forms.Form(request.POST)
        try:
            if action == "create-token":
                form = forms.TokenForm(request.POST)
                if form.is_valid():
                    _token, new_key = services.create_api_token(
                        request.user, name=form.cleaned_data["name"]
                    )
                    success(
                        request,
                        _("API-nyckeln skapades. Kopiera den nu – den visas bara en gång."),
                    )
            elif action == "revoke-token":
                form = forms.RevokeTokenForm(request.POST)
                if form.is_valid():
                    services.revoke_api_token(request.user, form.cleaned_data["token"])
                    success(request, _("API-nyckeln återkallades."))
                    return redirect("account")
            elif action == "preferences":
                form = forms.PreferencesForm(request.POST)
                if form.is_valid():
                    services.set_notification_preferences(
                        request.user,
                        digest_opt_out=form.cleaned_data["digest_opt_out"],
                        reminder_opt_out=form.cleaned_data["reminder_opt_out"],
                    )
                    success(request, _("Dina val sparades."))
                    return redirect("account")
            else:
                form.add_error(None, _("Okänd åtgärd."))
        except DomainError as exc:
            refuse(form, exc)
        if new_key is None:
            errors = form_errors(request, form, shown=("name",))
            refused = True
    response = render_page(
        request,
        "core/account.html",
        {
            "tokens": queries.api_tokens(request.user),
            "new_key": new_key,
            "memberships": queries.own_memberships(request.user),
            "errors": errors,
        },
        refused=refused,
    )
    if new_key is not None:
        add_never_cache_headers(response)  # it shows the new key
    return response


@with_actor(ADMIN_ROLES)
def partnership_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    posted = _Posted()
    if request.method == "POST":
        form = forms.PartnershipSettingsForm(request.POST)

        def save() -> str:
            services.update_partnership_settings(actor, **form.cleaned_data)
            return _("Inställningarna sparades.")

        posted = _saved(request, form, save, reverse("partnership-settings"))
    if posted.response:
        return posted.response
    return render_page(
        request,
        "core/partnership_settings.html",
        {"partnership": actor.partnership, "errors": posted.errors, "form": posted.typed(None)},
        refused=posted.refused,
    )
