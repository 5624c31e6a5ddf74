"""Every write to problems, decisions, the statutory lägesbild, the åtgärdsplan, the
samordningsfunktion and the review cycle: validation, one transaction, audit.

A refusal is a DomainError with a Swedish message, and nothing is saved. An adopted version of
the statutory lägesbild is never changed here: every write to a version checks that it is a
draft, and a change after adoption is a new version (:func:`new_version`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import audit
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.evidence import evidence_kind, resolve_evidence
from samtrygg.core.models import Area, AuditAction, Organisation
from samtrygg.core.permissions import Actor
from samtrygg.core.services import (
    clean_date,
    clean_text,
    own_record,
    own_records,
    refuse_control_characters,
)
from samtrygg.statutory import extensions
from samtrygg.statutory.models import (
    ActionPlanItem,
    ConsultationEntry,
    ConsultedActor,
    CoordinationFunction,
    Decision,
    DecisionBody,
    DecisionBodyKind,
    DecisionOutcome,
    FollowUpOutcome,
    GoalType,
    NoActionDecision,
    PlanFollowUp,
    Problem,
    ProblemCause,
    ProblemEvidence,
    ProblemPriority,
    ProblemStatus,
    ProblemVersion,
    ReportStatus,
    ReviewSettings,
    StatutoryReport,
    TriangleSide,
)
from samtrygg.statutory.permissions import DECISION_ROLES, EDIT_ROLES

MAX_TEXT = 10_000
# Dates of the statutory work: nothing before the law's time, nothing absurdly far ahead.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def _text(
    value: str | None, field: str, label: str, *, required: bool = False, limit: int = MAX_TEXT
) -> str:
    return clean_text(value, field=field, label=label, required=required, limit=limit)


def _date(value: dt.date | str | None, field: str, label: str) -> dt.date:
    return clean_date(
        value, field=field, label=label, first_year=EARLIEST_YEAR, last_year=LATEST_YEAR
    )


def _choice(value: Any, choices: type[models.Choices], field: str, message: str) -> Any:
    if value not in choices.values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise DomainError(message, field=field) from None
        if number not in choices.values:
            raise DomainError(message, field=field)
        return number
    return value


def _require_edit(actor: Actor) -> None:
    actor.require(EDIT_ROLES)


def _require_own(actor: Actor, instance: Any) -> None:
    if getattr(instance, "partnership_id", None) != actor.partnership.pk:
        raise DomainError(_("Posten finns inte i den här samverkan."))


# --- Problems ------------------------------------------------------------------------------


def problem_snapshot(problem: Problem) -> dict[str, Any]:
    """What a version of a problem holds: its fields, areas, categories and causes."""
    return {
        "title": problem.title,
        "description": problem.description,
        "areas": sorted(a.name for a in problem.areas.all()),
        "categories": sorted(c.name for c in problem.categories.all()),
        "period_start": problem.period_start.isoformat(),
        "period_end": problem.period_end.isoformat(),
        "priority": problem.priority,
        "status": problem.status,
        "causes": [
            {"side": c.side, "text": c.text, "evidence": c.evidence}
            for c in problem.causes.order_by("side", "id")
        ],
    }


def _keep_version(actor: Actor, problem: Problem) -> None:
    """Keep the problem as it is before an edit, and count the edit as a new version."""
    kept = ProblemVersion.objects.create(
        problem=problem,
        version=problem.version,
        snapshot=problem_snapshot(problem),
        created_by=actor.stored_user,
    )
    audit.note(actor, AuditAction.CREATE, kept)
    with audit.change(actor, problem, only=["version"]):
        problem.version += 1


def _problem_fields(
    actor: Actor,
    *,
    title: str,
    description: str,
    period_start: Any,
    period_end: Any,
    priority: Any,
    status: Any,
    areas: Iterable[Any],
    categories: Iterable[Any],
) -> tuple[dict[str, Any], list[Area], list[Any]]:
    """A problem's validated fields, areas and categories, for its creation and its edits."""
    start = _date(period_start, "period_start", _("Period från"))
    end = _date(period_end, "period_end", _("Period till"))
    if end < start:
        raise DomainError(_("Perioden kan inte sluta före den börjar."), field="period_end")
    required = extensions.required_fields(actor.partnership, "problem")
    fields: dict[str, Any] = {
        "title": _text(title, "title", _("Rubrik"), required=True, limit=200),
        "description": _template_required(
            _text(description, "description", _("Beskrivning")),
            "description" in required,
            "description",
            _("Beskrivningen"),
            "kartlaggning",
        ),
        "period_start": start,
        "period_end": end,
        "priority": _choice(priority, ProblemPriority, "priority", _("Välj en prioritet.")),
        "status": _choice(status, ProblemStatus, "status", _("Välj en status.")),
    }
    area_list = own_records(
        actor, Area, areas, _("Delområdet finns inte i den här samverkan."), "areas"
    )
    return fields, area_list, _categories(actor, categories)


