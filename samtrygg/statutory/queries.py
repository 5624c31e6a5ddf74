"""Reads of problems, decisions, the statutory lägesbild and the åtgärdsplan, scoped to the
actor's partnership and role. Coordinators, analysts and the styrgrupp read everything of the
statutory work; a rapportör reads adopted versions and the compliance page. A record of another
partnership, or out of the actor's reach, raises NotFound."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from samtrygg.core.errors import NotFound
from samtrygg.core.permissions import Actor
from samtrygg.core.queries import narrowed
from samtrygg.statutory import extensions
from samtrygg.statutory.document import decisions_about
from samtrygg.statutory.models import (
    ActionPlanItem,
    ConsultationEntry,
    CoordinationFunction,
    Decision,
    DecisionBody,
    NoActionDecision,
    PlanFollowUp,
    Problem,
    ProblemCause,
    ProblemEvidence,
    ProblemStatus,
    ProblemVersion,
    ReportStatus,
    ReviewSettings,
    StatutoryReport,
)
from samtrygg.statutory.permissions import ADOPTED_ROLES, READ_ROLES

# --- Problems ------------------------------------------------------------------------------


def documentation_rules(actor: Actor) -> dict[str, extensions.SectionRule]:
    """The guidance and required parts of the documentation, per part (kartläggning …
    uppföljning), from the county template the partnership has adopted; {} when none."""
    return extensions.documentation_rules(actor.partnership)


def problems(actor: Actor, *, status: str = "") -> QuerySet[Problem]:
    actor.require(READ_ROLES)
    qs = Problem.objects.filter(partnership=actor.partnership).prefetch_related(
        "areas", "categories"
    )
    return narrowed(qs, status=status).order_by("priority", "title", "id")


def prioritised_problems(actor: Actor) -> QuerySet[Problem]:
    return problems(actor, status=ProblemStatus.AKTUELL)


def problem(actor: Actor, pk: Any) -> Problem:
    return Problem.objects.fetch(
        actor,
        pk,
        lambda: problems(actor).prefetch_related(
            "causes", "evidence", "versions", "plan_items__actions", "plan_items__responsible"
        ),
    )


Part = TypeVar("Part", ProblemCause, ProblemEvidence, ConsultationEntry)


def _part(
    actor: Actor, model: type[Part], pk: Any, whole: str, wholes: Callable[[], QuerySet[Any]]
) -> Part:
    """A cause, evidence or consultation found among those of the problems or reports the
    actor may read (``wholes``, read once the record is known to be the partnership's)."""
    return model.objects.fetch(
        actor, pk, lambda: model.objects.filter(**{f"{whole}__in": wholes()}).select_related(whole)
    )


def cause(actor: Actor, pk: Any) -> ProblemCause:
    return _part(actor, ProblemCause, pk, "problem", lambda: problems(actor))


def evidence(actor: Actor, pk: Any) -> ProblemEvidence:
    return _part(actor, ProblemEvidence, pk, "problem", lambda: problems(actor))


def problem_versions(actor: Actor, problem: Problem) -> QuerySet[ProblemVersion]:
    actor.require(READ_ROLES)
    return ProblemVersion.objects.filter(
        problem=problem, problem__partnership=actor.partnership
    ).order_by("-version")


# --- Decisions -----------------------------------------------------------------------------


def decision_bodies(actor: Actor) -> QuerySet[DecisionBody]:
    actor.require(ADOPTED_ROLES)
    return DecisionBody.objects.filter(partnership=actor.partnership).order_by("name")


def decision_body(actor: Actor, pk: Any) -> DecisionBody:
    return DecisionBody.objects.fetch(actor, pk, lambda: decision_bodies(actor))


def decisions_for(actor: Actor, subject: models.Model) -> QuerySet[Decision]:
    """The decision trail of a document of the actor's partnership, oldest first. The caller
    has already read the subject under its own rules; another partnership's is NotFound."""
    if getattr(subject, "partnership_id", None) != actor.partnership.pk:
        raise NotFound(_("Posten finns inte."))
    return decisions_about(subject)


# --- The statutory lägesbild ---------------------------------------------------------------


def reports(actor: Actor) -> QuerySet[StatutoryReport]:
    actor.require(ADOPTED_ROLES)
    qs = StatutoryReport.objects.filter(partnership=actor.partnership)
    if not actor.has(READ_ROLES):
        qs = qs.exclude(status=ReportStatus.UTKAST)
    return qs.select_related("decision__body", "supersedes", "adopted_by").order_by(
        "-period_end", "-version"
    )


def report(actor: Actor, pk: Any) -> StatutoryReport:
    return StatutoryReport.objects.fetch(actor, pk, lambda: reports(actor))


def current_draft(actor: Actor) -> StatutoryReport | None:
    if not actor.has(READ_ROLES):
        return None
    return reports(actor).filter(status=ReportStatus.UTKAST).first()


def latest_adopted(actor: Actor) -> StatutoryReport | None:
    return reports(actor).filter(status=ReportStatus.ANTAGEN).first()


def consultations(actor: Actor, report: StatutoryReport) -> QuerySet[ConsultationEntry]:
    actor.require(ADOPTED_ROLES)
    return ConsultationEntry.objects.filter(
        report=report, report__partnership=actor.partnership
    ).order_by("date", "id")


def consultation(actor: Actor, pk: Any) -> ConsultationEntry:
    return _part(actor, ConsultationEntry, pk, "report", lambda: reports(actor))


# --- The åtgärdsplan -----------------------------------------------------------------------


def plan_items(actor: Actor) -> QuerySet[ActionPlanItem]:
    actor.require(READ_ROLES)
    return (
        ActionPlanItem.objects.filter(partnership=actor.partnership)
        .select_related("problem", "cause", "responsible")
        .prefetch_related(
            "actions",
            Prefetch("follow_ups", queryset=PlanFollowUp.objects.order_by("-date", "-id")),
        )
        .order_by("problem__priority", "problem__title", "problem_id", "id")
    )


def plan_item(actor: Actor, pk: Any) -> ActionPlanItem:
    return ActionPlanItem.objects.fetch(actor, pk, lambda: plan_items(actor))


def no_action_decisions(actor: Actor) -> QuerySet[NoActionDecision]:
    actor.require(READ_ROLES)
    return NoActionDecision.objects.filter(partnership=actor.partnership).select_related("problem")


def no_action_decision(actor: Actor, pk: Any) -> NoActionDecision:
    return NoActionDecision.objects.fetch(actor, pk, lambda: no_action_decisions(actor))


def linkable_actions(actor: Actor) -> QuerySet[Any]:
    """The operational actions (insatser) a plan item may link."""
    from samtrygg.actions import queries as action_queries

    return action_queries.actions(actor).order_by("-start_date", "title")


def organisations(actor: Actor) -> QuerySet[Any]:
    from samtrygg.core.models import Organisation

    return Organisation.objects.for_actor(actor).order_by("name")


def areas(actor: Actor) -> QuerySet[Any]:
    from samtrygg.core.models import Area

    return Area.objects.for_actor(actor).order_by("name")


def categories(actor: Actor) -> QuerySet[Any]:
    from samtrygg.observations.models import Category

    return Category.objects.for_actor(actor).order_by("sort_order", "name")


# --- Samordningsfunktion and review --------------------------------------------------------


def coordination_function(actor: Actor) -> CoordinationFunction | None:
    actor.require(ADOPTED_ROLES)
    return (
        CoordinationFunction.objects.filter(partnership=actor.partnership)
        .select_related("decision__body")
        .first()
    )


def review_settings(actor: Actor) -> ReviewSettings:
    """The partnership's review cycle; the defaults when none is saved (nothing is written)."""
    actor.require(ADOPTED_ROLES)
    found = ReviewSettings.objects.filter(partnership=actor.partnership).first()
    return found or ReviewSettings(partnership=actor.partnership)


def obligations(actor: Actor) -> list[Any]:
    """The partnership's obligations under the law (see :mod:`samtrygg.statutory.compliance`)."""
    from samtrygg.statutory import compliance

    actor.require(ADOPTED_ROLES)
    found = compliance.obligations(actor.partnership)
    if actor.has(READ_ROLES):
        return found
    # A reader of adopted documents only (the rapportör) is not shown links to the plan and
    # its follow-up, which it may not open.
    plan = reverse("statutory-plan")
    return [replace(o, evidence_url="") if o.evidence_url == plan else o for o in found]
