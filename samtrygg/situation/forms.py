"""Page forms of the lägesbild: the live picture's period and filters, a draft's period, the
levels form, and a correction's reason. They parse what was sent; the services validate the
meaning and write."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samtrygg.analysis.picture import Period
from samtrygg.core.errors import DomainError
from samtrygg.core.forms import FilterForm, Form, IdListField, text_field
from samtrygg.observations.models import Source
from samtrygg.situation import compute
from samtrygg.situation.models import AreaLevel, LevelChoice, TrendChoice

# Periods outside these years are refused: the engine's baselines and the period navigation
# reach outside the calendar near year 1 and year 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def parse_period(text: str | None) -> Period:
    """A period typed by the user (empty: this week); DomainError in Swedish when unknown."""
    try:
        if text is not None and len(text) > 40:
            raise ValueError(text)
        period = compute.parse_period(text)
        first = compute.parse_period(str(FIRST_YEAR))
        last = compute.parse_period(str(LAST_YEAR))
        if not first.start <= period.start < last.end:
            raise ValueError(text)
    except ValueError as exc:
        raise DomainError(
            _("Okänd period. Skriv t.ex. 2025-W47, 2025-11, 2025-T3 eller 2025 (år %(a)d–%(b)d).")
            % {"a": FIRST_YEAR, "b": LAST_YEAR},
            field="period",
        ) from exc
    return period


class PeriodField(forms.Field):
    """A period label (2025-W47, 2025-11, 2025-T3, 2025); empty is this week."""

    def to_python(self, value: Any) -> Period:
        try:
            return parse_period(str(value).strip() if value is not None else "")
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from exc


def source_choices() -> list[tuple[str, Any]]:
    """The sources a picture can be filtered on: the reports' channels and the police."""
    return [*Source.choices, (compute.POLICE, gettext_lazy("Polisens händelser"))]


class PictureFilterForm(FilterForm):
    """The live picture's period and filters: categories, sources and organisations."""

    period = PeriodField(required=False)
    kategori = IdListField(required=False)
    kalla = forms.MultipleChoiceField(
        required=False,
        choices=source_choices,
        error_messages={"invalid_choice": gettext_lazy("Välj bland källorna i listan.")},
    )
    organisation = IdListField(required=False)

    def chosen(self) -> tuple[Period, compute.Filters]:
        """The period and the filters. A refused field counts as left out (this week, no
        filter); the page says so beside the field."""
        self.is_valid()
        data = self.cleaned_data
        period = data.get("period") or parse_period("")
        filters = compute.Filters(
            categories=tuple(sorted(set(data.get("kategori") or []))),
            sources=tuple(sorted(set(data.get("kalla") or []))),
            organisations=tuple(sorted(set(data.get("organisation") or []))),
        )
        return period, filters


def picture_query(period: Period, filters: compute.Filters) -> str:
    """The query string of a period and its filters, as the filter form reads it."""
    pairs: list[tuple[str, Any]] = [("period", period.label)]
    pairs += [("kategori", pk) for pk in filters.categories]
    pairs += [("kalla", source) for source in filters.sources]
    pairs += [("organisation", pk) for pk in filters.organisations]
    return urlencode(pairs)


class DraftForm(Form):
    """ "Ta fram utkast": the period of the draft."""

    period = PeriodField(required=False)


class CorrectionForm(Form):
    reason = text_field()


class LevelsForm(Form):
    """Every delområde's level, trend and reason (``level-<id>``, ``trend-<id>``,
    ``reason-<id>``) and the assessment. A row the page did not send is left as it is."""

    assessment = text_field()

    def __init__(self, data: Any, rows: list[AreaLevel]) -> None:
        super().__init__(data)
        self.rows = rows
        for row in rows:
            for name, choices in (("level", LevelChoice.choices), ("trend", TrendChoice.choices)):
                self.fields[f"{name}-{row.pk}"] = forms.TypedChoiceField(
                    choices=choices,
                    coerce=int,
                    required=False,
                    empty_value=None,
                    error_messages={"invalid_choice": _("Okänd nivå eller trend.")},
                )
            self.fields[f"reason-{row.pk}"] = text_field(max_length=100_000)

    def changes(self) -> list[tuple[AreaLevel, dict[str, Any]]]:
        """The rows that were sent, each with its level, trend and reason (the trend as
        saved when none was sent). A refused row is a DomainError naming its delområde."""
        if not self.is_valid():
            for row in self.rows:
                if any(f"{name}-{row.pk}" in self.errors for name in ("level", "trend")):
                    raise DomainError(
                        _("%(a)s: Okänd nivå eller trend.") % {"a": row.area_name}, field="level"
                    )
            self.parsed()
        data = self.cleaned_data
        for row in self.rows:
            if self.sent(f"level-{row.pk}") and data[f"level-{row.pk}"] is None:
                raise DomainError(
                    _("%(a)s: Okänd nivå eller trend.") % {"a": row.area_name}, field="level"
                )
        return [
            (
                row,
                {
                    "level": data[f"level-{row.pk}"],
                    "trend": data[f"trend-{row.pk}"]
                    if data[f"trend-{row.pk}"] is not None
                    else row.trend,
                    "reason": data[f"reason-{row.pk}"],
                },
            )
            for row in self.rows
            if self.sent(f"level-{row.pk}")
        ]

    def typed_rows(self) -> dict[int, dict[str, Any]]:
        """What was sent for each row, where it can be shown: a level or trend that is one
        of the choices, and the reason as typed."""
        shown: dict[int, dict[str, Any]] = {}
        for row in self.rows:
            values: dict[str, Any] = {}
            for name, choices in (("level", LevelChoice.values), ("trend", TrendChoice.values)):
                text = str(self[f"{name}-{row.pk}"].value() or "")
                if text.lstrip("-").isdigit() and int(text) in choices:
                    values[name] = int(text)
            if self.sent(f"reason-{row.pk}"):
                values["reason"] = self[f"reason-{row.pk}"].value()
            shown[row.pk] = values
        return shown