def _template_required(value: Any, required: bool, field: str, label: str, section: str) -> Any:
    """``value``, refused when it is empty and the adopted county template requires it."""
    if required and value in (None, ""):
        raise DomainError(
            _("%(label)s krävs enligt länets mall (%(section)s).")
            % {"label": label, "section": extensions.section_label(section)},
            field=field,
        )
    return value


def _categories(actor: Actor, ids: Iterable[Any]) -> list[Any]:
    from samtrygg.observations.models import Category

    message = _("Kategorin finns inte i den här samverkan.")
    return own_records(actor, Category, ids, message, "categories")


def create_problem(
    actor: Actor,
    *,
    title: str,
    description: str = "",
    period_start: Any,
    period_end: Any,
    priority: Any = ProblemPriority.MEDEL,
    status: Any = ProblemStatus.AKTUELL,
    areas: Iterable[Any] = (),
    categories: Iterable[Any] = (),
) -> Problem:
    _require_edit(actor)
    fields, area_list, category_list = _problem_fields(
        actor,
        title=title,
        description=description,
        period_start=period_start,
        period_end=period_end,
        priority=priority,
        status=status,
        areas=areas,
        categories=categories,
    )
    with transaction.atomic():
        problem = audit.create(
            actor,
            Problem,
            created_by=actor.stored_user,
            **fields,
        )
        problem.areas.set(area_list)
        problem.categories.set(category_list)
    return problem


def update_problem(
    actor: Actor,
    problem: Problem,
    *,
    title: str,
    description: str = "",
    period_start: Any,
    period_end: Any,
    priority: Any,
    status: Any,
    areas: Iterable[Any] = (),
    categories: Iterable[Any] = (),
) -> Problem:
    """Change a problem; what it was is kept as a version."""
    _require_edit(actor)
    _require_own(actor, problem)
    fields, area_list, category_list = _problem_fields(
        actor,
        title=title,
        description=description,
        period_start=period_start,
        period_end=period_end,
        priority=priority,
        status=status,
        areas=areas,
        categories=categories,
    )
    if fields["status"] != ProblemStatus.AKTUELL and problem.plan_items.exists():
        raise DomainError(
            _(
                "Problemet har åtgärder i åtgärdsplanen och måste vara aktuellt. Ta bort "
                "åtgärderna först."
            ),
            field="status",
        )
    with transaction.atomic():
        _keep_version(actor, problem)
        with audit.change(actor, problem):
            for name, value in fields.items():
                setattr(problem, name, value)
        problem.areas.set(area_list)
        problem.categories.set(category_list)
    return problem


def add_cause(
    actor: Actor, problem: Problem, *, side: str, text: str, evidence: str = ""
) -> ProblemCause:
    _require_edit(actor)
    _require_own(actor, problem)
    if side not in TriangleSide.values:
        raise DomainError(_("Välj en sida i problemtriangeln."), field="side")
    text = _text(text, "text", _("Orsak"), required=True, limit=2000)
    evidence = _text(evidence, "evidence", _("Underlag"), limit=2000)
    with transaction.atomic():
        _keep_version(actor, problem)
        cause = ProblemCause.objects.create(
            problem=problem, side=side, text=text, evidence=evidence
        )
        audit.note(actor, AuditAction.CREATE, cause)
    return cause


