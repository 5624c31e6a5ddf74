"""Pages of agreements, citizen promises and follow-ups, and the public page /p/<kommunkod>/.
Thin: parse, call a service or query, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions.models import ActionType
from samtrygg.actions.permissions import READ_ALL_ROLES
from samtrygg.core import queries as core_queries
from samtrygg.core.documentviews import Button, Pressed, part_of, press, submit
from samtrygg.core.pagekit import download
from samtrygg.core.permissions import Actor
from samtrygg.core.public import public_partnership
from samtrygg.core.views_helpers import paginate, render_page, success, with_actor
from samtrygg.documents.pdf import render_pdf
from samtrygg.promises import forms, links, progress, published, queries, services
from samtrygg.promises.models import (
    Assessment,
    BasisTag,
    CitizenPromise,
    Commitment,
    CooperationAgreement,
    FollowUp,
    Responsible,
)
from samtrygg.promises.permissions import READ_ROLES, WRITE_ROLES
from samtrygg.promises.state import is_signed, signed_on, status_label, status_of
from samtrygg.promises.versions import differences
from samtrygg.statutory.forms import DecisionForm


def _promise_spec(data: dict[str, Any]) -> services.PromiseSpec:
    return services.PromiseSpec(
        title=data["title"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"] or None,
        intro=data["intro"],
        basis_tags=list(data["basis_tags"]),
        basis_text=data["basis_text"],
        other_parties=data["other_parties"],
        agreement=data["agreement"],
    )


def _agreement_spec(data: dict[str, Any]) -> services.AgreementSpec:
    return services.AgreementSpec(
        title=data["title"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        goals=data["goals"],
        follow_up_method=data["follow_up_method"],
        other_parties=data["other_parties"],
        problems=list(data["problems"]),
    )


def _item_spec(data: dict[str, Any]) -> services.ItemSpec:
    return services.ItemSpec(
        text=data["text"],
        focus_area=data["focus_area"],
        responsible=data["responsible"] or Responsible.GEMENSAMT,
        organisation=data["organisation"],
        commitment=data["commitment"] or Commitment.ANTAL,
        condition=data["condition"],
        target=data["target"],
        unit=data["unit"],
        rule_types=list(data["rule_types"]),
        rule_areas=list(data["rule_areas"]),
        rule_from=data["rule_from"],
        rule_to=data["rule_to"],
        plan_item=data["plan_item"],
        problem=data["problem"],
    )


def _document_values(document: Any) -> dict[str, Any]:
    values = {
        "title": document.title,
        "starts_on": document.starts_on.isoformat(),
        "ends_on": document.ends_on.isoformat(),
        "other_parties": document.other_parties,
    }
    if isinstance(document, CitizenPromise):
        values |= {
            "intro": document.intro,
            "basis_tags": list(document.basis_tags),
            "basis_text": document.basis_text,
            "agreement": str(document.agreement_id or ""),
        }
    else:
        values |= {
            "goals": document.goals,
            "follow_up_method": document.follow_up_method,
            "problems": [str(p.pk) for p in document.problems.all()],
        }
    return values


def _parties(document: Any) -> list[dict[str, Any]]:
    signatures = {s.party: s for s in document.signatures.all()}
    return [
        {"key": key, "label": document.party_label(key), "signature": signatures.get(key)}
        for key in document.party_keys()
    ]


def _status(document: Any) -> dict[str, Any]:
    status = status_of(document)
    return {"code": status, "label": status_label(status)}


def _rows(documents: Any) -> list[dict[str, Any]]:
    """A list's rows: each agreement or promise with its status and when it was signed."""
    return [{"doc": d, "status": _status(d), "signed_on": signed_on(d)} for d in documents]


# --- Lists ------------------------------------------------------------------------------------


