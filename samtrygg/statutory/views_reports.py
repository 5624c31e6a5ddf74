"""Pages of the statutory lägesbild: the overview with the versions, a version's document
with its texts, consultations, decision trail, adoption and new version, and its PDF and DOCX."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samtrygg.core.documentviews import Button, Pressed, part_of, press, submit
from samtrygg.core.pagekit import download
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import render_page, success, with_actor
from samtrygg.statutory import document, drafting, exports, forms, queries, services, trail
from samtrygg.statutory.models import ConsultedActor, ReportStatus, StatutoryReport
from samtrygg.statutory.permissions import ADOPTED_ROLES, EDIT_ROLES, READ_ROLES


@with_actor(ADOPTED_ROLES)
def overview(request: HttpRequest, actor: Actor) -> HttpResponse:
    def draft(form: forms.DraftForm) -> str:
        report = services.draft_report(actor, year=form.parsed()["year"])
        success(request, _("Utkastet är beräknat från Samtryggs data."))
        return reverse("statutory-report", args=[report.pk])

    pressed = submit(request, Button(draft, forms.DraftForm), allowed=actor.has(EDIT_ROLES))
    if pressed.response:
        return pressed.response
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
            "values": pressed.typed_in(otherwise={"year": str(drafting.default_year())}),
            "errors": pressed.errors,
        },
        refused=request.method == "POST",
    )


def _report_context(actor: Actor, report: StatutoryReport) -> dict[str, Any]:
    """What the PDF shows of a version, and what the page adds: the Brå years, the changes
    since the version it supersedes and the texts to edit."""
    context = exports.pdf_context(report)
    doc = context["doc"]
    superseded = report.supersedes
    changes = (
        document.differences(document.document(superseded), doc)
        if superseded is not None and superseded.status != ReportStatus.UTKAST
        else []
    )
    return {
        **context,
        "bra_years": sorted({row["year"] for row in doc["kartlaggning"]["bra"]}),
        "changes": changes,
        "text_sections": [
            {"key": key, "part": part, "label": label, "text": (report.texts or {}).get(key, "")}
            for key, part, label in drafting.TEXT_SECTIONS
        ],
        "consulted_actors": ConsultedActor.choices,
        "consultation_labels": dict(ConsultedActor.choices),
    }


def _report_buttons(
    request: HttpRequest, actor: Actor, report: StatutoryReport
) -> dict[str, Button]:
    page = reverse("statutory-report", args=[report.pk])

    def save_text(form: forms.TextsForm) -> str:
        data = form.parsed()
        services.save_text(actor, report, section=data["section"], text=data["text"])
        success(request, _("Texten sparades."))
        return page + "#texter"

    def recompute(form: None) -> None:
        services.recompute_report(actor, report)
        success(request, _("Uppgifterna är beräknade på nytt från dagens data."))

    def add_consultation(form: forms.ConsultationForm) -> str:
        services.add_consultation(actor, report, **form.parsed())
        success(request, _("Samrådet lades till."))
        return page + "#samrad"

    def remove_consultation(form: forms.ConsultationRefForm) -> str:
        entry = part_of(queries.consultation(actor, form.parsed()["entry"]), report, "report")
        services.remove_consultation(actor, entry)
        success(request, _("Samrådet togs bort."))
        return page + "#samrad"

    def adopt(form: None) -> None:
        services.adopt_report(actor, report)
        success(request, _("Lägesbilden och åtgärdsplanen är antagna och låsta."))

    def new_version(form: forms.NewVersionForm) -> str:
        draft = services.new_version(actor, report, reason=form.parsed()["reason"])
        success(request, _("En ny version är skapad som utkast."))
        return reverse("statutory-report", args=[draft.pk])

    return {
        # The section is a hidden choice of the text's own form.
        "text": Button(save_text, forms.TextsForm, fields=("text",)),
        "recompute": Button(recompute),
        "consultation": Button(add_consultation, forms.ConsultationForm),
        "remove-consultation": Button(remove_consultation, forms.ConsultationRefForm),
        "adopt": Button(adopt),
        "new-version": Button(new_version, forms.NewVersionForm),
    }


def _report_page(
    request: HttpRequest,
    actor: Actor,
    report: StatutoryReport,
    pressed: Pressed,
    *,
    values: dict[str, Any],
    may_edit: bool,
    decision: Pressed | None = None,
) -> HttpResponse:
    """A version's page; after a refused form (or a refused decision) with status 400, what
    was typed and the refusal beside its field."""
    context = _report_context(actor, report)
    context.update(
        trail.context(
            actor,
            report,
            reverse("statutory-report-decide", args=[report.pk]),
            form=decision.form if decision else None,
            errors=decision.errors if decision else None,
        )
    )
    context.update(
        {
            "values": values,
            "errors": pressed.errors,
            "refused": "decision" if decision else pressed.refused,
            "can_edit": may_edit and report.is_editable,
            "can_supersede": may_edit and report.status == ReportStatus.ANTAGEN,
            "today": timezone.localdate(),
        }
    )
    refused = bool(decision or pressed.refused)
    return render_page(request, "statutory/report.html", context, refused=refused)


@with_actor()
def report_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    report = queries.report(actor, pk)
    pressed = press(request, _report_buttons(request, actor, report), allowed=actor.has(EDIT_ROLES))
    if pressed.response:
        return pressed.response
    values = pressed.typed_in(
        "text", "consultation", "new-version", otherwise={"date": timezone.localdate().isoformat()}
    )
    return _report_page(
        request, actor, report, pressed, values=values, may_edit=actor.has(EDIT_ROLES)
    )


@with_actor()
def report_decide(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    report = queries.report(actor, pk)
    actor.require(EDIT_ROLES)
    page = reverse("statutory-report", args=[report.pk])
    if request.method != "POST":
        return redirect(page)

    def decide(form: forms.DecisionForm) -> None:
        trail.record(actor, report, form)
        success(request, _("Beslutet registrerades."))

    decision = submit(
        request, Button(decide, forms.DecisionForm), then=page + "#decision-trail", name="decision"
    )
    if decision.response:
        return decision.response
    return _report_page(
        request, actor, report, Pressed(), values={}, may_edit=True, decision=decision
    )


def _filename(report: StatutoryReport, ext: str) -> str:
    return (
        f"lagesbild-{report.partnership.municipality_id}-{report.period_label}"
        f"-v{report.version}.{ext}"
    )


@with_actor()
def report_pdf(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    report = queries.report(actor, pk)
    with translation.override("sv"):
        body = exports.pdf(report)
    return download(body, "application/pdf", _filename(report, "pdf"), inline=True)


@with_actor()
def report_docx(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    report = queries.report(actor, pk)
    with translation.override("sv"):
        body = exports.docx(report)
    return download(body, exports.DOCX_TYPE, _filename(report, "docx"))