def remove_cause(actor: Actor, cause: ProblemCause) -> None:
    _require_edit(actor)
    problem = cause.problem
    _require_own(actor, problem)
    if cause.plan_items.exists():
        raise DomainError(_("Orsaken har åtgärder i åtgärdsplanen. Ändra eller ta bort dem först."))
    with transaction.atomic():
        _keep_version(actor, problem)
        audit.note(actor, AuditAction.DELETE, cause)
        cause.delete()


def attach_evidence(
    actor: Actor, problem: Problem, *, kind: str, record_id: Any, note: str = ""
) -> ProblemEvidence:
    """Attach a record of a registered evidence kind the actor may read."""
    _require_edit(actor)
    _require_own(actor, problem)
    if evidence_kind(kind) is None:
        raise DomainError(_("Välj en typ av underlag."), field="kind")
    try:
        number = int(record_id)
    except (TypeError, ValueError):
        raise DomainError(_("Välj en post i listan."), field="record_id") from None
    item = resolve_evidence(actor, kind, number)
    if item is None:
        raise DomainError(_("Underlaget finns inte eller får inte läsas."), field="record_id")
    note = _text(note, "note", _("Kommentar"), limit=2000)
    if ProblemEvidence.objects.filter(problem=problem, kind=kind, record_id=number).exists():
        raise DomainError(_("Underlaget är redan kopplat till problemet."), field="record_id")
    with transaction.atomic():
        attached = ProblemEvidence.objects.create(
            problem=problem, kind=kind, record_id=number, label=item.label[:300], note=note
        )
        audit.note(actor, AuditAction.CREATE, attached)
    return attached


def detach_evidence(actor: Actor, evidence: ProblemEvidence) -> None:
    _require_edit(actor)
    _require_own(actor, evidence.problem)
    with transaction.atomic():
        audit.note(actor, AuditAction.DELETE, evidence)
        evidence.delete()


# --- Decision bodies and decisions ---------------------------------------------------------


def create_decision_body(actor: Actor, *, kind: str, name: str) -> DecisionBody:
    actor.require(DECISION_ROLES)
    if kind not in DecisionBodyKind.values:
        raise DomainError(_("Välj vilken sorts organ det är."), field="kind")
    name = _text(name, "name", _("Namn"), required=True, limit=200)
    if DecisionBody.objects.filter(partnership=actor.partnership, name__iexact=name).exists():
        raise DomainError(_("Det finns redan ett beslutsorgan med det namnet."), field="name")
    return audit.create(actor, DecisionBody, kind=kind, name=name)


def remove_decision_body(actor: Actor, body: DecisionBody) -> None:
    actor.require(DECISION_ROLES)
    _require_own(actor, body)
    if body.decisions.exists():
        raise DomainError(_("Organet har fattat beslut som finns i beslutsgången och står kvar."))
    audit.delete(actor, body)


def record_decision(
    actor: Actor,
    subject: models.Model,
    *,
    body: DecisionBody | int,
    date: dt.date | str,
    reference: str,
    outcome: str,
    note: str = "",
) -> Decision:
    """Record a body's decision about a document of the actor's partnership (any model with a
    ``partnership``). A document that says ``accepts_decisions`` False (an adopted version)
    takes no further decisions."""
    actor.require(DECISION_ROLES)
    if subject is None or subject.pk is None:
        raise DomainError(_("Beslutet måste gälla ett dokument."))
    if getattr(subject, "partnership_id", None) != actor.partnership.pk:
        raise PermissionDenied(_("Dokumentet hör inte till den här samverkan."))
    if not getattr(subject, "accepts_decisions", True):
        raise DomainError(
            _("Versionen är antagen och ändras inte. Gör en ny version för ett nytt beslut.")
        )
    chosen = own_record(
        actor, DecisionBody, body, _("Välj ett beslutsorgan i den här samverkan."), "body"
    )
    day = _date(date, "date", _("Datum"))
    if day > timezone.localdate():
        raise DomainError(_("Ett beslut kan inte ha ett datum i framtiden."), field="date")
    reference = _text(
        reference, "reference", _("Paragraf eller diarienummer"), required=True, limit=100
    )
    if outcome not in DecisionOutcome.values:
        raise DomainError(_("Välj beslutets utfall."), field="outcome")
    note = _text(note, "note", _("Anteckning"), limit=2000)
    return audit.create(
        actor,
        Decision,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        body=chosen,
        date=day,
        reference=reference,
        outcome=outcome,
        note=note,
        created_by=actor.stored_user,
    )