@with_actor(READ_ROLES)
def promise_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    def create(form: forms.PromiseForm) -> str:
        created = services.create_promise(actor, _promise_spec(form.parsed()))
        success(request, _("Utkastet till medborgarlöfte skapades."))
        return _url(created)

    pressed = submit(request, Button(create, forms.PromiseForm), allowed=actor.has(WRITE_ROLES))
    if pressed.response:
        return pressed.response
    page = paginate(request, queries.promises(actor), 25)
    today = timezone.localdate()
    return render_page(
        request,
        "promises/promise_list.html",
        {
            "page": page,
            "rows": _rows(page.object_list),
            "agreements": _rows(queries.agreements(actor)[:20]),
            "can_write": actor.has(WRITE_ROLES),
            "values": pressed.typed_in(otherwise={"starts_on": today.isoformat()}),
            "errors": pressed.errors,
            "basis_choices": BasisTag.choices,
            "agreement_choices": queries.agreements(actor),
            "public_url": f"/p/{actor.partnership.municipality.code}/",
        },
        refused=request.method == "POST",
    )


@with_actor(READ_ROLES)
def agreement_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    def create(form: forms.AgreementForm) -> str:
        created = services.create_agreement(actor, _agreement_spec(form.parsed()))
        success(request, _("Utkastet till samverkansöverenskommelse skapades."))
        return _url(created)

    pressed = submit(request, Button(create, forms.AgreementForm), allowed=actor.has(WRITE_ROLES))
    if pressed.response:
        return pressed.response
    page = paginate(request, queries.agreements(actor), 25)
    return render_page(
        request,
        "promises/agreement_list.html",
        {
            "page": page,
            "rows": _rows(page.object_list),
            "can_write": actor.has(WRITE_ROLES),
            "values": pressed.typed_in(otherwise={}),
            "errors": pressed.errors,
            "problem_choices": queries.problem_choices(actor) if actor.has(WRITE_ROLES) else [],
        },
        refused=request.method == "POST",
    )


# --- Shared document actions ------------------------------------------------------------------


def _url(document: Any) -> str:
    """The page of an agreement, a promise or a follow-up."""
    if isinstance(document, FollowUp):
        name = "follow-up-detail"
    elif isinstance(document, CitizenPromise):
        name = "promise-detail"
    else:
        name = "agreement-detail"
    return reverse(name, kwargs={"pk": document.pk})


def _document_buttons(request: HttpRequest, actor: Actor, document: Any) -> dict[str, Button]:
    """The buttons an agreement's and a promise's pages share (sign, unsign, new version)."""

    def sign(form: forms.SignForm) -> None:
        services.sign(actor, document, **form.parsed())
        if is_signed(queries.refreshed(document)):
            success(request, _("Alla parter har skrivit under. Dokumentet är nu låst."))
        else:
            success(request, _("Underskriften sparades."))

    def unsign(form: forms.RecordIdForm) -> None:
        services.remove_signature(actor, queries.signature(actor, form.parsed()["record"]))
        success(request, _("Underskriften togs bort."))

    def new_version(form: forms.ReasonForm) -> str:
        copy = services.new_version(actor, document, reason=form.parsed()["reason"])
        success(request, _("En ny version skapades som utkast."))
        return _url(copy)

    return {
        "sign": Button(sign, forms.SignForm),
        "unsign": Button(unsign, forms.RecordIdForm),
        "new_version": Button(new_version, forms.ReasonForm),
    }


def _document_detail(
    request: HttpRequest,
    actor: Actor,
    document: Any,
    buttons: dict[str, Button],
    page: Callable[..., HttpResponse],
) -> HttpResponse:
    """An agreement's or a promise's page: a pressed button (its own or one they share)
    writes and goes on; a refusal shows the page again with what was typed (400)."""
    pressed = press(
        request,
        {**_document_buttons(request, actor, document), **buttons},
        allowed=actor.has(WRITE_ROLES),
    )
    if pressed.response:
        return pressed.response
    return page(request, actor, document, pressed)


def _document_context(actor: Actor, document: Any, pressed: Pressed) -> dict[str, Any]:
    versions = queries.versions_of(document)
    previous = next((v for v in versions if v.pk == document.supersedes_id), None)
    newer = queries.open_draft_version(document)
    signed = is_signed(document)
    decided = pressed.refused == "decision"
    return {
        "doc": document,
        "status": _status(document),
        "signed": signed,
        "signed_on": signed_on(document),
        "parties": _parties(document),
        "versions": [{"doc": v, "status": _status(v), "url": _url(v)} for v in versions],
        "changes": differences(previous, document) if previous else [],
        "newer": newer,
        "newer_url": _url(newer) if newer else "",
        "can_write": actor.has(WRITE_ROLES),
        "can_edit": actor.has(WRITE_ROLES) and not signed,
        "today": timezone.localdate(),
        "refused": pressed.refused,
        "form_errors": {pressed.refused: pressed.errors} if pressed.refused else {},
        **links.decision_context(
            actor,
            document,
            form=pressed.form if decided else None,
            errors=pressed.errors if decided else None,
        ),
    }


