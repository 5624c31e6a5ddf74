"""Page forms of agreements, promises and follow-ups. They parse what was posted (ids, lists,
choices); the services validate the meaning (dates, texts, parties) and write."""

from __future__ import annotations

from django import forms

from samtrygg.core.forms import Form, IdField, IdListField, text_field


class AgreementForm(Form):
    title = text_field(max_length=1000)
    starts_on = text_field(max_length=40)
    ends_on = text_field(max_length=40)
    goals = text_field()
    follow_up_method = text_field()
    other_parties = text_field(max_length=5000)
    problems = IdListField(required=False)


class PromiseForm(Form):
    title = text_field(max_length=1000)
    starts_on = text_field(max_length=40)
    ends_on = text_field(max_length=40)
    intro = text_field()
    basis_tags = forms.MultipleChoiceField(required=False, choices=[])
    basis_text = text_field()
    other_parties = text_field(max_length=5000)
    agreement = IdField(required=False, widget=forms.Select)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from samtrygg.promises.models import BasisTag

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["basis_tags"].choices = BasisTag.choices  # type: ignore[attr-defined]


class FocusAreaForm(Form):
    title = text_field(max_length=1000)
    description = text_field()


class ItemForm(Form):
    text = text_field(max_length=5000)
    focus_area = IdField(required=False, widget=forms.Select)
    responsible = text_field(max_length=40)
    organisation = IdField(required=False, widget=forms.Select)
    commitment = text_field(max_length=40)
    condition = text_field(max_length=5000)
    target = text_field(max_length=40)
    unit = text_field(max_length=200)
    rule_types = forms.MultipleChoiceField(required=False, choices=[])
    rule_areas = IdListField(required=False)
    rule_from = text_field(max_length=40)
    rule_to = text_field(max_length=40)
    plan_item = IdField(required=False, widget=forms.Select)
    problem = IdField(required=False, widget=forms.Select)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from samtrygg.actions.models import ActionType

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["rule_types"].choices = ActionType.choices  # type: ignore[attr-defined]


class RecordIdForm(Form):
    """The record a button acts on (an item, a focus area, a signature, an annex)."""

    record = IdField()


class SignForm(Form):
    party = text_field(max_length=400)
    name = text_field(max_length=1000)
    title = text_field(max_length=1000)
    signed_on = text_field(max_length=40)


class ReasonForm(Form):
    reason = text_field(max_length=5000)


class AnnexForm(Form):
    title = text_field(max_length=1000)
    picture = IdField(required=False, widget=forms.Select)
    file = forms.FileField(required=False)


class FollowUpForm(Form):
    period_start = text_field(max_length=40)
    period_end = text_field(max_length=40)


class SummaryForm(Form):
    summary = text_field()


class AssessForm(Form):
    record = IdField()
    assessment = text_field(max_length=40)
    comment = text_field()