# --- The åtgärdsplan -----------------------------------------------------------------------


def _plan_fields(actor: Actor, problem: Problem, data: dict[str, Any]) -> dict[str, Any]:
    if problem.status != ProblemStatus.AKTUELL:
        raise DomainError(
            _("Åtgärder planeras för prioriterade problem: sätt problemet som aktuellt."),
            field="problem",
        )
    if NoActionDecision.objects.filter(problem=problem).exists():
        raise DomainError(
            _("Det finns ett beslut att inte vidta åtgärder mot problemet. Ta bort det först."),
            field="problem",
        )
    cause = None
    if data.get("cause") not in (None, ""):
        cause_id = data["cause"].pk if isinstance(data["cause"], models.Model) else data["cause"]
        cause = ProblemCause.objects.filter(problem=problem, pk=_int(cause_id, "cause")).first()
        if cause is None:
            raise DomainError(_("Välj en orsak som hör till problemet."), field="cause")
    if data.get("goal_type") not in GoalType.values:
        raise DomainError(_("Välj effektmål eller prestationsmål."), field="goal_type")
    target_date = _date(data.get("target_date"), "target_date", _("Måldatum"))
    follow_up_when = _date(data.get("follow_up_when"), "follow_up_when", _("Uppföljning senast"))
    required = extensions.required_fields(actor.partnership, "plan_item")

    def by_template(value: Any, field: str, label: str, section: str) -> Any:
        return _template_required(value, field in required, field, label, section)

    return {
        "problem": problem,
        "cause": by_template(cause, "cause", _("Orsaken som åtgärden angriper"), "orsaksanalys"),
        "title": _text(data.get("title"), "title", _("Åtgärd"), required=True, limit=200),
        "goal_type": data["goal_type"],
        "indicator": _text(
            data.get("indicator"), "indicator", _("Indikator"), required=True, limit=300
        ),
        "baseline": by_template(
            _text(data.get("baseline"), "baseline", _("Utgångsvärde"), limit=100),
            "baseline",
            _("Utgångsvärdet"),
            "mal",
        ),
        "target": _text(data.get("target"), "target", _("Målvärde"), required=True, limit=100),
        "target_date": target_date,
        "responsible": own_record(
            actor,
            Organisation,
            data.get("responsible"),
            _("Välj en ansvarig organisation i den här samverkan."),
            "responsible",
        ),
        "time_plan": by_template(
            _text(data.get("time_plan"), "time_plan", _("Tidplan"), limit=300),
            "time_plan",
            _("Tidplanen"),
            "aktiviteter",
        ),
        "resources": by_template(
            _text(data.get("resources"), "resources", _("Resurser"), limit=2000),
            "resources",
            _("Resurserna"),
            "aktiviteter",
        ),
        "knowledge_basis": _text(
            data.get("knowledge_basis"), "knowledge_basis", _("Kunskapsunderlag"), limit=2000
        ),
        "follow_up_how": by_template(
            _text(
                data.get("follow_up_how"), "follow_up_how", _("Hur uppföljningen görs"), limit=2000
            ),
            "follow_up_how",
            _("Hur uppföljningen görs"),
            "uppfoljning",
        ),
        "follow_up_when": follow_up_when,
    }


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Välj en post i listan."), field=field) from None


def _actions(actor: Actor, ids: Iterable[Any]) -> list[Any]:
    from samtrygg.actions.models import Action

    return own_records(actor, Action, ids, _("Insatsen finns inte i den här samverkan."), "actions")


PLAN_FIELDS = (
    "cause",
    "title",
    "goal_type",
    "indicator",
    "baseline",
    "target",
    "target_date",
    "responsible",
    "time_plan",
    "resources",
    "knowledge_basis",
    "follow_up_how",
    "follow_up_when",
)


