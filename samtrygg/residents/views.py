"""Pages of the residents app. Public (no login) under /p/<kommunkod>/: the tip form and the
fact answers. For the samordnare and the kommunpolis: the queue of tips, claims with their
data check and answers, and the settings. Thin: parse, call a service or a query, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError, NotFound
from samtrygg.core.pagekit import feature, feature_collection, kommun_features
from samtrygg.core.permissions import Actor
from samtrygg.core.public import public_partnership
from samtrygg.core.views_helpers import (
    form_errors,
    paginate,
    refuse,
    render_page,
    report_error,
    success,
    with_actor,
)
from samtrygg.residents import charts, checks, forms, guard, queries, services
from samtrygg.residents.models import Claim, TipStatus


def _refusals(form: Any, exc: DomainError) -> None:
    for error in getattr(exc, "errors", [exc]):
        refuse(form, error)


# --- Public pages ----------------------------------------------------------------------------


def _tip_form(partnership: Any, data: Any = None) -> forms.TipForm:
    return forms.TipForm(
        data,
        services=queries.public_services(partnership),
        places=queries.public_places(partnership),
    )


def _tip_page(
    request: HttpRequest, partnership: Any, form: Any, status: int = 200, refusal: str = ""
) -> HttpResponse:
    settings = queries.settings_of(partnership)
    context = {
        "partnership": partnership,
        "form": form,
        "refusal": refusal,
        "contact_days": settings.contact_days,
        "thanks": forms.RequestForm(request.GET).value("tack") == "1" and request.method == "GET",
    }
    response = render(request, "residents/public_tip.html", context, status=status)
    if status != 200:
        add_never_cache_headers(response)
    return response


def public_tip(request: HttpRequest, kommunkod: str) -> HttpResponse:
    """The tip form: no login, no script needed; a tip about a place, never a person."""
    partnership = public_partnership(kommunkod)
    if request.method != "POST":
        return _tip_page(request, partnership, _tip_form(partnership))
    sent = forms.RequestForm(request.POST)
    try:
        guard.throttle(request)
        guard.check_form(sent.value(guard.TOKEN_FIELD), sent.value(guard.HONEYPOT))
    except guard.Refused as exc:
        if exc.status == 429:
            # Cheap on purpose: the excess of a flood costs no form and no query.
            response = render(
                request,
                "residents/public_refused.html",
                {"partnership": partnership, "refusal": exc.message},
                status=429,
            )
            add_never_cache_headers(response)
        else:
            response = _tip_page(
                request, partnership, _tip_form(partnership), status=exc.status, refusal=exc.message
            )
        if exc.retry_after:
            response["Retry-After"] = str(exc.retry_after)
        return response
    form = _tip_form(partnership, sent.data)
    if form.is_valid():
        try:
            services.submit_tip(partnership, services.TipInput.of(form.cleaned_data))
        except DomainError as exc:
            _refusals(form, exc)
        else:
            return redirect(reverse("public-tip", args=[kommunkod]) + "?tack=1")
    # A refused form keeps what was typed, but gets a new timestamp: sending it again
    # after correcting it is a new fill, not a resend.
    refreshed = {name: sent.data.get(name) for name in sent.data}
    refreshed[guard.TOKEN_FIELD] = guard.form_token(timezone.now().timestamp() - 60)
    form.data = refreshed
    return _tip_page(request, partnership, form, status=400)


def public_tip_map(request: HttpRequest, kommunkod: str) -> JsonResponse:
    """The kommun boundary and the delområden, for the tip form's map (public outlines)."""
    partnership = public_partnership(kommunkod)
    features = kommun_features(partnership.municipality)
    for area in queries.areas_of(partnership):
        features.append(feature(area.geometry, {"kind": "area", "name": area.name}, id=area.pk))
    response = feature_collection(features)
    patch_cache_control(response, public=True, max_age=300)
    return response


def _published(claim: Claim, min_count: int) -> dict[str, Any]:
    answer = queries.published_answer(claim)
    assert answer is not None and claim.published_at is not None
    days = (timezone.localdate(claim.published_at) - claim.seen_on).days
    return {
        "claim": claim,
        "answer": answer,
        "days": max(days, 0),
        "rows": charts.rows(answer.data_check, min_count),
        "spec": charts.spec(answer.data_check, min_count),
        "chart_id": f"chart-{claim.pk}",
        "categories": ", ".join(answer.data_check.get("categories", [])),
        "summary": checks.summary(answer.data_check, min_count),
        "period": checks.period_words(answer.data_check),
        "limits": checks.limits(answer.data_check),
    }