def _groups(
    actor: Actor, document: CitizenPromise, items: list[Any], *, with_actions: bool
) -> list[dict[str, Any]]:
    """The items per focus area (those without one last), each with its progress, the
    areas and period it counts, and (for the roles that read every action) the actions."""
    counted = progress.internal_progress(items)
    matched = progress.matching_actions(items) if with_actions and actor.has(READ_ALL_ROLES) else {}
    groups: list[dict[str, Any]] = [
        {"area": area, "rows": []} for area in queries.focus_areas_of(document)
    ]
    by_pk = {g["area"].pk: g for g in groups}
    loose: dict[str, Any] = {"area": None, "rows": []}
    for item in items:
        row = {
            "item": item,
            "progress": counted[item.pk],
            "actions": matched.get(item.pk, []),
            "areas": [a.name for a in item.rule_areas.all()],
            "period": item.counting_period(),
        }
        by_pk.get(item.focus_area_id, loose)["rows"].append(row)
    if loose["rows"]:
        groups.append(loose)
    return groups


# --- Promise ----------------------------------------------------------------------------------


@with_actor(READ_ROLES)
def promise_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = queries.promise(actor, pk)
    buttons = _promise_buttons(request, actor, document)
    return _document_detail(request, actor, document, buttons, promise_page)


def promise_page(
    request: HttpRequest, actor: Actor, document: CitizenPromise, pressed: Pressed
) -> HttpResponse:
    """The promise's page (after a refusal: status 400, what was typed, the refusal)."""
    items = list(queries.items_of(document))
    today = timezone.localdate()
    return render_page(
        request,
        "promises/promise_detail.html",
        {
            **_document_context(actor, document, pressed),
            "values": pressed.typed_in("update", otherwise=_document_values(document)),
            "item_values": pressed.typed_in(
                "add_item", otherwise={"responsible": "gemensamt", "commitment": "antal"}
            ),
            "focus_areas": list(queries.focus_areas_of(document)),
            "groups": _groups(actor, document, items, with_actions=True),
            "follow_up_end": min(document.ends_on, max(today, document.starts_on)),
            "follow_ups": queries.follow_ups(actor, document),
            "renewals": document.renewals.all(),
            "basis_choices": BasisTag.choices,
            "responsible_choices": Responsible.choices,
            "commitment_choices": Commitment.choices,
            "action_types": ActionType.choices,
            "organisations": core_queries.organisations(actor),
            "areas": core_queries.areas(actor),
            "agreement_choices": queries.agreements(actor),
            "public_url": f"/p/{actor.partnership.municipality.code}/",
            "can_open_problems": queries.may_open_problems(actor),
            "problem_choices": queries.problem_choices(actor) if actor.has(WRITE_ROLES) else [],
            "plan_item_choices": (
                queries.plan_item_choices(actor) if actor.has(WRITE_ROLES) else []
            ),
        },
        refused=bool(pressed.refused),
    )