def create_plan_item(
    actor: Actor, problem: Problem, *, actions: Iterable[Any] = (), **data: Any
) -> ActionPlanItem:
    """A measure of the plan for a prioritised problem; ``data`` holds :data:`PLAN_FIELDS`."""
    _require_edit(actor)
    _require_own(actor, problem)
    fields = _plan_fields(actor, problem, data)
    linked = _actions(actor, actions)
    with transaction.atomic():
        item = audit.create(
            actor,
            ActionPlanItem,
            created_by=actor.stored_user,
            **fields,
        )
        item.actions.set(linked)
    return item


def update_plan_item(
    actor: Actor, item: ActionPlanItem, *, actions: Iterable[Any] = (), **data: Any
) -> ActionPlanItem:
    _require_edit(actor)
    _require_own(actor, item)
    fields = _plan_fields(actor, item.problem, data)
    linked = _actions(actor, actions)
    with transaction.atomic():
        with audit.change(actor, item):
            for name, value in fields.items():
                setattr(item, name, value)
        item.actions.set(linked)
    return item


def remove_plan_item(actor: Actor, item: ActionPlanItem) -> None:
    _require_edit(actor)
    _require_own(actor, item)
    if item.follow_ups.exists():
        raise DomainError(
            _("Åtgärden har uppföljningar och står kvar. Sätt den som inställd i en uppföljning.")
        )
    with transaction.atomic():
        item.actions.clear()
        audit.delete(actor, item)


def record_follow_up(
    actor: Actor,
    item: ActionPlanItem,
    *,
    date: Any,
    outcome: str,
    indicator_value: str = "",
    text: str = "",
) -> PlanFollowUp:
    _require_edit(actor)
    _require_own(actor, item)
    day = _date(date, "date", _("Datum"))
    if day > timezone.localdate():
        raise DomainError(_("En uppföljning kan inte ha ett datum i framtiden."), field="date")
    if outcome not in FollowUpOutcome.values:
        raise DomainError(_("Välj hur långt åtgärden har kommit."), field="outcome")
    indicator_value = _text(indicator_value, "indicator_value", _("Indikatorns värde"), limit=100)
    text = _text(text, "text", _("Kommentar"), limit=5000)
    with transaction.atomic():
        follow_up = PlanFollowUp.objects.create(
            item=item,
            date=day,
            outcome=outcome,
            indicator_value=indicator_value,
            text=text,
            created_by=actor.stored_user,
        )
        audit.note(actor, AuditAction.CREATE, follow_up)
    return follow_up


def record_no_action(actor: Actor, problem: Problem, *, reason: str) -> NoActionDecision:
    """Record that no measures are taken against a problem, and why."""
    _require_edit(actor)
    _require_own(actor, problem)
    reason = _text(reason, "reason", _("Skäl"), required=True, limit=5000)
    if problem.plan_items.exists():
        raise DomainError(
            _("Problemet har åtgärder i planen. Ta bort dem innan du beslutar att inte agera."),
            field="reason",
        )
    if NoActionDecision.objects.filter(problem=problem).exists():
        raise DomainError(_("Det finns redan ett sådant beslut för problemet."), field="reason")
    return audit.create(actor, NoActionDecision, problem=problem, reason=reason)


def remove_no_action(actor: Actor, decision: NoActionDecision) -> None:
    _require_edit(actor)
    _require_own(actor, decision)
    audit.delete(actor, decision)


# --- Samordningsfunktion and review cycle ----------------------------------------------------


