"""The statutory work in the API (read-only), under /partnerships/{code}/…: the versions of the
statutory lägesbild with its åtgärdsplan (each as the document the export writes: metadata,
kartlaggning, annan_information, analys, atgardsplan), the problems, the plan items with their
follow-up, and compliance. An adopted version is returned as frozen; nothing here writes."""

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


class ObligationOut(Schema):
    key: str
    label: str
    date: dt.date | None
    status: str
    evidence_url: str
    detail: str


def _report(report: StatutoryReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "period_label": report.period_label,
        "version": report.version,
        "status": report.status,
        "supersedes_id": report.supersedes_id,
        "decided_on": report.decided_on,
        "data_cutoff": report.data_cutoff,
    }


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


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "id": problem.pk,
        "title": problem.title,
        "description": problem.description,
        "period_start": problem.period_start,
        "period_end": problem.period_end,
        "priority": problem.priority,
        "status": problem.status,
        "version": problem.version,
        "area_ids": [a.pk for a in problem.areas.all()],
        "category_ids": [c.pk for c in problem.categories.all()],
        "causes": [
            {"id": c.pk, "side": c.side, "text": c.text, "evidence": c.evidence}
            for c in problem.causes.all()
        ],
    }


def _item(item: ActionPlanItem) -> dict[str, Any]:
    actions = list(item.actions.all())
    return {
        "id": item.pk,
        "problem_id": item.problem_id,
        "cause_id": item.cause_id,
        "title": item.title,
        "goal_type": item.goal_type,
        "indicator": item.indicator,
        "baseline": item.baseline,
        "target": item.target,
        "target_date": item.target_date,
        "responsible_id": item.responsible_id,
        "time_plan": item.time_plan,
        "resources": item.resources,
        "knowledge_basis": item.knowledge_basis,
        "follow_up_how": item.follow_up_how,
        "follow_up_when": item.follow_up_when,
        "action_ids": [a.pk for a in actions],
        "actions_done": sum(a.done_count for a in actions),
        "actions_planned": sum(a.planned_count for a in actions),
        "follow_ups": [
            {
                "date": f.date,
                "outcome": f.outcome,
                "indicator_value": f.indicator_value,
                "text": f.text,
            }
            for f in item.follow_ups.all()
        ],
    }


@router.get(
    "/partnerships/{code}/statutory-reports",
    response=list[ReportOut],
    summary="Versioner av lägesbilden enligt lag (2023:196)",
)
@paginate(Pages)
def list_reports(request: HttpRequest, code: str) -> Any:
    return [_report(r) for r in queries.reports(actor_in(request, code))]


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
    actor = actor_in(request, code)
    return [_problem(p) for p in queries.problems(actor, status=status).prefetch_related("causes")]


@router.get("/partnerships/{code}/problems/{pk}", response=ProblemOut, summary="Ett problem")
def get_problem(request: HttpRequest, code: str, pk: int) -> Any:
    return _problem(queries.problem(actor_in(request, code), pk))


@router.get(
    "/partnerships/{code}/plan-items",
    response=list[PlanItemOut],
    summary="Åtgärdsplanens åtgärder med uppföljning",
)
@paginate(Pages)
def list_plan_items(request: HttpRequest, code: str) -> Any:
    return [_item(i) for i in queries.plan_items(actor_in(request, code))]


@router.get(
    "/partnerships/{code}/plan-items/{pk}", response=PlanItemOut, summary="En åtgärd i planen"
)
def get_plan_item(request: HttpRequest, code: str, pk: int) -> Any:
    return _item(queries.plan_item(actor_in(request, code), pk))


@router.get(
    "/partnerships/{code}/compliance",
    response=list[ObligationOut],
    summary="Efterlevnad av lag (2023:196)",
)
def get_compliance(request: HttpRequest, code: str) -> Any:
    return [
        {
            "key": o.key,
            "label": o.label,
            "date": o.date,
            "status": o.status,
            "evidence_url": o.evidence_url,
            "detail": o.detail,
        }
        for o in queries.obligations(actor_in(request, code))
    ]