def _promise_buttons(
    request: HttpRequest, actor: Actor, document: CitizenPromise
) -> dict[str, Button]:
    def update(form: forms.PromiseForm) -> None:
        services.update_promise(actor, document, _promise_spec(form.parsed()))
        success(request, _("Ändringarna sparades."))

    def add_area(form: forms.FocusAreaForm) -> None:
        services.add_focus_area(actor, document, **form.parsed())
        success(request, _("Fokusområdet lades till."))

    def delete_area(form: forms.RecordIdForm) -> None:
        area = part_of(queries.focus_area(actor, form.parsed()["record"]), document, "promise")
        services.delete_focus_area(actor, area)
        success(request, _("Fokusområdet togs bort."))

    def add_item(form: forms.ItemForm) -> None:
        services.add_item(actor, document, _item_spec(form.parsed()))
        success(request, _("Åtagandet lades till."))

    def delete_item(form: forms.RecordIdForm) -> None:
        found = part_of(queries.item(actor, form.parsed()["record"]), document, "promise")
        services.delete_item(actor, found)
        success(request, _("Åtagandet togs bort."))

    def renew(form: None) -> str:
        renewed = services.renew(actor, document)
        success(request, _("Nästa periods löfte skapades som utkast."))
        return _url(renewed)

    def follow_up(form: forms.FollowUpForm) -> str:
        created = services.start_follow_up(actor, document, **form.parsed())
        success(request, _("Uppföljningen skapades. Bedöm varje åtagande."))
        return _url(created)

    return {
        "update": Button(update, forms.PromiseForm),
        "add_area": Button(add_area, forms.FocusAreaForm),
        "delete_area": Button(delete_area, forms.RecordIdForm),
        "add_item": Button(add_item, forms.ItemForm),
        "delete_item": Button(delete_item, forms.RecordIdForm),
        "renew": Button(renew),
        "follow_up": Button(follow_up, forms.FollowUpForm),
    }


@with_actor(READ_ROLES)
def promise_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = queries.promise(actor, pk)
    items = list(queries.items_of(document))
    context = {
        **_document_context(actor, document, Pressed()),
        "can_write": False,
        "can_edit": False,
        "can_decide": False,
        "groups": _groups(actor, document, items, with_actions=False),
        "action_types": ActionType.choices,
    }
    return download(
        render_pdf("promises/promise_detail.html", context, request),
        "application/pdf",
        f"medborgarlofte-{document.starts_on:%Y}-v{document.version}.pdf",
        inline=True,
    )


# --- Agreement --------------------------------------------------------------------------------


@with_actor(READ_ROLES)
def agreement_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = queries.agreement(actor, pk)
    buttons = _agreement_buttons(request, actor, document)
    return _document_detail(request, actor, document, buttons, agreement_page)


def agreement_page(
    request: HttpRequest, actor: Actor, document: CooperationAgreement, pressed: Pressed
) -> HttpResponse:
    """The agreement's page (after a refusal: status 400, what was typed, the refusal)."""
    return render_page(
        request,
        "promises/agreement_detail.html",
        {
            **_document_context(actor, document, pressed),
            "values": pressed.typed_in("update", otherwise=_document_values(document)),
            "annexes": document.annexes.all(),
            "pictures": queries.adoptable_pictures(actor),
            "promises": document.promises.all(),
            "agreement_problems": list(document.problems.all()),
            "can_open_problems": queries.may_open_problems(actor),
            "problem_choices": queries.problem_choices(actor) if actor.has(WRITE_ROLES) else [],
        },
        refused=bool(pressed.refused),
    )


def _agreement_buttons(
    request: HttpRequest, actor: Actor, document: CooperationAgreement
) -> dict[str, Button]:
    def update(form: forms.AgreementForm) -> None:
        services.update_agreement(actor, document, _agreement_spec(form.parsed()))
        success(request, _("Ändringarna sparades."))

    def add_annex(form: forms.AnnexForm) -> None:
        data = form.parsed()
        services.add_annex(
            actor, document, title=data["title"], picture=data["picture"], upload=data["file"]
        )
        success(request, _("Bilagan lades till."))

    def delete_annex(form: forms.RecordIdForm) -> None:
        found = part_of(queries.annex(actor, form.parsed()["record"]), document, "agreement")
        services.delete_annex(actor, found)
        success(request, _("Bilagan togs bort."))

    return {
        "update": Button(update, forms.AgreementForm),
        "add_annex": Button(add_annex, forms.AnnexForm),
        "delete_annex": Button(delete_annex, forms.RecordIdForm),
    }