_PERSONAL_MAILBOX = re.compile(r"^[a-zåäöéü]{2,}[._-][a-zåäöéü]{2,}$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


def functional_contact(value: str | None) -> str:
    """A shared way to reach the function: a functional mailbox, a switchboard number or a
    web address. A mailbox that reads as a person's name (förnamn.efternamn@) is refused:
    the function is reached without naming anyone."""
    text = (value or "").strip()
    label = _("Funktionell kontakt")
    if not text:
        raise DomainError(_("%(label)s måste fyllas i.") % {"label": label}, field="contact")
    if len(text) > 200:
        raise DomainError(
            _("%(label)s får vara högst %(n)d tecken.") % {"label": label, "n": 200},
            field="contact",
        )
    refuse_control_characters(text, field="contact", label=label)
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise DomainError(_("Skriv en giltig e-postadress."), field="contact") from None
        if _PERSONAL_MAILBOX.match(text.split("@")[0]):
            raise DomainError(
                _(
                    "Ange en gemensam funktionsbrevlåda (t.ex. trygghet@kommun.se), inte en "
                    "persons adress."
                ),
                field="contact",
            )
        return text
    if _PHONE.match(text) or text.startswith("https://"):
        return text
    raise DomainError(
        _("Ange en funktionsbrevlåda, ett växelnummer eller en webbadress (https://)."),
        field="contact",
    )


def set_coordination_function(
    actor: Actor, *, unit: str, roles: str = "", contact: str
) -> CoordinationFunction:
    """Set up (or change) the partnership's samordningsfunktion."""
    _require_edit(actor)
    fields: dict[str, Any] = {
        "unit": _text(unit, "unit", _("Enhet"), required=True, limit=200),
        "roles": _text(roles, "roles", _("Roller i funktionen"), limit=5000),
        "contact": functional_contact(contact),
    }
    existing = CoordinationFunction.objects.filter(partnership=actor.partnership).first()
    if existing is None:
        return audit.create(actor, CoordinationFunction, **fields)
    return audit.update(actor, existing, **fields)


def record_coordination_decision(
    actor: Actor, function: CoordinationFunction, **decision: Any
) -> Decision:
    """A decision about the samordningsfunktion; the first approving one is what set it up."""
    _require_own(actor, function)
    with transaction.atomic():
        recorded = record_decision(actor, function, **decision)
        if recorded.outcome == DecisionOutcome.GODKANT and function.decision_id is None:
            audit.update(actor, function, decision=recorded)
    return recorded


def _review_settings(actor: Actor) -> ReviewSettings:
    found = ReviewSettings.objects.filter(partnership=actor.partnership).first()
    return found or ReviewSettings(partnership=actor.partnership)


def update_review_settings(
    actor: Actor,
    *,
    mapping_months: Any,
    full_review_months: Any,
    remind_days_before: Any,
    next_review: Any = None,
) -> ReviewSettings:
    _require_edit(actor)

    def months(value: Any, field: str, label: str, low: int, high: int) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise DomainError(
                _("%(label)s ska vara ett heltal.") % {"label": label}, field=field
            ) from None
        if not low <= number <= high:
            raise DomainError(
                _("%(label)s ska vara mellan %(low)d och %(high)d.")
                % {"label": label, "low": low, "high": high},
                field=field,
            )
        return number

    mapping = months(mapping_months, "mapping_months", _("Kartläggning"), 1, 24)
    full = months(full_review_months, "full_review_months", _("Hela lägesbilden och planen"), 1, 24)
    if mapping > full:
        raise DomainError(
            _("Kartläggningen ska ses över minst lika ofta som hela lägesbilden."),
            field="mapping_months",
        )
    values: dict[str, Any] = {
        "mapping_months": months(mapping_months, "mapping_months", _("Kartläggning"), 1, 24),
        "full_review_months": months(
            full_review_months, "full_review_months", _("Hela lägesbilden och planen"), 1, 24
        ),
        "remind_days_before": months(
            remind_days_before, "remind_days_before", _("Påminnelse"), 1, 180
        ),
        "next_review": (
            _date(next_review, "next_review", _("Nästa översyn"))
            if next_review not in (None, "")
            else None
        ),
    }
    settings_ = _review_settings(actor)
    if settings_.pk is None:
        return audit.create(actor, ReviewSettings, **values)
    if values["next_review"] != settings_.next_review:
        values["reminded_for"] = None
    return audit.update(actor, settings_, **values)


def mark_reminded(actor: Any, settings_: ReviewSettings, day: dt.date) -> ReviewSettings:
    """Note that the reminder before the review on ``day`` went out (a job's write)."""
    return audit.update(actor, settings_, in_partnership=settings_.partnership, reminded_for=day)


# --- Consultations (samråd) of a draft -------------------------------------------------------


def _require_draft(report: StatutoryReport) -> None:
    if report.status != ReportStatus.UTKAST:
        raise DomainError(
            _("Versionen är antagen och kan inte ändras. Gör en ny version för att ändra.")
        )


def add_consultation(
    actor: Actor,
    report: StatutoryReport,
    *,
    actor_kind: str,
    actor_name: str,
    date: Any,
    contribution: str,
) -> ConsultationEntry:
    _require_edit(actor)
    _require_own(actor, report)
    _require_draft(report)
    if actor_kind not in ConsultedActor.values:
        raise DomainError(_("Välj vilken sorts aktör som lämnade underlag."), field="actor_kind")
    day = _date(date, "date", _("Datum"))
    if day > timezone.localdate():
        raise DomainError(_("Samrådet kan inte ha ett datum i framtiden."), field="date")
    entry = ConsultationEntry(
        report=report,
        actor_kind=actor_kind,
        actor_name=_text(actor_name, "actor_name", _("Organisation"), required=True, limit=200),
        date=day,
        contribution=_text(contribution, "contribution", _("Bidrag"), required=True, limit=5000),
    )
    with transaction.atomic():
        entry.save()
        audit.note(actor, AuditAction.CREATE, entry)
    return entry


def remove_consultation(actor: Actor, entry: ConsultationEntry) -> None:
    _require_edit(actor)
    _require_own(actor, entry.report)
    _require_draft(entry.report)
    with transaction.atomic():
        audit.note(actor, AuditAction.DELETE, entry)
        entry.delete()


# --- The statutory lägesbild: draft, texts, adoption, new versions ---------------------------


def _year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("Ange ett år, t.ex. 2025."), field="year") from None
    if not EARLIEST_YEAR <= year <= timezone.localdate().year:
        raise DomainError(
            _("Året ska ligga mellan %(first)d och i år.") % {"first": EARLIEST_YEAR},
            field="year",
        )
    return year


