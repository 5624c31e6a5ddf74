"""Pages of agreements, citizen promises and follow-ups, and the public page /p/<kommunkod>/.
Thin: parse, call a service or query, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.actions.models import ActionType
from samtrygg.actions.permissions import READ_ALL_ROLES
from samtrygg.core import queries as core_queries
from samtrygg.core.errors import DomainError
from samtrygg.core.forms import SubmitForm, typed
from samtrygg.core.permissions import Actor
from samtrygg.core.public import public_partnership
from samtrygg.core.views_helpers import paginate, render_page, report_error, success, with_actor
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

PROMISE_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "intro",
    "basis_tags",
    "basis_text",
    "other_parties",
    "agreement",
)
AGREEMENT_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "goals",
    "follow_up_method",
    "other_parties",
    "problems",
)
ITEM_FIELDS = (
    "text",
    "focus_area",
    "responsible",
    "organisation",
    "commitment",
    "condition",
    "target",
    "unit",
    "rule_types",
    "rule_areas",
    "rule_from",
    "rule_to",
    "plan_item",
    "problem",
)
SIGN_FIELDS = ("party", "name", "title", "signed_on")
# Fields of the smaller forms (a focus area, a new version, a follow-up, an annex, a decision).
OTHER_FIELDS = (
    "title",
    "description",
    "reason",
    "period_start",
    "period_end",
    "picture",
    "file",
    "body",
    "date",
    "reference",
    "outcome",
    "note",
)


def _refused(request: HttpRequest, exc: DomainError, fields: tuple[str, ...]) -> dict[str, str]:
    """A refusal beside its field (with a line on top that nothing was saved), else on top."""
    if exc.field in fields:
        messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
        return {exc.field: exc.message}
    report_error(request, exc)
    return {}


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


def _pressed(request: HttpRequest) -> str:
    """Which of the page's buttons was pressed."""
    return SubmitForm(request.POST).pressed()


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


# --- Lists ------------------------------------------------------------------------------------


@with_actor(READ_ROLES)
def promise_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not actor.has(WRITE_ROLES):
            raise Http404
        values = typed(forms.PromiseForm(request.POST))
        try:
            created = services.create_promise(
                actor, _promise_spec(forms.PromiseForm(request.POST).parsed())
            )
            success(request, _("Utkastet till medborgarlöfte skapades."))
            return redirect("promise-detail", pk=created.pk)
        except DomainError as exc:
            errors = _refused(request, exc, PROMISE_FIELDS)
    page = paginate(request, queries.promises(actor), 25)
    rows = [{"doc": p, "status": _status(p), "signed_on": signed_on(p)} for p in page.object_list]
    agreement_rows = [
        {"doc": a, "status": _status(a), "signed_on": signed_on(a)}
        for a in queries.agreements(actor)[:20]
    ]
    today = timezone.localdate()
    return render_page(
        request,
        "promises/promise_list.html",
        {
            "page": page,
            "rows": rows,
            "agreements": agreement_rows,
            "can_write": actor.has(WRITE_ROLES),
            "values": values or {"starts_on": today.isoformat()},
            "errors": errors,
            "basis_choices": BasisTag.choices,
            "agreement_choices": queries.agreements(actor),
            "public_url": f"/p/{actor.partnership.municipality.code}/",
        },
        refused=request.method == "POST",
    )


@with_actor(READ_ROLES)
def agreement_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not actor.has(WRITE_ROLES):
            raise Http404
        values = typed(forms.AgreementForm(request.POST))
        try:
            created = services.create_agreement(
                actor, _agreement_spec(forms.AgreementForm(request.POST).parsed())
            )
            success(request, _("Utkastet till samverkansöverenskommelse skapades."))
            return redirect("agreement-detail", pk=created.pk)
        except DomainError as exc:
            errors = _refused(request, exc, AGREEMENT_FIELDS)
    page = paginate(request, queries.agreements(actor), 25)
    rows = [{"doc": a, "status": _status(a), "signed_on": signed_on(a)} for a in page.object_list]
    return render_page(
        request,
        "promises/agreement_list.html",
        {
            "page": page,
            "rows": rows,
            "can_write": actor.has(WRITE_ROLES),
            "values": values,
            "errors": errors,
            "problem_choices": queries.problem_choices(actor) if actor.has(WRITE_ROLES) else [],
        },
        refused=request.method == "POST",
    )