@with_actor(READ_ROLES)
def annex_file(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    found = queries.annex(actor, pk)
    if found.picture_id:
        return redirect("situation-detail", pk=found.picture_id)
    if not found.file:
        raise Http404
    if not default_storage.exists(found.file):
        raise Http404
    with default_storage.open(found.file, "rb") as handle:
        body = handle.read()
    response = download(body, "application/pdf", f"bilaga-{found.pk}.pdf", inline=True)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Decisions ---------------------------------------------------------------------------------


def _decide(
    request: HttpRequest, actor: Actor, document: Any, page: Callable[..., HttpResponse]
) -> HttpResponse:
    """Record the posted decision about a draft, or show the page again with the refusal
    beside its field (400)."""
    if not actor.has(WRITE_ROLES):
        raise Http404
    if request.method != "POST":
        return redirect(_url(document))

    def decide(form: DecisionForm) -> None:
        links.record_decision(actor, document, form)
        success(request, _("Beslutet sparades."))

    button = Button(decide, DecisionForm)
    pressed = submit(request, button, then=_url(document) + "#decision-trail", name="decision")
    if pressed.response:
        return pressed.response
    return page(request, actor, document, pressed)


@with_actor(READ_ROLES)
def promise_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _decide(request, actor, queries.promise(actor, pk), promise_page)


@with_actor(READ_ROLES)
def agreement_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    return _decide(request, actor, queries.agreement(actor, pk), agreement_page)


# --- Follow-up --------------------------------------------------------------------------------


def _follow_up_context(actor: Actor, follow_up: FollowUp) -> dict[str, Any]:
    document = follow_up.promise
    if follow_up.is_adopted:
        rows = follow_up.snapshot.get("items", [])
        shown = follow_up.snapshot.get("indicators", {})
    else:
        draft = progress.follow_up_snapshot(follow_up)
        rows, shown = draft["items"], draft["indicators"]
    entries = {e.item.number: e for e in follow_up.entries.all()}
    return {
        "follow_up": follow_up,
        "doc": document,
        "rows": [{**row, "entry": entries.get(row["number"])} for row in rows],
        "indicators": shown,
        "assessments": Assessment.choices,
        "can_write": actor.has(WRITE_ROLES) and not follow_up.is_adopted,
        **links.effect_context(actor, follow_up),
    }


def _follow_up_buttons(
    request: HttpRequest, actor: Actor, follow_up: FollowUp
) -> dict[str, Button]:
    def summary(form: forms.SummaryForm) -> None:
        services.set_follow_up_summary(actor, follow_up, summary=form.parsed()["summary"])
        success(request, _("Sammanfattningen sparades."))

    def assess(form: forms.AssessForm) -> None:
        data = form.parsed()
        entry = part_of(queries.follow_up_entry(actor, data["record"]), follow_up, "follow_up")
        services.assess(actor, entry, assessment=data["assessment"], comment=data["comment"])
        success(request, _("Bedömningen sparades."))

    def adopt(form: None) -> None:
        services.adopt_follow_up(actor, follow_up)
        success(request, _("Uppföljningen är antagen och publicerad. Medlemmarna har fått besked."))

    return {
        "summary": Button(summary, forms.SummaryForm),
        "assess": Button(assess, forms.AssessForm),
        "adopt": Button(adopt),
    }


@with_actor(READ_ROLES)
def follow_up_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    follow_up = queries.follow_up(actor, pk)
    pressed = press(
        request, _follow_up_buttons(request, actor, follow_up), allowed=actor.has(WRITE_ROLES)
    )
    if pressed.response:
        return pressed.response
    return render_page(
        request,
        "promises/follow_up.html",
        {
            **_follow_up_context(actor, follow_up),
            "errors": pressed.errors,
            "typed": pressed.typed_in("assess", otherwise={}),
        },
        refused=bool(pressed.refused),
    )


@with_actor(READ_ROLES)
def follow_up_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    follow_up = queries.follow_up(actor, pk)
    context = {
        **_follow_up_context(actor, follow_up),
        "can_write": False,
        "errors": {},
        "typed": {},
    }
    return download(
        render_pdf("promises/follow_up.html", context, request),
        "application/pdf",
        f"uppfoljning-{follow_up.period_end:%Y-%m-%d}.pdf",
        inline=True,
    )


# --- The public page --------------------------------------------------------------------------


def public_promise(request: HttpRequest, kommunkod: str) -> HttpResponse:
    """The partnership's citizen promise as anyone may read it (no login, no script)."""
    partnership = public_partnership(kommunkod)
    data = published.public_data(partnership)
    return render(request, "promises/public.html", {"partnership": partnership, "data": data})