def _compute(report: StatutoryReport) -> None:
    """Fill a draft's figures from the stored data (the caller saves and audits)."""
    from samtrygg.statutory import document, drafting

    problems = document.problems_of(report)
    report.figures = drafting.figures(report.partnership, report.period_start.year, problems)
    report.computed_at = timezone.now()
    report.data_cutoff = timezone.localdate()


def draft_report(actor: Actor, *, year: Any) -> StatutoryReport:
    """A new draft of the statutory lägesbild of a calendar year, its numbers computed now.
    There is one draft at a time; a year with an adopted version gets a new version of it."""
    _require_edit(actor)
    chosen = _year(year)
    if StatutoryReport.objects.filter(
        partnership=actor.partnership, status=ReportStatus.UTKAST
    ).exists():
        raise DomainError(
            _("Det finns redan ett utkast. Arbeta vidare med det eller anta det först."),
            field="year",
        )
    start, end = dt.date(chosen, 1, 1), dt.date(chosen, 12, 31)
    previous = (
        StatutoryReport.objects.filter(
            partnership=actor.partnership, period_start=start, period_end=end
        )
        .order_by("-version")
        .first()
    )
    supersedes = previous if previous and previous.status == ReportStatus.ANTAGEN else None
    report = StatutoryReport(
        partnership=actor.partnership,
        period_start=start,
        period_end=end,
        version=(previous.version + 1) if previous else 1,
        supersedes=supersedes,
        texts=dict(supersedes.texts) if supersedes else {},
        created_by=actor.stored_user,
    )
    with transaction.atomic():
        _compute(report)
        audit.created(actor, report)
        if supersedes is not None:
            _copy_consultations(supersedes, report)
    return report


def _copy_consultations(source: StatutoryReport, target: StatutoryReport) -> None:
    ConsultationEntry.objects.bulk_create(
        ConsultationEntry(
            report=target,
            actor_kind=c.actor_kind,
            actor_name=c.actor_name,
            date=c.date,
            contribution=c.contribution,
        )
        for c in source.consultations.all()
    )


