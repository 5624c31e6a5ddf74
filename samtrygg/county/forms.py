"""What the county pages read: the matrix's sort order and the map's measure from the query
string (unknown values fall back to the defaults, a shared link never fails), and every POST
of the template's pages and of a partnership's adoption."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samtrygg.core.forms import FilterForm, Form, IdField, text_field
from samtrygg.statutory.extensions import SECTION_KEYS
from samtrygg.surveys.items import ANSWER_CODES

SORT_COLUMNS = (
    "kommun",
    "lagesbild",
    "atgardsplan",
    "samordning",
    "overenskommelse",
    "lofte",
    "uppfoljning",
    "est",
    "mall",
    "forsenat",
)


class SortForm(forms.Form):
    sortera = forms.ChoiceField(choices=[(c, c) for c in SORT_COLUMNS], required=False)
    ordning = forms.ChoiceField(
        choices=[("stigande", "stigande"), ("fallande", "fallande")], required=False
    )

    def order(self) -> tuple[str, bool]:
        """(column, descending); the kommun's name ascending when nothing valid was asked."""
        if not self.is_valid():
            return "kommun", False
        return (
            self.cleaned_data.get("sortera") or "kommun",
            self.cleaned_data.get("ordning") == "fallande",
        )


class MapForm(forms.Form):
    karta = forms.CharField(required=False, max_length=100)

    def key(self) -> str:
        return str(self.cleaned_data.get("karta") or "") if self.is_valid() else ""


# --- The county template -----------------------------------------------------------------------


class VersionForm(Form):
    name = text_field(max_length=1000)
    note = text_field()


class TemplateCategoryForm(Form):
    category = IdField(required=False)
    code = text_field(max_length=200)
    name = text_field(max_length=1000)
    group = text_field(max_length=1000)
    description = text_field()


class CategoryRefForm(Form):
    category = IdField()


class ProblemFieldsForm(Form):
    """Per part of the documentation: ``required-<key>`` (a tick box) and ``guidance-<key>``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in SECTION_KEYS:
            self.fields[f"required-{key}"] = forms.BooleanField(required=False)
            self.fields[f"guidance-{key}"] = text_field()

    def sections(self) -> dict[str, tuple[bool, str]]:
        data = self.parsed()
        return {
            key: (bool(data[f"required-{key}"]), data[f"guidance-{key}"]) for key in SECTION_KEYS
        }


class SurveyItemsForm(Form):
    items = forms.MultipleChoiceField(
        choices=[(code, code) for code in ANSWER_CODES],
        required=False,
        error_messages={"invalid_choice": _("Välj bland de fasta frågorna.")},
    )


class TemplateQuestionForm(Form):
    code = text_field(max_length=100)
    text = text_field(max_length=1000)
    answers = text_field(max_length=5000)
    positive = forms.TypedMultipleChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 10)],
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Välj vilka svar som räknas.")},
    )


class QuestionRefForm(Form):
    question = IdField()


class PublishForm(Form):
    confirm = forms.BooleanField(
        error_messages={
            "required": _("Kryssa i att du förstår att den publicerade versionen inte kan ändras.")
        }
    )


class AdoptionChoiceForm(FilterForm):
    """The version a partnership looks at before adopting it (``?version=2``)."""

    version = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=32767,
        error_messages={"invalid": _("Välj en version i listan.")},
    )


class AdoptionForm(Form):
    """The version, the decision and one select per category: ``map-<id>`` -> a category of
    the version (empty: kept as own)."""

    version = forms.IntegerField(
        min_value=1,
        max_value=32767,
        error_messages={
            "required": _("Välj en version i listan."),
            "invalid": _("Välj en version i listan."),
        },
    )
    decision = text_field(max_length=1000)
    confirm = forms.BooleanField(
        error_messages={
            "required": _("Kryssa i att samverkan antar länets mall i den här versionen.")
        }
    )

    def __init__(self, post: Any, category_ids: list[int]) -> None:
        super().__init__(post)
        for pk in category_ids:
            self.fields[f"map-{pk}"] = IdField(required=False, widget=forms.Select)

    def mapping(self) -> dict[int, int | None]:
        data = self.parsed()
        return {
            int(name.removeprefix("map-")): value
            for name, value in data.items()
            if name.startswith("map-")
        }