def public_facts(request: HttpRequest, kommunkod: str) -> HttpResponse:
    """Published fact answers, newest first."""
    partnership = public_partnership(kommunkod)
    page = paginate(request, queries.published_claims(partnership), per_page=10)
    items = [_published(claim, partnership.min_public_count) for claim in page]
    return render(
        request,
        "residents/public_facts.html",
        {"partnership": partnership, "page": page, "items": items},
    )


def public_fact(request: HttpRequest, kommunkod: str, pk: str) -> HttpResponse:
    partnership = public_partnership(kommunkod)
    try:
        claim = queries.published_claim(partnership, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "residents/public_fact.html",
        {"partnership": partnership, "item": _published(claim, partnership.min_public_count)},
    )


# --- The samordnare's queue ------------------------------------------------------------------


@with_actor(queries.QUEUE_ROLES)
def tip_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    status = forms.RequestForm(request.GET).value("status") or TipStatus.NEW
    if status not in TipStatus.values and status != "alla":
        status = TipStatus.NEW
    qs = queries.tips(actor, "" if status == "alla" else status)
    page = paginate(request, qs)
    stale = queries.stale_before()
    return render(
        request,
        "residents/tip_list.html",
        {
            "page": page,
            "status": status,
            "statuses": TipStatus.choices,
            "stale_before": stale,
            "counts": queries.counts(actor),
            "stale_days": queries.STALE_DAYS,
        },
    )


def _tip_forms(actor: Actor, tip: Any, data: Any = None, which: str = "") -> dict[str, Any]:
    categories = queries.categories_of(actor.partnership)
    bands = queries.time_bands(actor.partnership)
    day = tip.seen_on or timezone.localdate(tip.created_at)
    convert = forms.ConvertForm(
        data if which == "convert" else None,
        categories=categories,
        bands=bands,
        initial={
            "category": str(tip.category_id),
            "occurred_on": day,
            "description": tip.description,
            "time_band": bands[0].key if bands else "",
        },
    )
    return {
        "convert": convert,
        "forward": forms.ForwardForm(data if which == "forward" else None),
        "close": forms.CloseForm(data if which == "close" else None),
    }


@with_actor()
def tip_detail(request: HttpRequest, actor: Actor, pk: str) -> HttpResponse:
    tip = queries.tip(actor, pk)
    sent = forms.RequestForm(request.POST)
    which = sent.value("action") if request.method == "POST" else ""
    bound = _tip_forms(actor, tip, sent.data if which else None, which)
    if which in bound:
        form = bound[which]
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "convert":
                    services.convert_tip(
                        actor,
                        tip,
                        category=data["category"],
                        occurred_on=data["occurred_on"],
                        time_band=data["time_band"],
                        assessment=data["assessment"],
                        description=data["description"],
                    )
                    success(request, _("Tipset är nu en rapport i lägesbilden."))
                elif which == "forward":
                    services.forward_tip(actor, tip, note=data["note"])
                    success(request, _("Tipset är skickat till felanmälan."))
                else:
                    services.close_tip(actor, tip, reason=data["reason"])
                    success(request, _("Tipset är stängt."))
            except DomainError as exc:
                _refusals(form, exc)
            else:
                return redirect("tip-detail", pk=tip.pk)
        form_errors(request, form)
    settings = queries.settings_of(actor.partnership)
    return render_page(
        request,
        "residents/tip_detail.html",
        {
            "tip": tip,
            "forms": bound,
            "stale": queries.is_stale(tip),
            "settings": settings,
            "which": which,
        },
        refused=bool(which),
    )


@with_actor(queries.QUEUE_ROLES)
def resident_settings(request: HttpRequest, actor: Actor) -> HttpResponse:
    sent = forms.RequestForm(request.POST)
    current = queries.settings_of(actor.partnership)
    form = forms.SettingsForm(
        sent.data if request.method == "POST" and sent.value("action") == "settings" else None,
        initial={
            "fault_report_name": current.fault_report_name,
            "fault_report_email": current.fault_report_email,
            "contact_days": current.contact_days,
        },
    )
    refused = False
    if request.method == "POST":
        try:
            if sent.value("action") == "settings":
                if form.is_valid():
                    services.update_settings(actor, **form.cleaned_data)
                    success(request, _("Inställningarna är sparade."))
                    return redirect("resident-settings")
                form_errors(request, form)
                refused = True
            elif sent.value("action") == "category":
                service = next(
                    (
                        s
                        for s in queries.services_of(actor.partnership)
                        if str(s.category.pk) == sent.value("category")
                    ),
                    None,
                )
                if service is None:
                    raise DomainError(_("Okänd kategori."))
                services.set_public_category(
                    actor,
                    service.category,
                    is_public=bool(sent.value("is_public")),
                    open311=bool(sent.value("open311")),
                    description=service.description,
                    group=service.group,
                    keywords=service.keywords,
                )
                success(request, _("Kategorin är sparad."))
                return redirect("resident-settings")
        except DomainError as exc:
            report_error(request, exc)
            refused = True
    return render_page(
        request,
        "residents/settings.html",
        {
            "form": form,
            "services": queries.services_of(actor.partnership),
            "may_change": "samordnare" in actor.roles,
            "kommunkod": actor.partnership.municipality.code,
        },
        refused=refused,
    )


