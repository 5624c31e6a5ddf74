"""The forms of the survey and dialogue pages. They pass text on as typed: the services check
every value and refuse with a Swedish message naming the field."""

from __future__ import annotations

from typing import Any

from django import forms

from samtrygg.core.forms import FilterForm, Form, IdListField, SubmitForm, text_field
from samtrygg.surveys import items
from samtrygg.surveys.models import DIALOGUE_AGES, DIALOGUE_GENDERS


class WaveForm(Form):
    """A new wave, or the import of a supplier's file (``form`` says which)."""

    form = text_field(max_length=20)
    name = text_field(max_length=1000)
    year = text_field(max_length=100)
    sample = text_field(max_length=20)


class ResultsFilterForm(FilterForm):
    """Which question and which delområde the results page shows (lenient: anything else
    shows the defaults)."""

    fraga = forms.CharField(required=False, max_length=20)
    omrade = forms.CharField(required=False, max_length=30)


class WebForm(SubmitForm):
    """Open or close the web survey, choose its own questions, remove the wave."""

    questions = IdListField(required=False)


class TokenForm(Form):
    count = text_field(max_length=20)


class QuestionForm(Form):
    code = text_field(max_length=100)
    text = text_field(max_length=10_000)
    answers = text_field(max_length=10_000)
    positive = IdListField(required=False)


class DialogueFilterForm(FilterForm):
    form = forms.CharField(required=False, max_length=40)
    omrade = forms.CharField(required=False, max_length=30)


DIALOGUE_FIELDS = ("title", "held_on", "format", "area", "organisers", "participants", "summary")


class DialogueForm(SubmitForm):
    """A dialogue, with one count field per category of the partnership (``theme_<id>``)."""

    title = text_field()
    held_on = text_field(max_length=100)
    format = text_field(max_length=100)
    area = text_field(max_length=100)
    organisers = text_field()
    participants = text_field(max_length=100)
    summary = text_field()

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, _gender in DIALOGUE_GENDERS:
            self.fields[f"gender_{key}"] = text_field(max_length=100)
        for key, _age in DIALOGUE_AGES:
            self.fields[f"age_{key}"] = text_field(max_length=100)
        for category in categories:
            self.fields[f"theme_{category.pk}"] = text_field(max_length=100)
        self.categories = categories


class TokenQueryForm(FilterForm):
    """The code in a printed link (``?kod=``), to fill in the form."""

    kod = forms.CharField(required=False, max_length=40)


class AnswerForm(Form):
    """A resident's answers: one text field per item code and own question, as sent."""

    token = text_field(max_length=100)
    area = text_field(max_length=100)
    gender = text_field(max_length=100)
    age_band = text_field(max_length=100)
    comment = text_field(max_length=20_000)

    def __init__(self, *args: Any, own_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in [*items.ANSWER_CODES, *own_codes]:
            self.fields[code] = text_field(max_length=100)
        self.answer_codes = [*items.ANSWER_CODES, *own_codes]
