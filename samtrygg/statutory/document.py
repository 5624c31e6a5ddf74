"""The statutory lägesbild with its åtgärdsplan as one document (plain JSON-able data).

A draft's document is assembled on each read from its stored figures, its texts and the
current problems, plan, consultations and decisions. Adoption stores this document in the
version's ``snapshot``; an adopted version's document is that snapshot and nothing else, so
later edits of problems or the plan never change it.

The top-level keys are those of the export: ``metadata``, ``kartlaggning``,
``annan_information``, ``analys``, ``atgardsplan``. Every item of ``atgardsplan`` names the
``problem`` it addresses by id, and every such id is a problem in ``analys``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from samtrygg.statutory.models import (
    ActionPlanItem,
    ConsultationEntry,
    CoordinationFunction,
    Decision,
    NoActionDecision,
    Problem,
    ProblemStatus,
    ReportStatus,
    StatutoryReport,
    TriangleSide,
)

DOCUMENT_VERSION = 1
TOP_LEVEL = ("metadata", "kartlaggning", "annan_information", "analys", "atgardsplan")


def document(report: StatutoryReport) -> dict[str, Any]:
    """The document of a version: the frozen snapshot once adopted, else assembled now."""
    if report.status != ReportStatus.UTKAST and report.snapshot:
        frozen: dict[str, Any] = report.snapshot
        return frozen
    return assemble(report)


def problems_of(report: StatutoryReport) -> list[Problem]:
    """The problems the lägesbild analyses: the prioritised ones and those under watch."""
    return list(
        Problem.objects.filter(
            partnership_id=report.partnership_id,
            status__in=[ProblemStatus.AKTUELL, ProblemStatus.BEVAKAS],
        )
        .prefetch_related("areas", "categories", "causes", "evidence")
        .order_by("priority", "title", "id")
    )


def decisions_about(subject: Any) -> QuerySet[Decision]:
    """The decision trail of a document (a version, an agreement, a promise, the
    samordningsfunktion): the decisions recorded about it, in the order they were taken."""
    return (
        Decision.objects.filter(
            partnership_id=subject.partnership_id,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
        )
        .select_related("body")
        .order_by("date", "id")
    )


def _decisions(report: StatutoryReport) -> list[dict[str, Any]]:
    return [decision_dict(d) for d in decisions_about(report)]


def decision_dict(d: Decision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "body": d.body.name,
        "body_kind": d.body.kind,
        "body_kind_label": str(d.body.get_kind_display()),
        "date": d.date.isoformat(),
        "reference": d.reference,
        "outcome": d.outcome,
        "outcome_label": str(d.get_outcome_display()),
        "note": d.note,
    }


def _function(report: StatutoryReport) -> dict[str, Any] | None:
    function = (
        CoordinationFunction.objects.filter(partnership_id=report.partnership_id)
        .select_related("decision__body")
        .first()
    )
    if function is None:
        return None
    return {
        "unit": function.unit,
        "roles": function.roles,
        "contact": function.contact,
        "decision": decision_dict(function.decision) if function.decision else None,
    }


def _problem(problem: Problem, figures: dict[str, Any]) -> dict[str, Any]:
    side_labels = dict(TriangleSide.choices)
    return {
        "id": problem.pk,
        "title": problem.title,
        "description": problem.description,
        "areas": sorted(a.name for a in problem.areas.all()),
        "categories": sorted(c.name for c in problem.categories.all()),
        "period_start": problem.period_start.isoformat(),
        "period_end": problem.period_end.isoformat(),
        "priority": problem.priority,
        "priority_label": str(problem.get_priority_display()),
        "status": problem.status,
        "status_label": str(problem.get_status_display()),
        "prioritised": problem.status == ProblemStatus.AKTUELL,
        "version": problem.version,
        "causes": [
            {
                "id": c.pk,
                "side": c.side,
                "side_label": str(side_labels.get(c.side, c.side)),
                "text": c.text,
                "evidence": c.evidence,
            }
            for c in problem.causes.all()
        ],
        "evidence": [
            {"kind": e.kind, "record_id": e.record_id, "label": e.label, "note": e.note}
            for e in problem.evidence.all()
        ],
        "figures": figures.get(str(problem.pk)),
    }


def _plan(report: StatutoryReport, problem_ids: set[int]) -> list[dict[str, Any]]:
    items = (
        ActionPlanItem.objects.filter(
            partnership_id=report.partnership_id, problem_id__in=problem_ids
        )
        .select_related("cause", "responsible")
        .prefetch_related("actions")
        .order_by("problem__priority", "problem__title", "problem_id", "id")
    )
    plan: list[dict[str, Any]] = [
        {
            "kind": "atgard",
            "id": item.pk,
            "problem": item.problem_id,
            "cause": item.cause_id,
            "cause_text": item.cause.text if item.cause else "",
            "title": item.title,
            "goal_type": item.goal_type,
            "goal_type_label": str(item.get_goal_type_display()),
            "indicator": item.indicator,
            "baseline": item.baseline,
            "target": item.target,
            "target_date": item.target_date.isoformat(),
            "responsible": item.responsible.name,
            "time_plan": item.time_plan,
            "resources": item.resources,
            "knowledge_basis": item.knowledge_basis,
            "follow_up_how": item.follow_up_how,
            "follow_up_when": item.follow_up_when.isoformat(),
            "actions": [
                {
                    "id": a.pk,
                    "title": a.title,
                    "status": a.status,
                    "done_count": a.done_count,
                    "planned_count": a.planned_count,
                }
                for a in item.actions.all()
                if not a.not_for_publication
            ],
        }
        for item in items
    ]
    for decision in NoActionDecision.objects.filter(
        partnership_id=report.partnership_id, problem_id__in=problem_ids
    ).order_by("problem__title"):
        plan.append(
            {
                "kind": "ingen_atgard",
                "id": decision.pk,
                "problem": decision.problem_id,
                "reason": decision.reason,
            }
        )
    return plan


def assemble(report: StatutoryReport) -> dict[str, Any]:
    """The document of a draft from its figures and texts and the current records."""
    figures = report.figures or {}
    texts = report.texts or {}
    partnership = report.partnership
    problems = problems_of(report)
    analysed = [_problem(p, figures.get("problems") or {}) for p in problems]
    problem_ids = {p.pk for p in problems}
    consultations = ConsultationEntry.objects.filter(report=report).order_by("date", "id")
    return {
        "document_version": DOCUMENT_VERSION,
        "metadata": {
            "municipality": partnership.municipality.name,
            "municipality_code": partnership.municipality_id,
            "county": partnership.municipality.county.name,
            "partnership": partnership.name,
            "period": {
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
                "label": report.period_label,
            },
            "version": report.version,
            "status": report.status,
            "data_cutoff": report.data_cutoff.isoformat() if report.data_cutoff else None,
            "computed_at": report.computed_at.isoformat() if report.computed_at else None,
            "author": _function(report),
            "consultations": [
                {
                    "actor_kind": c.actor_kind,
                    "actor_name": c.actor_name,
                    "date": c.date.isoformat(),
                    "contribution": c.contribution,
                }
                for c in consultations
            ],
            "decisions": _decisions(report),
            "supersedes": report.supersedes.version if report.supersedes else None,
            "change_reason": report.change_reason,
            "sources": figures.get("sources", []),
            "summary": texts.get("sammanfattning", ""),
            "law": "Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete",
            "assembled_at": timezone.now().isoformat(),
        },
        "kartlaggning": {
            "bra": [
                {
                    key: row[key]
                    for key in (
                        "year",
                        "category",
                        "count",
                        "per_100k",
                        "lan_per_100k",
                        "riket_per_100k",
                    )
                }
                for row in figures.get("bra", [])
            ],
            "police_events": figures.get("police", {"years": [], "rows": [], "totals": []}),
            "est": figures.get("est", {}),
            "consequences": texts.get("konsekvenser", ""),
            "comment": texts.get("kartlaggning", ""),
        },
        "annan_information": {
            "safety_walks": figures.get("walks", {"count": 0, "walks": [], "findings": []}),
            "police_assessment": texts.get("polisens_bedomning", ""),
            "coming_events": texts.get("kommande_handelser", ""),
            "risk_and_protective_factors": texts.get("riskfaktorer", ""),
            "other": texts.get("annan_information", ""),
        },
        "analys": {
            "problems": analysed,
            "text": texts.get("analys", ""),
            "knowledge_gaps": texts.get("kunskapsluckor", ""),
        },
        "atgardsplan": _plan(report, problem_ids),
    }


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed from one version's document to the next: texts, problems and plan items
    (added, removed, changed fields). Computed numbers are compared by their section."""
    out: list[dict[str, Any]] = []

    def compare(section: str, label: str, old: Any, new: Any) -> None:
        if old != new:
            out.append({"section": section, "label": label, "before": old, "after": new})

    for part, keys in (
        ("metadata", ("summary",)),
        ("kartlaggning", ("consequences", "comment")),
        (
            "annan_information",
            ("police_assessment", "coming_events", "risk_and_protective_factors", "other"),
        ),
        ("analys", ("text", "knowledge_gaps")),
    ):
        for key in keys:
            compare(part, key, before.get(part, {}).get(key, ""), after.get(part, {}).get(key, ""))
    compare(
        "kartlaggning",
        "bra",
        before.get("kartlaggning", {}).get("bra"),
        after.get("kartlaggning", {}).get("bra"),
    )
    compare(
        "kartlaggning",
        "est",
        before.get("kartlaggning", {}).get("est"),
        after.get("kartlaggning", {}).get("est"),
    )

    def keyed(items: list[dict[str, Any]], key: str = "id") -> dict[Any, dict[str, Any]]:
        return {(item.get("kind"), item[key]): item for item in items}

    old_problems = keyed(before.get("analys", {}).get("problems", []))
    new_problems = keyed(after.get("analys", {}).get("problems", []))
    _compare_items(out, "analys", old_problems, new_problems, ("figures",))
    old_plan = keyed(before.get("atgardsplan", []))
    new_plan = keyed(after.get("atgardsplan", []))
    _compare_items(out, "atgardsplan", old_plan, new_plan, ("actions",))
    return out


def _compare_items(
    out: list[dict[str, Any]],
    section: str,
    old: dict[Any, dict[str, Any]],
    new: dict[Any, dict[str, Any]],
    skip: tuple[str, ...],
) -> None:
    for key in sorted(set(old) | set(new), key=lambda k: (str(k[0]), k[1])):
        before, after = old.get(key), new.get(key)
        name = (after or before or {}).get("title") or (after or before or {}).get("reason", "")
        if before is None:
            out.append({"section": section, "label": name, "before": None, "after": "added"})
        elif after is None:
            out.append({"section": section, "label": name, "before": "removed", "after": None})
        else:
            for field in sorted(set(before) | set(after)):
                if field in skip or field.endswith("_label") or field == "version":
                    continue
                if before.get(field) != after.get(field):
                    out.append(
                        {
                            "section": section,
                            "label": f"{name}: {field}",
                            "before": before.get(field),
                            "after": after.get(field),
                        }
                    )
