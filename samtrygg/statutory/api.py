"""The statutory work in the API (read-only), under /partnerships/{code}/…: the versions of the
statutory lägesbild with its åtgärdsplan (each as the document the export writes: metadata,
kartlaggning, annan_information, analys, atgardsplan), the problems, the plan items with their
follow-up, and compliance. An adopted version is returned as frozen; nothing here writes.
The records are read by the schemas themselves (their fields are the records' attributes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from samtrygg.core.api import actor_in
from samtrygg.core.api_pagination import Pages
from samtrygg.core.errors import NotFound
from samtrygg.statutory import document, queries
from samtrygg.statutory.models import ActionPlanItem, Problem, StatutoryReport

router = Router(tags=["lag (2023:196)"])


class ReportOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    period_label: str
    version: int
    status: str
    supersedes_id: int | None
    decided_on: dt.date | None
    data_cutoff: dt.date | None


class DocumentOut(Schema):
    id: int
    status: str
    version: int
    metadata: dict[str, Any]
    kartlaggning: dict[str, Any]
    annan_information: dict[str, Any]
    analys: dict[str, Any]
    atgardsplan: list[dict[str, Any]]


class CauseOut(Schema):
    id: int
    side: str
    text: str
    evidence: str


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    period_start: dt.date
    period_end: dt.date
    priority: int
    status: str
    version: int
    area_ids: list[int]
    category_ids: list[int]
    causes: list[CauseOut]

    @staticmethod
    def resolve_area_ids(problem: Problem) -> list[int]:
        return [a.pk for a in problem.areas.all()]

    @staticmethod
    def resolve_category_ids(problem: Problem) -> list[int]:
        return [c.pk for c in problem.categories.all()]


class FollowUpOut(Schema):
    date: dt.date
    outcome: str
    indicator_value: str
    text: str


class PlanItemOut(Schema):
    id: int
    problem_id: int
    cause_id: int | None
    title: str
    goal_type: str
    indicator: str
    baseline: str
    target: str
    target_date: dt.date
    responsible_id: int
    time_plan: str
    resources: str
    knowledge_basis: str
    follow_up_how: str
    follow_up_when: dt.date
    action_ids: list[int]
    actions_done: int
    actions_planned: int
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_action_ids(item: ActionPlanItem) -> list[int]:
        return [a.pk for a in item.actions.all()]

    @staticmethod
    def resolve_actions_done(item: ActionPlanItem) -> int:
        return sum(a.done_count for a in item.actions.all())

    @staticmethod
    def resolve_actions_planned(item: ActionPlanItem) -> int:
        return sum(a.planned_count for a in item.actions.all())


class ObligationOut(Schema):
    key: str
    label: str
    date: dt.date | None
    status: str
    evidence_url: str
    detail: str


def _document(report: StatutoryReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "status": report.status,
        "version": report.version,
        **{
            key: value
            for key, value in document.document(report).items()
            if key in document.TOP_LEVEL
        },
    }


@router.get(
    "/partnerships/{code}/statutory-reports",
    response=list[ReportOut],
    summary="Versioner av lägesbilden enligt lag (2023:196)",
)
@paginate(Pages)
def list_reports(request: HttpRequest, code: str) -> Any:
    return queries.reports(actor_in(request, code))


@router.get(
    "/partnerships/{code}/statutory-reports/{pk}",
    response=DocumentOut,
    summary="En version av lägesbilden och åtgärdsplanen",
)
def get_report(request: HttpRequest, code: str, pk: int) -> Any:
    return _document(queries.report(actor_in(request, code), pk))


@router.get(
    "/partnerships/{code}/statutory-document",
    response=DocumentOut,
    summary="Den senast antagna lägesbilden med åtgärdsplan (eller utkastet)",
    description="Med `draft=true` det pågående utkastet. 404 när det inte finns något.",
)
def current_document(request: HttpRequest, code: str, draft: bool = False) -> Any:
    actor = actor_in(request, code)
    report = queries.current_draft(actor) if draft else queries.latest_adopted(actor)
    if report is None:
        raise NotFound(_("Det finns ingen sådan version."))
    return _document(report)


@router.get(
    "/partnerships/{code}/problems",
    response=list[ProblemOut],
    summary="Problem (problembild)",
)
@paginate(Pages)
def list_problems(request: HttpRequest, code: str, status: str = "") -> Any:
    return queries.problems(actor_in(request, code), status=status).prefetch_related("causes")


@router.get("/partnerships/{code}/problems/{pk}", response=ProblemOut, summary="Ett problem")
def get_problem(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.problem(actor_in(request, code), pk)


@router.get(
    "/partnerships/{code}/plan-items",
    response=list[PlanItemOut],
    summary="Åtgärdsplanens åtgärder med uppföljning",
)
@paginate(Pages)
def list_plan_items(request: HttpRequest, code: str) -> Any:
    return queries.plan_items(actor_in(request, code))


@router.get(
    "/partnerships/{code}/plan-items/{pk}", response=PlanItemOut, summary="En åtgärd i planen"
)
def get_plan_item(request: HttpRequest, code: str, pk: int) -> Any:
    return queries.plan_item(actor_in(request, code), pk)


@router.get(
    "/partnerships/{code}/compliance",
    response=list[ObligationOut],
    summary="Efterlevnad av lag (2023:196)",
)
def get_compliance(request: HttpRequest, code: str) -> Any:
    return queries.obligations(actor_in(request, code))