# --- Shared document actions ------------------------------------------------------------------


def _document_post(request: HttpRequest, actor: Actor, document: Any, what: str) -> Any:
    """The writes an agreement and a promise share (sign, unsign, new version, decision).
    Returns the page to go to, or None when ``what`` is not one of them."""
    if what == "sign":
        data = forms.SignForm(request.POST).parsed()
        services.sign(
            actor,
            document,
            party=data["party"],
            name=data["name"],
            title=data["title"],
            signed_on=data["signed_on"],
        )
        if is_signed(queries.refreshed(document)):
            success(request, _("Alla parter har skrivit under. Dokumentet är nu låst."))
        else:
            success(request, _("Underskriften sparades."))
        return document
    if what == "unsign":
        record = queries.signature(actor, forms.RecordIdForm(request.POST).parsed()["record"])
        services.remove_signature(actor, record)
        success(request, _("Underskriften togs bort."))
        return document
    if what == "new_version":
        copy = services.new_version(
            actor, document, reason=forms.ReasonForm(request.POST).parsed()["reason"]
        )
        success(request, _("En ny version skapades som utkast."))
        return copy
    return None


def _url(document: Any) -> str:
    name = "promise-detail" if isinstance(document, CitizenPromise) else "agreement-detail"
    return reverse(name, kwargs={"pk": document.pk})


