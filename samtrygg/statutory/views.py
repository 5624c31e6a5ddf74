"""Pages of the statutory work (lag (2023:196)): problems, the åtgärdsplan with follow-up, the
decision bodies, the samordningsfunktion and compliance at a glance. Thin: parse, call a
service or query, render. The statutory lägesbild's pages are in ``views_reports``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError
from samtrygg.core.evidence import evidence_kinds
from samtrygg.core.forms import SubmitForm, typed
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import render_page, report_error, success, with_actor
from samtrygg.statutory import compliance, forms, queries, services, trail
from samtrygg.statutory.models import (
    ActionPlanItem,
    ConsultedActor,
    DecisionBodyKind,
    FollowUpOutcome,
    GoalType,
    Problem,
    ProblemPriority,
    ProblemStatus,
    TriangleSide,
)
from samtrygg.statutory.permissions import ADOPTED_ROLES, EDIT_ROLES, READ_ROLES

PROBLEM_FIELDS = (
    "title",
    "description",
    "period_start",
    "period_end",
    "priority",
    "status",
    "areas",
    "categories",
)
PLAN_FIELDS = (*services.PLAN_FIELDS, "actions", "problem")


def _refused(request: HttpRequest, exc: DomainError, fields: tuple[str, ...]) -> dict[str, str]:
    """A refusal beside its field when the form has that field (and a line at the top saying
    nothing was saved), else at the top. Returns field name -> message."""
    if exc.field in fields:
        messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
        return {exc.field: exc.message}
    report_error(request, exc)
    return {}


def _can_edit(actor: Actor) -> bool:
    return actor.has(EDIT_ROLES)


def _choices() -> dict[str, Any]:
    return {
        "priorities": ProblemPriority.choices,
        "problem_statuses": ProblemStatus.choices,
        "sides": TriangleSide.choices,
        "goal_types": GoalType.choices,
        "follow_up_outcomes": FollowUpOutcome.choices,
        "body_kinds": DecisionBodyKind.choices,
        "consulted_actors": ConsultedActor.choices,
    }


# --- Problems ------------------------------------------------------------------------------


def _problem_values(problem: Problem | None) -> dict[str, Any]:
    if problem is None:
        today = timezone.localdate()
        return {
            "period_start": f"{today.year - 1}-01-01",
            "period_end": f"{today.year - 1}-12-31",
            "priority": str(ProblemPriority.MEDEL),
            "status": ProblemStatus.AKTUELL,
            "areas": [],
            "categories": [],
        }
    return {
        "title": problem.title,
        "description": problem.description,
        "period_start": problem.period_start.isoformat(),
        "period_end": problem.period_end.isoformat(),
        "priority": str(problem.priority),
        "status": problem.status,
        "areas": [str(a.pk) for a in problem.areas.all()],
        "categories": [str(c.pk) for c in problem.categories.all()],
    }


def _problem_kwargs(form: forms.ProblemForm) -> dict[str, Any]:
    data = form.parsed()
    return {name: data[name] for name in PROBLEM_FIELDS}


@with_actor(READ_ROLES)
def problem_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    values = _problem_values(None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        form = forms.ProblemForm(request.POST)
        try:
            problem = services.create_problem(actor, **_problem_kwargs(form))
            success(request, _("Problemet sparades."))
            return redirect("statutory-problem", pk=problem.pk)
        except DomainError as exc:
            values = typed(form)
            errors = _refused(request, exc, PROBLEM_FIELDS)
    filters = forms.ProblemFilterForm(request.GET)
    chosen = filters.values()
    status = chosen["status"] if chosen else ""
    return render_page(
        request,
        "statutory/problem_list.html",
        {
            "problems": queries.problems(actor, status=status),
            "status": status,
            "filter_errors": filters.refusals() if chosen is None else {},
            "values": values,
            "errors": errors,
            "can_edit": _can_edit(actor),
            "areas": queries.areas(actor),
            "categories": queries.categories(actor),
            **_choices(),
        },
        refused=bool(errors) or request.method == "POST" or chosen is None,
    )


@with_actor()
def problem_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    problem = queries.problem(actor, pk)
    values = _problem_values(problem)
    cause_values: dict[str, Any] = {}
    evidence_values: dict[str, Any] = {}
    no_action_values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    refused = ""
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        form: Any = None
        try:
            if what == "update":
                form = forms.ProblemForm(request.POST)
                services.update_problem(actor, problem, **_problem_kwargs(form))
                success(request, _("Ändringarna sparades. Den förra versionen finns kvar."))
            elif what == "cause":
                form = forms.CauseForm(request.POST)
                data = form.parsed()
                services.add_cause(
                    actor, problem, side=data["side"], text=data["text"], evidence=data["evidence"]
                )
                success(request, _("Orsaken lades till."))
            elif what == "remove-cause":
                cause = queries.cause(actor, forms.CauseRefForm(request.POST).parsed()["cause"])
                if cause.problem_id != problem.pk:
                    raise Http404
                services.remove_cause(actor, cause)
                success(request, _("Orsaken togs bort."))
            elif what == "evidence":
                form = forms.EvidenceForm(request.POST)
                kind, record, note = form.picked()
                services.attach_evidence(actor, problem, kind=kind, record_id=record, note=note)
                success(request, _("Underlaget kopplades till problemet."))
            elif what == "remove-evidence":
                ref = forms.EvidenceRefForm(request.POST).parsed()
                item = queries.evidence(actor, ref["evidence"])
                if item.problem_id != problem.pk:
                    raise Http404
                services.detach_evidence(actor, item)
                success(request, _("Underlaget togs bort."))
            elif what == "no-action":
                form = forms.NoActionForm(request.POST)
                data = form.parsed()
                services.record_no_action(actor, problem, reason=data["reason"])
                success(request, _("Beslutet att inte vidta åtgärder sparades."))
            elif what == "remove-no-action":
                ref = forms.NoActionRefForm(request.POST).parsed()
                decision = queries.no_action_decision(actor, ref["decision"])
                if decision.problem_id != problem.pk:
                    raise Http404
                services.remove_no_action(actor, decision)
                success(request, _("Beslutet togs bort."))
            else:
                raise Http404
            return redirect("statutory-problem", pk=problem.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "update":
                values = typed(form)
                errors = _refused(request, exc, PROBLEM_FIELDS)
            elif what == "cause":
                cause_values = typed(form)
                errors = _refused(request, exc, ("side", "text", "evidence"))
            elif what == "evidence":
                evidence_values = typed(form)
                if exc.field in ("kind", "record_id"):
                    exc.field = "pick"
                errors = _refused(request, exc, ("pick", "note"))
            elif what == "no-action":
                no_action_values = typed(form)
                errors = _refused(request, exc, ("reason",))
            else:
                report_error(request, exc)
    candidates = []
    if _can_edit(actor):
        attached = {(e.kind, e.record_id) for e in problem.evidence.all()}
        for registered in evidence_kinds():
            items = [
                i for i in registered.candidates(actor) if (registered.key, i.id) not in attached
            ]
            if items:
                candidates.append({"kind": registered, "items": items})
    return render_page(
        request,
        "statutory/problem_detail.html",
        {
            "problem": problem,
            "values": values,
            "cause_values": cause_values,
            "evidence_values": evidence_values,
            "no_action_values": no_action_values,
            "errors": errors,
            "refused": refused,
            "can_edit": _can_edit(actor),
            "causes": list(problem.causes.all()),
            "evidence": _evidence_rows(actor, problem),
            "candidates": candidates,
            "versions": queries.problem_versions(actor, problem),
            "plan_items": list(problem.plan_items.all()),
            "no_action": getattr(problem, "no_action", None) if _has_no_action(problem) else None,
            "areas": queries.areas(actor),
            "categories": queries.categories(actor),
            **_choices(),
        },
        refused=bool(refused),
    )


def _has_no_action(problem: Problem) -> bool:
    try:
        return problem.no_action is not None
    except Problem.no_action.RelatedObjectDoesNotExist:
        return False


def _evidence_rows(actor: Actor, problem: Problem) -> list[dict[str, Any]]:
    """Each attached record with its current link (or its label as attached, if it is gone)."""
    from samtrygg.core.evidence import evidence_kind, resolve_evidence

    rows = []
    for item in problem.evidence.all():
        kind = evidence_kind(item.kind)
        found = resolve_evidence(actor, item.kind, item.record_id) if kind else None
        rows.append(
            {
                "item": item,
                "kind_label": kind.label if kind else item.kind,
                "label": found.label if found else item.label,
                "url": found.url if found else "",
            }
        )
    return rows


# --- The åtgärdsplan -----------------------------------------------------------------------


def _plan_values(item: ActionPlanItem | None) -> dict[str, Any]:
    if item is None:
        return {"goal_type": GoalType.EFFEKTMAL, "actions": []}
    return {
        "problem": str(item.problem_id),
        "cause": str(item.cause_id or ""),
        "title": item.title,
        "goal_type": item.goal_type,
        "indicator": item.indicator,
        "baseline": item.baseline,
        "target": item.target,
        "target_date": item.target_date.isoformat(),
        "responsible": str(item.responsible_id),
        "time_plan": item.time_plan,
        "resources": item.resources,
        "knowledge_basis": item.knowledge_basis,
        "follow_up_how": item.follow_up_how,
        "follow_up_when": item.follow_up_when.isoformat(),
        "actions": [str(a.pk) for a in item.actions.all()],
    }


def _plan_kwargs(form: forms.PlanItemForm) -> dict[str, Any]:
    data = form.parsed()
    return {name: data[name] for name in (*services.PLAN_FIELDS, "actions")}


def _plan_choices(actor: Actor) -> dict[str, Any]:
    return {
        "prioritised": list(queries.prioritised_problems(actor).prefetch_related("causes")),
        "organisations": queries.organisations(actor),
        "linkable_actions": queries.linkable_actions(actor)[:200],
    }


@with_actor(READ_ROLES)
def plan(request: HttpRequest, actor: Actor) -> HttpResponse:
    values = _plan_values(None)
    prefill = forms.PlanPrefillForm(request.GET).values()
    if prefill and prefill["problem"]:
        values["problem"] = str(prefill["problem"])
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        form = forms.PlanItemForm(request.POST)
        try:
            chosen = form.parsed()["problem"]
            if chosen is None:
                raise DomainError(_("Välj ett prioriterat problem."), field="problem")
            problem = queries.problem(actor, chosen)
            item = services.create_plan_item(actor, problem, **_plan_kwargs(form))
            success(request, _("Åtgärden lades till i planen."))
            return redirect("statutory-plan-item", pk=item.pk)
        except DomainError as exc:
            values = typed(form)
            errors = _refused(request, exc, PLAN_FIELDS)
    items = list(queries.plan_items(actor))
    by_problem: dict[int, dict[str, Any]] = {}
    for item in items:
        linked = list(item.actions.all())
        item.done_total = sum(a.done_count for a in linked)  # type: ignore[attr-defined]
        item.planned_total = sum(a.planned_count for a in linked)  # type: ignore[attr-defined]
        group = by_problem.setdefault(item.problem_id, {"problem": item.problem, "items": []})
        group["items"].append(item)
    return render_page(
        request,
        "statutory/plan.html",
        {
            "groups": list(by_problem.values()),
            "no_actions": queries.no_action_decisions(actor),
            "values": values,
            "errors": errors,
            "can_edit": _can_edit(actor),
            "today": timezone.localdate(),
            **_plan_choices(actor),
            **_choices(),
        },
        refused=request.method == "POST",
    )


@with_actor()
def plan_item_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = queries.plan_item(actor, pk)
    values = _plan_values(item)
    follow_values: dict[str, Any] = {"date": timezone.localdate().isoformat()}
    errors: dict[str, str] = {}
    refused = ""
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        form: Any = None
        try:
            if what == "update":
                form = forms.PlanItemForm(request.POST)
                services.update_plan_item(actor, item, **_plan_kwargs(form))
                success(request, _("Ändringarna sparades."))
            elif what == "follow-up":
                form = forms.FollowUpForm(request.POST)
                services.record_follow_up(actor, item, **form.parsed())
                success(request, _("Uppföljningen sparades."))
            elif what == "delete":
                services.remove_plan_item(actor, item)
                success(request, _("Åtgärden togs bort ur planen."))
                return redirect("statutory-plan")
            else:
                raise Http404
            return redirect("statutory-plan-item", pk=item.pk)
        except DomainError as exc:
            refused = what or "post"
            if what == "update":
                values = typed(form)
                errors = _refused(request, exc, PLAN_FIELDS)
            elif what == "follow-up":
                follow_values = typed(form)
                errors = _refused(request, exc, ("date", "outcome", "indicator_value", "text"))
            else:
                report_error(request, exc)
    linked = list(item.actions.all())
    return render_page(
        request,
        "statutory/plan_item.html",
        {
            "item": item,
            "values": values,
            "follow_values": follow_values,
            "errors": errors,
            "refused": refused,
            "can_edit": _can_edit(actor),
            "linked": linked,
            "done": sum(a.done_count for a in linked),
            "planned": sum(a.planned_count for a in linked),
            "effect": _effect(actor, item, linked),
            "follow_ups": list(item.follow_ups.all()),
            "causes": list(item.problem.causes.all()),
            **_plan_choices(actor),
            **_choices(),
        },
        refused=bool(refused),
    )


def _effect(actor: Actor, item: ActionPlanItem, linked: list[Any]) -> Any:
    """Did the linked actions work? Their pooled effect on the reports of the problem's
    categories (the actions app's evaluation), or None without linked actions."""
    from samtrygg.actions import effect

    if not linked:
        return None
    categories = [c.pk for c in item.problem.categories.all()] or None
    return effect.evaluate_actions(
        actor, linked, categories=categories, title=_("Effekten av de kopplade insatserna")
    )


# --- Decision bodies -----------------------------------------------------------------------


@with_actor(ADOPTED_ROLES)
def bodies(request: HttpRequest, actor: Actor) -> HttpResponse:
    values: dict[str, Any] = {"kind": DecisionBodyKind.KOMMUNSTYRELSE}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        what = SubmitForm(request.POST).pressed()
        form = forms.DecisionBodyForm(request.POST)
        try:
            if what == "create":
                data = form.parsed()
                services.create_decision_body(actor, kind=data["kind"], name=data["name"])
                success(request, _("Beslutsorganet lades till."))
            elif what == "remove":
                body = queries.decision_body(
                    actor, forms.BodyRefForm(request.POST).parsed()["body"]
                )
                services.remove_decision_body(actor, body)
                success(request, _("Beslutsorganet togs bort."))
            else:
                raise Http404
            return redirect("statutory-bodies")
        except DomainError as exc:
            if what == "create":
                values = typed(form)
            errors = _refused(request, exc, ("kind", "name"))
    return render_page(
        request,
        "statutory/bodies.html",
        {
            "bodies": queries.decision_bodies(actor),
            "values": values,
            "errors": errors,
            "can_edit": _can_edit(actor),
            **_choices(),
        },
        refused=request.method == "POST",
    )


# --- Samordningsfunktion -------------------------------------------------------------------


@with_actor(ADOPTED_ROLES)
def coordination(request: HttpRequest, actor: Actor) -> HttpResponse:
    function = queries.coordination_function(actor)
    values = (
        {"unit": function.unit, "roles": function.roles, "contact": function.contact}
        if function
        else {}
    )
    errors: dict[str, str] = {}
    decision_form = None
    decision_errors: dict[str, str] = {}
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        what = SubmitForm(request.POST).pressed() or "decide"
        form = forms.CoordinationForm(request.POST)
        posted_decision = forms.DecisionForm(request.POST)
        try:
            if what == "save":
                services.set_coordination_function(actor, **form.parsed())
                success(request, _("Samordningsfunktionen sparades."))
            elif function is not None:
                services.record_coordination_decision(
                    actor, function, **posted_decision.service_kwargs()
                )
                success(request, _("Beslutet registrerades."))
            else:
                raise Http404
            return redirect("statutory-coordination")
        except DomainError as exc:
            if what == "save":
                values = typed(form)
                errors = _refused(request, exc, ("unit", "roles", "contact"))
            else:
                decision_form = posted_decision
                fields = ("body", "date", "reference", "outcome", "note")
                decision_errors = _refused(request, exc, fields)
    context: dict[str, Any] = {
        "function": function,
        "values": values,
        "errors": errors,
        "can_edit": _can_edit(actor),
    }
    if function is not None:
        from django.urls import reverse

        context.update(
            trail.context(
                actor,
                function,
                reverse("statutory-coordination"),
                form=decision_form,
                errors=decision_errors,
            )
        )
    return render_page(
        request, "statutory/coordination.html", context, refused=request.method == "POST"
    )


# --- Compliance ----------------------------------------------------------------------------


@with_actor(ADOPTED_ROLES)
def compliance_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    review = queries.review_settings(actor)
    values = {
        "mapping_months": review.mapping_months,
        "full_review_months": review.full_review_months,
        "remind_days_before": review.remind_days_before,
        "next_review": review.next_review.isoformat() if review.next_review else "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not _can_edit(actor):
            raise Http404
        fields = ("mapping_months", "full_review_months", "remind_days_before", "next_review")
        form = forms.ReviewForm(request.POST)
        try:
            services.update_review_settings(actor, **form.parsed())
            success(request, _("Översynscykeln sparades."))
            return redirect("statutory-compliance")
        except DomainError as exc:
            values = typed(form)
            errors = _refused(request, exc, fields)
    return render_page(
        request,
        "statutory/compliance.html",
        {
            "obligations": queries.obligations(actor),
            "review": review,
            "values": values,
            "errors": errors,
            "can_edit": _can_edit(actor),
            "first_deadline": compliance.FIRST_DEADLINE,
        },
        refused=request.method == "POST",
    )
