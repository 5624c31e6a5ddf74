"""Pages of the statutory work (lag (2023:196)): problems, the åtgärdsplan with follow-up, the
decision bodies, the samordningsfunktion and compliance at a glance. Thin: parse, call a
service or query, render. The statutory lägesbild's pages are in ``views_reports``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.documentviews import Button, part_of, press, submit
from samtrygg.core.errors import DomainError
from samtrygg.core.evidence import evidence_kinds
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import render_page, success, with_actor
from samtrygg.statutory import compliance, forms, queries, services, trail
from samtrygg.statutory.models import (
    ActionPlanItem,
    ConsultedActor,
    CoordinationFunction,
    DecisionBodyKind,
    FollowUpOutcome,
    GoalType,
    Problem,
    ProblemPriority,
    ProblemStatus,
    TriangleSide,
)
from samtrygg.statutory.permissions import ADOPTED_ROLES, EDIT_ROLES, READ_ROLES


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


@with_actor(READ_ROLES)
def problem_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    def create(form: forms.ProblemForm) -> str:
        problem = services.create_problem(actor, **form.parsed())
        success(request, _("Problemet sparades."))
        return reverse("statutory-problem", args=[problem.pk])

    pressed = submit(request, Button(create, forms.ProblemForm), allowed=_can_edit(actor))
    if pressed.response:
        return pressed.response
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
            "values": pressed.typed_in(otherwise=_problem_values(None)),
            "errors": pressed.errors,
            "can_edit": _can_edit(actor),
            "areas": queries.areas(actor),
            "categories": queries.categories(actor),
            **_choices(),
            "guidance": queries.documentation_rules(actor),
        },
        refused=bool(pressed.errors) or request.method == "POST" or chosen is None,
    )


def _problem_buttons(request: HttpRequest, actor: Actor, problem: Problem) -> dict[str, Button]:
    def update(form: forms.ProblemForm) -> None:
        services.update_problem(actor, problem, **form.parsed())
        success(request, _("Ändringarna sparades. Den förra versionen finns kvar."))

    def add_cause(form: forms.CauseForm) -> None:
        services.add_cause(actor, problem, **form.parsed())
        success(request, _("Orsaken lades till."))

    def remove_cause(form: forms.CauseRefForm) -> None:
        cause = part_of(queries.cause(actor, form.parsed()["cause"]), problem, "problem")
        services.remove_cause(actor, cause)
        success(request, _("Orsaken togs bort."))

    def attach_evidence(form: forms.EvidenceForm) -> None:
        kind, record, note = form.picked()
        try:
            services.attach_evidence(actor, problem, kind=kind, record_id=record, note=note)
        except DomainError as exc:
            # The page picks the kind and the record in one list.
            if exc.field in ("kind", "record_id"):
                exc.field = "pick"
            raise
        success(request, _("Underlaget kopplades till problemet."))

    def detach_evidence(form: forms.EvidenceRefForm) -> None:
        item = part_of(queries.evidence(actor, form.parsed()["evidence"]), problem, "problem")
        services.detach_evidence(actor, item)
        success(request, _("Underlaget togs bort."))

    def no_action(form: forms.NoActionForm) -> None:
        services.record_no_action(actor, problem, reason=form.parsed()["reason"])
        success(request, _("Beslutet att inte vidta åtgärder sparades."))

    def remove_no_action(form: forms.NoActionRefForm) -> None:
        ref = form.parsed()["decision"]
        services.remove_no_action(
            actor, part_of(queries.no_action_decision(actor, ref), problem, "problem")
        )
        success(request, _("Beslutet togs bort."))

    return {
        "update": Button(update, forms.ProblemForm),
        "cause": Button(add_cause, forms.CauseForm),
        "remove-cause": Button(remove_cause, forms.CauseRefForm),
        "evidence": Button(attach_evidence, forms.EvidenceForm),
        "remove-evidence": Button(detach_evidence, forms.EvidenceRefForm),
        "no-action": Button(no_action, forms.NoActionForm),
        "remove-no-action": Button(remove_no_action, forms.NoActionRefForm),
    }


@with_actor()
def problem_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    problem = queries.problem(actor, pk)
    pressed = press(request, _problem_buttons(request, actor, problem), allowed=_can_edit(actor))
    if pressed.response:
        return pressed.response
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
            "values": pressed.typed_in("update", otherwise=_problem_values(problem)),
            "cause_values": pressed.typed_in("cause", otherwise={}),
            "evidence_values": pressed.typed_in("evidence", otherwise={}),
            "no_action_values": pressed.typed_in("no-action", otherwise={}),
            "errors": pressed.errors,
            "refused": pressed.refused,
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
            "guidance": queries.documentation_rules(actor),
        },
        refused=bool(pressed.refused),
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

    def create(form: forms.PlanItemForm) -> str:
        chosen = form.parsed()["problem"]
        if chosen is None:
            raise DomainError(_("Välj ett prioriterat problem."), field="problem")
        problem = queries.problem(actor, chosen)
        item = services.create_plan_item(actor, problem, **_plan_kwargs(form))
        success(request, _("Åtgärden lades till i planen."))
        return reverse("statutory-plan-item", args=[item.pk])

    pressed = submit(request, Button(create, forms.PlanItemForm), allowed=_can_edit(actor))
    if pressed.response:
        return pressed.response
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
            "values": pressed.typed_in(otherwise=values),
            "errors": pressed.errors,
            "can_edit": _can_edit(actor),
            "today": timezone.localdate(),
            **_plan_choices(actor),
            **_choices(),
            "guidance": queries.documentation_rules(actor),
        },
        refused=request.method == "POST",
    )


def _plan_item_buttons(
    request: HttpRequest, actor: Actor, item: ActionPlanItem
) -> dict[str, Button]:
    def update(form: forms.PlanItemForm) -> None:
        services.update_plan_item(actor, item, **_plan_kwargs(form))
        success(request, _("Ändringarna sparades."))

    def follow_up(form: forms.FollowUpForm) -> None:
        services.record_follow_up(actor, item, **form.parsed())
        success(request, _("Uppföljningen sparades."))

    def remove(form: None) -> str:
        services.remove_plan_item(actor, item)
        success(request, _("Åtgärden togs bort ur planen."))
        return reverse("statutory-plan")

    return {
        "update": Button(update, forms.PlanItemForm),
        "follow-up": Button(follow_up, forms.FollowUpForm),
        "delete": Button(remove),
    }


@with_actor()
def plan_item_detail(request: HttpRequest, actor: Actor, pk: int) -> HttpResponse:
    item = queries.plan_item(actor, pk)
    pressed = press(request, _plan_item_buttons(request, actor, item), allowed=_can_edit(actor))
    if pressed.response:
        return pressed.response
    linked = list(item.actions.all())
    return render_page(
        request,
        "statutory/plan_item.html",
        {
            "item": item,
            "values": pressed.typed_in("update", otherwise=_plan_values(item)),
            "follow_values": pressed.typed_in(
                "follow-up", otherwise={"date": timezone.localdate().isoformat()}
            ),
            "errors": pressed.errors,
            "refused": pressed.refused,
            "can_edit": _can_edit(actor),
            "linked": linked,
            "done": sum(a.done_count for a in linked),
            "planned": sum(a.planned_count for a in linked),
            "effect": _effect(actor, item, linked),
            "follow_ups": list(item.follow_ups.all()),
            "causes": list(item.problem.causes.all()),
            **_plan_choices(actor),
            **_choices(),
            "guidance": queries.documentation_rules(actor),
        },
        refused=bool(pressed.refused),
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


def _body_buttons(request: HttpRequest, actor: Actor) -> dict[str, Button]:
    def create(form: forms.DecisionBodyForm) -> None:
        services.create_decision_body(actor, **form.parsed())
        success(request, _("Beslutsorganet lades till."))

    def remove(form: forms.BodyRefForm) -> None:
        services.remove_decision_body(actor, queries.decision_body(actor, form.parsed()["body"]))
        success(request, _("Beslutsorganet togs bort."))

    return {
        "create": Button(create, forms.DecisionBodyForm),
        "remove": Button(remove, forms.BodyRefForm),
    }


@with_actor(ADOPTED_ROLES)
def bodies(request: HttpRequest, actor: Actor) -> HttpResponse:
    pressed = press(request, _body_buttons(request, actor), allowed=_can_edit(actor))
    if pressed.response:
        return pressed.response
    return render_page(
        request,
        "statutory/bodies.html",
        {
            "bodies": queries.decision_bodies(actor),
            "values": pressed.typed_in(
                "create", otherwise={"kind": DecisionBodyKind.KOMMUNSTYRELSE}
            ),
            "errors": pressed.errors,
            "can_edit": _can_edit(actor),
            **_choices(),
        },
        refused=request.method == "POST",
    )


# --- Samordningsfunktion -------------------------------------------------------------------


def _coordination_buttons(
    request: HttpRequest, actor: Actor, function: CoordinationFunction | None
) -> dict[str, Button]:
    def save(form: forms.CoordinationForm) -> None:
        services.set_coordination_function(actor, **form.parsed())
        success(request, _("Samordningsfunktionen sparades."))

    buttons = {"save": Button(save, forms.CoordinationForm)}
    if function is not None:

        def decide(form: forms.DecisionForm) -> None:
            services.record_coordination_decision(actor, function, **form.service_kwargs())
            success(request, _("Beslutet registrerades."))

        # The decision trail's form names no button.
        buttons["decide"] = Button(decide, forms.DecisionForm)
    return buttons


@with_actor(ADOPTED_ROLES)
def coordination(request: HttpRequest, actor: Actor) -> HttpResponse:
    function = queries.coordination_function(actor)
    pressed = press(
        request,
        _coordination_buttons(request, actor, function),
        allowed=_can_edit(actor),
        default="decide",
    )
    if pressed.response:
        return pressed.response
    saved = (
        {"unit": function.unit, "roles": function.roles, "contact": function.contact}
        if function
        else {}
    )
    decided = pressed.refused == "decide"
    context: dict[str, Any] = {
        "function": function,
        "values": pressed.typed_in("save", otherwise=saved),
        "errors": {} if decided else pressed.errors,
        "can_edit": _can_edit(actor),
    }
    if function is not None:
        context.update(
            trail.context(
                actor,
                function,
                reverse("statutory-coordination"),
                form=pressed.form if decided else None,
                errors=pressed.errors if decided else None,
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

    def save(form: forms.ReviewForm) -> None:
        services.update_review_settings(actor, **form.parsed())
        success(request, _("Översynscykeln sparades."))

    pressed = submit(request, Button(save, forms.ReviewForm), allowed=_can_edit(actor))
    if pressed.response:
        return pressed.response
    return render_page(
        request,
        "statutory/compliance.html",
        {
            "obligations": queries.obligations(actor),
            "review": review,
            "values": pressed.typed_in(otherwise=values),
            "errors": pressed.errors,
            "can_edit": _can_edit(actor),
            "first_deadline": compliance.FIRST_DEADLINE,
        },
        refused=request.method == "POST",
    )
