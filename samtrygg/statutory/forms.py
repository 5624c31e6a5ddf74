"""Page forms of the statutory pages. They parse what was posted (ids, lists of ids, choices);
the services validate the meaning (dates, texts, whose records) and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samtrygg.core.forms import FilterForm, Form, IdField, IdListField, filter_choice, text_field
from samtrygg.statutory.models import (
    ConsultedActor,
    DecisionBodyKind,
    DecisionOutcome,
    FollowUpOutcome,
    GoalType,
    ProblemPriority,
    ProblemStatus,
    TriangleSide,
)


class DecisionForm(Form):
    """A decision about a document: which body, when, its paragraph or diarienummer, the
    outcome and a note. Any app's document page may use it with ``_decision_trail.html``."""

    body = IdField(widget=forms.Select, label=_("Organ"))
    date = text_field(max_length=40, label=_("Datum"))
    reference = text_field(max_length=1000, label=_("Paragraf eller diarienummer"))
    outcome = forms.ChoiceField(
        choices=DecisionOutcome.choices,
        label=_("Beslut"),
        error_messages={
            "required": _("Välj beslutets utfall."),
            "invalid_choice": _("Välj beslutets utfall."),
        },
    )
    note = text_field(label=_("Anteckning"))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.parsed()
        return {
            "body": data["body"],
            "date": data["date"],
            "reference": data["reference"],
            "outcome": data["outcome"],
            "note": data["note"],
        }


class DecisionBodyForm(Form):
    kind = forms.ChoiceField(
        choices=DecisionBodyKind.choices,
        error_messages={"invalid_choice": _("Välj vilken sorts organ det är.")},
    )
    name = text_field(max_length=1000)


class ProblemForm(Form):
    title = text_field(max_length=1000)
    description = text_field()
    period_start = text_field(max_length=40)
    period_end = text_field(max_length=40)
    priority = forms.TypedChoiceField(
        choices=ProblemPriority.choices,
        coerce=int,
        error_messages={"invalid_choice": _("Välj en prioritet.")},
    )
    status = forms.ChoiceField(
        choices=ProblemStatus.choices, error_messages={"invalid_choice": _("Välj en status.")}
    )
    areas = IdListField(required=False)
    categories = IdListField(required=False)


class CauseForm(Form):
    side = forms.ChoiceField(
        choices=TriangleSide.choices,
        error_messages={"invalid_choice": _("Välj en sida i problemtriangeln.")},
    )
    text = text_field()
    evidence = text_field()


class EvidenceForm(Form):
    """A record picked from the list of every evidence kind: ``kind:id``."""

    pick = text_field(max_length=100)
    note = text_field()

    def picked(self) -> tuple[str, str, str]:
        data = self.parsed()
        kind, _sep, record = data["pick"].partition(":")
        return kind, record, data["note"]


class PlanItemForm(Form):
    problem = IdField(required=False, widget=forms.Select)
    cause = IdField(required=False, widget=forms.Select)
    title = text_field(max_length=1000)
    goal_type = forms.ChoiceField(
        choices=GoalType.choices,
        error_messages={"invalid_choice": _("Välj effektmål eller prestationsmål.")},
    )
    indicator = text_field(max_length=1000)
    baseline = text_field(max_length=1000)
    target = text_field(max_length=1000)
    target_date = text_field(max_length=40)
    responsible = IdField(widget=forms.Select)
    time_plan = text_field(max_length=1000)
    resources = text_field()
    knowledge_basis = text_field()
    follow_up_how = text_field()
    follow_up_when = text_field(max_length=40)
    actions = IdListField(required=False)


class FollowUpForm(Form):
    date = text_field(max_length=40)
    outcome = forms.ChoiceField(
        choices=FollowUpOutcome.choices,
        error_messages={"invalid_choice": _("Välj hur långt åtgärden har kommit.")},
    )
    indicator_value = text_field(max_length=1000)
    text = text_field()


class NoActionForm(Form):
    reason = text_field()


class CoordinationForm(Form):
    unit = text_field(max_length=1000)
    roles = text_field()
    contact = text_field(max_length=1000)


class ReviewForm(Form):
    mapping_months = text_field(max_length=10)
    full_review_months = text_field(max_length=10)
    remind_days_before = text_field(max_length=10)
    next_review = text_field(max_length=40)


class ConsultationForm(Form):
    actor_kind = forms.ChoiceField(
        choices=ConsultedActor.choices,
        error_messages={"invalid_choice": _("Välj vilken sorts aktör som lämnade underlag.")},
    )
    actor_name = text_field(max_length=1000)
    date = text_field(max_length=40)
    contribution = text_field()


class DraftForm(Form):
    year = text_field(max_length=40)


class TextsForm(Form):
    """The samordnare's texts of a draft (the section keys of ``drafting.TEXT_SECTIONS``)."""

    section = text_field(max_length=40)
    text = text_field()


class NewVersionForm(Form):
    reason = text_field()


# --- Records named on a page (a button next to a row) ----------------------------------------


class CauseRefForm(Form):
    cause = IdField()


class EvidenceRefForm(Form):
    evidence = IdField()


class NoActionRefForm(Form):
    decision = IdField()


class BodyRefForm(Form):
    body = IdField()


class ConsultationRefForm(Form):
    entry = IdField()


# --- List filters ------------------------------------------------------------------------------


class ProblemFilterForm(FilterForm):
    status = filter_choice(ProblemStatus.choices)


class PlanPrefillForm(FilterForm):
    """The problem a new plan item is for, when the page is opened from the problem."""

    problem = IdField(required=False)