def recompute_report(actor: Actor, report: StatutoryReport) -> StatutoryReport:
    """Compute a draft's numbers again from today's data."""
    _require_edit(actor)
    _require_own(actor, report)
    _require_draft(report)
    with audit.change(actor, report, only=["figures", "computed_at", "data_cutoff"]):
        _compute(report)
    return report


def save_text(actor: Actor, report: StatutoryReport, *, section: str, text: str) -> StatutoryReport:
    """The samordnare's text of one section of a draft."""
    from samtrygg.statutory.drafting import TEXT_KEYS

    _require_edit(actor)
    _require_own(actor, report)
    _require_draft(report)
    if section not in TEXT_KEYS:
        raise DomainError(_("Okänt avsnitt."), field="section")
    cleaned = _text(text, "text", _("Text"), limit=20_000)
    with audit.change(actor, report, only=["texts"]):
        report.texts = {**(report.texts or {}), section: cleaned}
    return report


def adopt_report(actor: Actor, report: StatutoryReport) -> StatutoryReport:
    """Adopt a draft after a recorded approving decision: the whole document is frozen in the
    version's snapshot, and the version it supersedes is marked as replaced."""
    from samtrygg.statutory import document

    _require_edit(actor)
    _require_own(actor, report)
    _require_draft(report)
    decision = document.decisions_about(report).last()
    if decision is None or decision.outcome != DecisionOutcome.GODKANT:
        raise DomainError(
            _(
                "Registrera först beslutet som godkänner lägesbilden och åtgärdsplanen "
                "(organ, datum, paragraf)."
            )
        )
    if report.computed_at is None:
        raise DomainError(_("Utkastet saknar beräknade uppgifter. Beräkna dem först."))
    with transaction.atomic():
        locked = StatutoryReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.UTKAST:
            raise DomainError(_("Versionen är redan antagen."))
        frozen = document.assemble(report)
        frozen["metadata"]["status"] = ReportStatus.ANTAGEN
        frozen["metadata"]["decision"] = document.decision_dict(decision)
        frozen["metadata"]["adopted_on"] = decision.date.isoformat()
        with audit.change(actor, report):
            report.status = ReportStatus.ANTAGEN
            report.snapshot = frozen
            report.adopted_at = timezone.now()
            report.adopted_by = actor.stored_user
            report.decision = decision
            report.decided_on = decision.date
            report.plan_items = sum(1 for item in frozen["atgardsplan"] if item["kind"] == "atgard")
        if report.supersedes_id:
            superseded = StatutoryReport.objects.get(pk=report.supersedes_id)
            if superseded.status == ReportStatus.ANTAGEN:
                audit.update(actor, superseded, status=ReportStatus.ERSATT)
    return report


def new_version(actor: Actor, report: StatutoryReport, *, reason: str) -> StatutoryReport:
    """A new draft that will supersede an adopted version: same period, its texts and
    consultations carried over, its numbers computed now. The adopted version stays as it is."""
    _require_edit(actor)
    _require_own(actor, report)
    if report.status != ReportStatus.ANTAGEN:
        raise DomainError(_("Bara den gällande antagna versionen kan ersättas med en ny."))
    reason = _text(reason, "reason", _("Skäl till den nya versionen"), required=True, limit=2000)
    if StatutoryReport.objects.filter(
        partnership=actor.partnership, status=ReportStatus.UTKAST
    ).exists():
        raise DomainError(_("Det finns redan ett utkast. Arbeta vidare med det."), field="reason")
    latest = (
        StatutoryReport.objects.filter(
            partnership=actor.partnership,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        .order_by("-version")
        .first()
    )
    draft = StatutoryReport(
        partnership=actor.partnership,
        period_start=report.period_start,
        period_end=report.period_end,
        version=(latest.version if latest else report.version) + 1,
        supersedes=report,
        change_reason=reason,
        texts=dict(report.texts or {}),
        created_by=actor.stored_user,
    )
    with transaction.atomic():
        _compute(draft)
        audit.created(actor, draft)
        _copy_consultations(report, draft)
    return draft