# --- Claims and fact answers -----------------------------------------------------------------


def _claim_form(actor: Actor, data: Any = None) -> forms.ClaimForm:
    return forms.ClaimForm(
        data,
        areas=queries.areas_of(actor.partnership),
        categories=queries.categories_of(actor.partnership),
        initial={"seen_on": timezone.localdate(), "channel": "sociala_medier"},
    )


@with_actor(queries.QUEUE_ROLES)
def claim_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    page = paginate(request, queries.claims(actor))
    rows = [
        {
            "claim": claim,
            "published": queries.published_answer(claim),
            "pending": queries.pending_answer(claim),
        }
        for claim in page
    ]
    return render(request, "residents/claim_list.html", {"page": page, "rows": rows})


@with_actor(queries.QUEUE_ROLES)
def claim_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    sent = forms.RequestForm(request.POST)
    form = _claim_form(actor, sent.data if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.record_claim(actor, services.ClaimInput.of(form.cleaned_data))
        except DomainError as exc:
            _refusals(form, exc)
        else:
            success(request, _("Påståendet är registrerat och datakontrollen gjord."))
            return redirect("claim-detail", pk=claim.pk)
    errors = form_errors(request, form) if form.is_bound else {}
    return render_page(
        request,
        "residents/claim_form.html",
        {"form": form, "errors": errors},
        refused=form.is_bound,
    )


@with_actor()
def claim_detail(request: HttpRequest, actor: Actor, pk: str) -> HttpResponse:
    claim = queries.claim(actor, pk)
    pending = queries.pending_answer(claim)
    published = queries.published_answer(claim)
    latest = pending or published
    initial = (
        {"verdict": latest.verdict, "text": latest.text, "sources": latest.sources}
        if latest
        else {
            "sources": _(
                "Samverkansparternas rapporter i Samtrygg; polisens publicerade händelser."
            )
        }
    )
    sent = forms.RequestForm(request.POST)
    action = sent.value("action") if request.method == "POST" else ""
    form = forms.AnswerForm(sent.data if action == "answer" else None, initial=initial)
    if action:
        try:
            if action == "recheck":
                services.recheck_claim(actor, claim)
                success(request, _("Datakontrollen är gjord igen."))
                return redirect("claim-detail", pk=claim.pk)
            if action == "approve":
                answer = queries.answer(actor, sent.value("answer"))
                if answer.claim_id != claim.pk:
                    raise NotFound(_("Posten finns inte."))
                services.approve_answer(actor, answer)
                success(request, _("Svaret är godkänt och publicerat."))
                return redirect("claim-detail", pk=claim.pk)
            if action == "answer" and form.is_valid():
                services.write_answer(actor, claim, **form.cleaned_data)
                success(request, _("Svaret är sparat och väntar på godkännande."))
                return redirect("claim-detail", pk=claim.pk)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            if action == "answer":
                _refusals(form, exc)
            else:
                report_error(request, exc)
        if action == "answer":
            form_errors(request, form)
    return render_page(
        request,
        "residents/claim_detail.html",
        {
            "claim": claim,
            "check": claim.data_check,
            "summary": checks.summary(claim.data_check),
            "period": checks.period_words(claim.data_check),
            "limits": checks.limits(claim.data_check),
            # the partnership's own page: the counts as they are (the public page hides
            # counts under the public minimum)
            "rows": charts.rows(claim.data_check, 1),
            "spec": charts.spec(claim.data_check, 1),
            "versions": list(claim.answers.all()),
            "pending": pending,
            "published": published,
            "form": form,
            "may_write": "samordnare" in actor.roles,
            "user_id": request.user.pk,
            "is_police": "kommunpolis" in actor.roles,
            "kommunkod": actor.partnership.municipality.code,
            "seen_days": (
                (timezone.localdate(claim.published_at) - claim.seen_on).days
                if claim.published_at
                else None
            ),
            "today": dt.date.today(),
        },
        refused=bool(action),
    )