def _document_context(
    actor: Actor,
    document: Any,
    refused: str = "",
    errors: dict[str, str] | None = None,
    decision_form: DecisionForm | None = None,
) -> dict[str, Any]:
    versions = queries.versions_of(document)
    previous = next((v for v in versions if v.pk == document.supersedes_id), None)
    newer = queries.open_draft_version(document)
    signed = is_signed(document)
    decision_errors = errors if refused == "decision" else None
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
        "refused": refused,
        "form_errors": {refused: errors or {}} if refused else {},
        **links.decision_context(actor, document, form=decision_form, errors=decision_errors),
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
    values = _document_values(document)
    item_values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    refused = ""
    if request.method == "POST":
        what = _pressed(request)
        if not actor.has(WRITE_ROLES):
            raise Http404
        try:
            goto = _document_post(request, actor, document, what)
            if goto is None:
                goto = _promise_post(request, actor, document, what)
            if isinstance(goto, FollowUp):
                return redirect("follow-up-detail", pk=goto.pk)
            return redirect("promise-detail", pk=goto.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "update":
                values = typed(forms.PromiseForm(request.POST))
                errors = _refused(request, exc, PROMISE_FIELDS)
            elif what == "add_item":
                item_values = typed(forms.ItemForm(request.POST))
                errors = _refused(request, exc, ITEM_FIELDS)
            elif what == "sign":
                errors = _refused(request, exc, SIGN_FIELDS)
            else:
                errors = _refused(request, exc, OTHER_FIELDS)
    return promise_page(
        request,
        actor,
        document,
        refused=refused,
        errors=errors,
        values=values,
        item_values=item_values,
    )


def promise_page(
    request: HttpRequest,
    actor: Actor,
    document: CitizenPromise,
    *,
    refused: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    item_values: dict[str, Any] | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    """The promise's page (after a refusal: status 400, what was typed, the refusal)."""
    items = list(queries.items_of(document))
    today = timezone.localdate()
    return render_page(
        request,
        "promises/promise_detail.html",
        {
            **_document_context(actor, document, refused, errors, decision_form),
            "values": values or _document_values(document),
            "item_values": item_values or {"responsible": "gemensamt", "commitment": "antal"},
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
        refused=bool(refused),
    )


def _promise_post(request: HttpRequest, actor: Actor, document: CitizenPromise, what: str) -> Any:
    if what == "update":
        services.update_promise(
            actor, document, _promise_spec(forms.PromiseForm(request.POST).parsed())
        )
        success(request, _("Ändringarna sparades."))
        return document
    if what == "add_area":
        data = forms.FocusAreaForm(request.POST).parsed()
        services.add_focus_area(
            actor, document, title=data["title"], description=data["description"]
        )
        success(request, _("Fokusområdet lades till."))
        return document
    if what == "delete_area":
        area = queries.focus_area(actor, forms.RecordIdForm(request.POST).parsed()["record"])
        if area.promise_id != document.pk:
            raise Http404
        services.delete_focus_area(actor, area)
        success(request, _("Fokusområdet togs bort."))
        return document
    if what == "add_item":
        services.add_item(actor, document, _item_spec(forms.ItemForm(request.POST).parsed()))
        success(request, _("Åtagandet lades till."))
        return document
    if what == "delete_item":
        found = queries.item(actor, forms.RecordIdForm(request.POST).parsed()["record"])
        if found.promise_id != document.pk:
            raise Http404
        services.delete_item(actor, found)
        success(request, _("Åtagandet togs bort."))
        return document
    if what == "renew":
        renewed = services.renew(actor, document)
        success(request, _("Nästa periods löfte skapades som utkast."))
        return renewed
    if what == "follow_up":
        data = forms.FollowUpForm(request.POST).parsed()
        created = services.start_follow_up(
            actor, document, period_start=data["period_start"], period_end=data["period_end"]
        )
        success(request, _("Uppföljningen skapades. Bedöm varje åtagande."))
        return created
    raise Http404


@with_actor(READ_ROLES)
def promise_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = queries.promise(actor, pk)
    items = list(queries.items_of(document))
    context = {
        **_document_context(actor, document),
        "can_write": False,
        "can_edit": False,
        "can_decide": False,
        "groups": _groups(actor, document, items, with_actions=False),
        "action_types": ActionType.choices,
    }
    response = HttpResponse(
        render_pdf("promises/promise_detail.html", context, request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'inline; filename="medborgarlofte-{document.starts_on:%Y}-v{document.version}.pdf"'
    )
    return response


# --- Agreement --------------------------------------------------------------------------------


@with_actor(READ_ROLES)
def agreement_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    document = queries.agreement(actor, pk)
    values = _document_values(document)
    errors: dict[str, str] = {}
    refused = ""
    if request.method == "POST":
        what = _pressed(request)
        if not actor.has(WRITE_ROLES):
            raise Http404
        try:
            goto = _document_post(request, actor, document, what)
            if goto is None:
                goto = _agreement_post(request, actor, document, what)
            return redirect("agreement-detail", pk=goto.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "update":
                values = typed(forms.AgreementForm(request.POST))
                errors = _refused(request, exc, AGREEMENT_FIELDS)
            elif what == "sign":
                errors = _refused(request, exc, SIGN_FIELDS)
            else:
                errors = _refused(request, exc, OTHER_FIELDS)
    return agreement_page(request, actor, document, refused=refused, errors=errors, values=values)


def agreement_page(
    request: HttpRequest,
    actor: Actor,
    document: CooperationAgreement,
    *,
    refused: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    """The agreement's page (after a refusal: status 400, what was typed, the refusal)."""
    return render_page(
        request,
        "promises/agreement_detail.html",
        {
            **_document_context(actor, document, refused, errors, decision_form),
            "values": values or _document_values(document),
            "annexes": document.annexes.all(),
            "pictures": queries.adoptable_pictures(actor),
            "promises": document.promises.all(),
            "agreement_problems": list(document.problems.all()),
            "can_open_problems": queries.may_open_problems(actor),
            "problem_choices": queries.problem_choices(actor) if actor.has(WRITE_ROLES) else [],
        },
        refused=bool(refused),
    )


def _agreement_post(
    request: HttpRequest, actor: Actor, document: CooperationAgreement, what: str
) -> Any:
    if what == "update":
        services.update_agreement(
            actor, document, _agreement_spec(forms.AgreementForm(request.POST).parsed())
        )
        success(request, _("Ändringarna sparades."))
        return document
    if what == "add_annex":
        form = forms.AnnexForm(request.POST, request.FILES)
        data = form.parsed()
        services.add_annex(
            actor, document, title=data["title"], picture=data["picture"], upload=data["file"]
        )
        success(request, _("Bilagan lades till."))
        return document
    if what == "delete_annex":
        found = queries.annex(actor, forms.RecordIdForm(request.POST).parsed()["record"])
        if found.agreement_id != document.pk:
            raise Http404
        services.delete_annex(actor, found)
        success(request, _("Bilagan togs bort."))
        return document
    raise Http404


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
        response = HttpResponse(handle.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bilaga-{found.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Decisions ---------------------------------------------------------------------------------

DECISION_FIELDS = ("body", "date", "reference", "outcome", "note")


def _decide(
    request: HttpRequest, actor: Actor, document: Any, page: Callable[..., HttpResponse]
) -> HttpResponse:
    """Record the posted decision about a draft, or show the page again with the refusal
    beside its field (400)."""
    if not actor.has(WRITE_ROLES):
        raise Http404
    if request.method != "POST":
        return redirect(_url(document))
    posted = DecisionForm(request.POST)
    try:
        links.record_decision(actor, document, posted)
    except DomainError as exc:
        errors = _refused(request, exc, DECISION_FIELDS)
        return page(
            request, actor, document, refused="decision", errors=errors, decision_form=posted
        )
    success(request, _("Beslutet sparades."))
    return redirect(_url(document) + "#decision-trail")


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


@with_actor(READ_ROLES)
def follow_up_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    follow_up = queries.follow_up(actor, pk)
    errors: dict[str, str] = {}
    shown: dict[str, Any] = {}
    refused = False
    if request.method == "POST":
        if not actor.has(WRITE_ROLES):
            raise Http404
        what = _pressed(request)
        try:
            _follow_up_post(request, actor, follow_up, what)
            return redirect("follow-up-detail", pk=follow_up.pk)
        except DomainError as exc:
            refused = True
            if what == "assess":
                shown = typed(forms.AssessForm(request.POST))
            errors = _refused(request, exc, ("assessment", "comment", "summary"))
    return render_page(
        request,
        "promises/follow_up.html",
        {**_follow_up_context(actor, follow_up), "errors": errors, "typed": shown},
        refused=refused,
    )


def _follow_up_post(request: HttpRequest, actor: Actor, follow_up: FollowUp, what: str) -> None:
    actions: dict[str, Callable[[], None]] = {}

    def summary() -> None:
        text = forms.SummaryForm(request.POST).parsed()["summary"]
        services.set_follow_up_summary(actor, follow_up, summary=text)
        success(request, _("Sammanfattningen sparades."))

    def assess() -> None:
        data = forms.AssessForm(request.POST).parsed()
        entry = queries.follow_up_entry(actor, data["record"])
        if entry.follow_up_id != follow_up.pk:
            raise Http404
        services.assess(actor, entry, assessment=data["assessment"], comment=data["comment"])
        success(request, _("Bedömningen sparades."))

    def adopt() -> None:
        services.adopt_follow_up(actor, follow_up)
        success(request, _("Uppföljningen är antagen och publicerad. Medlemmarna har fått besked."))

    actions = {"summary": summary, "assess": assess, "adopt": adopt}
    if what not in actions:
        raise Http404
    actions[what]()


@with_actor(READ_ROLES)
def follow_up_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    follow_up = queries.follow_up(actor, pk)
    context = {
        **_follow_up_context(actor, follow_up),
        "can_write": False,
        "errors": {},
        "typed": {},
    }
    response = HttpResponse(
        render_pdf("promises/follow_up.html", context, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="uppfoljning-{follow_up.period_end:%Y-%m-%d}.pdf"'
    )
    return response


# --- The public page --------------------------------------------------------------------------


def public_promise(request: HttpRequest, kommunkod: str) -> HttpResponse:
    """The partnership's citizen promise as anyone may read it (no login, no script)."""
    partnership = public_partnership(kommunkod)
    data = published.public_data(partnership)
    return render(request, "promises/public.html", {"partnership": partnership, "data": data})
