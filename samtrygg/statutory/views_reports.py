"""Pages of the statutory lägesbild: the overview with the versions, a version's document
with its texts, consultations, decision trail, adoption and new version, and its PDF and DOCX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError
from samtrygg.core.forms import SubmitForm, typed
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import render_page, report_error, success, with_actor
from samtrygg.statutory import document, drafting, forms, queries, services, trail
from samtrygg.statutory.models import ConsultedActor, ReportStatus, StatutoryReport
from samtrygg.statutory.permissions import ADOPTED_ROLES, EDIT_ROLES, READ_ROLES


def _refused(request: HttpRequest, exc: DomainError, fields: tuple[str, ...]) -> dict[str, str]:
    if exc.field in fields:
        messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
        return {exc.field: exc.message}
    report_error(request, exc)
    return {}


@with_actor(ADOPTED_ROLES)
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    values = {"year": str(drafting.default_year())}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not actor.has(EDIT_ROLES):
            raise Http404
        form = forms.DraftForm(request.POST)
        try:
            report = services.draft_report(actor, year=form.parsed()["year"])
            success(request, _("Utkastet är beräknat från Samtryggs data."))
            return redirect("statutory-report", pk=report.pk)
        except DomainError as exc:
            values = typed(form)
            errors = _refused(request, exc, ("year",))
    can_read = actor.has(READ_ROLES)
    return render_page(
        request,
        "statutory/overview.html",
        {
            "reports": queries.reports(actor),
            "draft": queries.current_draft(actor),
            "adopted": queries.latest_adopted(actor),
            "obligations": queries.obligations(actor),
            "problem_count": queries.problems(actor).count() if can_read else None,
            "plan_count": queries.plan_items(actor).count() if can_read else None,
            "can_edit": actor.has(EDIT_ROLES),
            "can_read": can_read,
            "values": values,
            "errors": errors,
        },
        refused=request.method == "POST",
    )


def _report_context(actor: Actor, report: StatutoryReport) -> dict[str, Any]:
    doc = document.document(report)
    problems = {p["id"]: p for p in doc["analys"]["problems"]}
    plan_by_problem: dict[int, list[dict[str, Any]]] = {}
    for item in doc["atgardsplan"]:
        plan_by_problem.setdefault(item["problem"], []).append(item)
    police = doc["kartlaggning"]["police_events"]
    bra_years = sorted({row["year"] for row in doc["kartlaggning"]["bra"]})
    superseded = report.supersedes
    changes = (
        document.differences(document.document(superseded), doc)
        if superseded is not None and superseded.status != ReportStatus.UTKAST
        else []
    )
    return {
        "report": report,
        "doc": doc,
        "problems": list(problems.values()),
        "plan_groups": [
            {"problem": problems[pid], "items": items}
            for pid, items in plan_by_problem.items()
            if pid in problems
        ],
        "police": police,
        "bra_years": bra_years,
        "changes": changes,
        "text_sections": [
            {"key": key, "part": part, "label": label, "text": (report.texts or {}).get(key, "")}
            for key, part, label in drafting.TEXT_SECTIONS
        ],
        "consulted_actors": ConsultedActor.choices,
        "consultation_labels": dict(ConsultedActor.choices),
    }


@with_actor()
def report_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    report = queries.report(actor, pk)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"date": timezone.localdate().isoformat()}
    refused = ""
    if request.method == "POST":
        if not actor.has(EDIT_ROLES):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        form: Any = None
        try:
            if what == "text":
                form = forms.TextsForm(request.POST)
                data = form.parsed()
                services.save_text(actor, report, section=data["section"], text=data["text"])
                success(request, _("Texten sparades."))
            elif what == "recompute":
                services.recompute_report(actor, report)
                success(request, _("Uppgifterna är beräknade på nytt från dagens data."))
            elif what == "consultation":
                form = forms.ConsultationForm(request.POST)
                services.add_consultation(actor, report, **form.parsed())
                success(request, _("Samrådet lades till."))
            elif what == "remove-consultation":
                ref = forms.ConsultationRefForm(request.POST).parsed()
                entry = queries.consultation(actor, ref["entry"])
                if entry.report_id != report.pk:
                    raise Http404
                services.remove_consultation(actor, entry)
                success(request, _("Samrådet togs bort."))
            elif what == "adopt":
                services.adopt_report(actor, report)
                success(request, _("Lägesbilden och åtgärdsplanen är antagna och låsta."))
            elif what == "new-version":
                form = forms.NewVersionForm(request.POST)
                draft = services.new_version(actor, report, reason=form.parsed()["reason"])
                success(request, _("En ny version är skapad som utkast."))
                return redirect("statutory-report", pk=draft.pk)
            else:
                raise Http404
            return redirect(reverse("statutory-report", args=[report.pk]) + _anchor(what))
        except DomainError as exc:
            refused = what or "post"
            if what == "text":
                values = typed(form)
                errors = _refused(request, exc, ("text",))
            elif what == "consultation":
                values = typed(form)
                errors = _refused(
                    request, exc, ("actor_kind", "actor_name", "date", "contribution")
                )
            elif what == "new-version":
                values = typed(form)
                errors = _refused(request, exc, ("reason",))
            else:
                report_error(request, exc)
    context = _report_context(actor, report)
    context.update(
        trail.context(actor, report, reverse("statutory-report-decide", args=[report.pk]))
    )
    context.update(
        {
            "values": values,
            "errors": errors,
            "refused": refused,
            "can_edit": actor.has(EDIT_ROLES) and report.is_editable,
            "can_supersede": actor.has(EDIT_ROLES) and report.status == ReportStatus.ANTAGEN,
            "today": timezone.localdate(),
        }
    )
    return render_page(request, "statutory/report.html", context, refused=bool(refused))


def _anchor(what: str | None) -> str:
    return {
        "text": "#texter",
        "consultation": "#samrad",
        "remove-consultation": "#samrad",
    }.get(what or "", "")


@with_actor()
def report_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    report = queries.report(actor, pk)
    actor.require(EDIT_ROLES)
    if request.method != "POST":
        return redirect("statutory-report", pk=report.pk)
    posted = forms.DecisionForm(request.POST)
    try:
        trail.record(actor, report, posted)
        success(request, _("Beslutet registrerades."))
        return redirect(reverse("statutory-report", args=[report.pk]) + "#decision-trail")
    except DomainError as exc:
        fields = ("body", "date", "reference", "outcome", "note")
        decision_errors = _refused(request, exc, fields)
    context = _report_context(actor, report)
    context.update(
        trail.context(
            actor,
            report,
            reverse("statutory-report-decide", args=[report.pk]),
            form=posted,
            errors=decision_errors,
        )
    )
    context.update(
        {
            "values": {},
            "errors": {},
            "refused": "decision",
            "can_edit": report.is_editable,
            "can_supersede": report.status == ReportStatus.ANTAGEN,
            "today": timezone.localdate(),
        }
    )
    return render_page(request, "statutory/report.html", context, refused=True)


def _filename(report: StatutoryReport, ext: str) -> str:
    return (
        f"lagesbild-{report.partnership.municipality_id}-{report.period_label}"
        f"-v{report.version}.{ext}"
    )


@with_actor()
def report_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    from samtrygg.statutory import exports

    report = queries.report(actor, pk)
    with translation.override("sv"):
        body = exports.pdf(report)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(report, "pdf")}"'
    return response


@with_actor()
def report_docx(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    from samtrygg.statutory import exports

    report = queries.report(actor, pk)
    with translation.override("sv"):
        body = exports.docx(report)
    response = HttpResponse(body, content_type=exports.DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "docx")}"'
    return response
