"""Page forms of reporting: the report (one form per incident, named ``field-N`` on the page so
the offline script and the page without script post the same), imports, merging, categories,
the police type mapping and the time bands. They parse; the services validate and write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samtrygg.core.forms import Form, IdField, text_field

TIME_BAND_ROWS = 8
# An incident's fields are named ``field-N``; these two are always sent for each.
_INDEX_RE = re.compile(r"^(?:category|description)-(\d+)$")


class ReportForm(Form):
    """What a report has besides its incidents."""

    organisation = IdField(required=False, widget=forms.Select)
    client_uuid = text_field(max_length=64)
    action = text_field(max_length=40)

    def incident_indexes(self, most: int) -> list[int]:
        """The numbers N of the incidents sent (fields named ``field-N``), the first ``most``."""
        found = {int(m.group(1)) for key in self.data if (m := _INDEX_RE.match(key))}
        return sorted(found)[:most]


class IncidentForm(Form):
    """One incident of the report form; the page names its fields ``name-N``."""

    category = text_field(max_length=200)
    occurred_on = text_field(max_length=40)
    time = text_field(max_length=40)
    time_band = text_field(max_length=40)
    place = IdField(required=False, widget=forms.Select)
    lat = text_field(max_length=40)
    lon = text_field(max_length=40)
    precision = text_field(max_length=40)
    description = text_field(max_length=100_000)
    assessment = text_field(max_length=40)
    people_count = text_field(max_length=40)
    source = text_field(max_length=40)
    police_reported = text_field(max_length=10)

    def __init__(self, post: Any, index: int) -> None:
        super().__init__({name: post.get(f"{name}-{index}", "") for name in self.base_fields})

    def values(self) -> dict[str, str]:
        """The incident as it was typed, to show again."""
        return {name: str(self.data.get(name, "")) for name in self.fields}


class ExportFormatForm(Form):
    """The export's file format (``?format=``): csv unless another is named."""

    format = text_field(max_length=10)

    def chosen(self) -> str:
        return (self.cleaned_data["format"] or "csv") if self.is_valid() else ""


class MergeForm(Form):
    into = IdField(
        widget=forms.TextInput,
        error_messages={
            "invalid": _("Det finns ingen händelse med det numret som du kan se."),
            "required": _("Ange numret på händelsen."),
            "min_value": _("Det finns ingen händelse med det numret som du kan se."),
            "max_value": _("Det finns ingen händelse med det numret som du kan se."),
        },
    )


class ImportForm(Form):
    organisation = IdField(required=False, widget=forms.Select)


class CategoryForm(Form):
    name = text_field(max_length=200)
    category = IdField(required=False)


class PoliceTypeForm(Form):
    """One select per police event type the partnership maps: ``mapping-<id>`` -> category."""

    def __init__(self, post: Any, mapping_ids: list[int]) -> None:
        super().__init__(post)
        for pk in mapping_ids:
            self.fields[f"mapping-{pk}"] = IdField(required=False, widget=forms.Select)

    def choices(self) -> dict[int, int | None]:
        return {
            int(name.removeprefix("mapping-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("mapping-") and name in self.data
        }


class TimeBandsForm(Form):
    """Up to eight rows of label, start and end (and the key of a saved band)."""

    def __init__(self, post: Any) -> None:
        super().__init__(post)
        for index in range(TIME_BAND_ROWS):
            self.fields[f"key-{index}"] = text_field(max_length=40)
            self.fields[f"label-{index}"] = text_field(max_length=200)
            self.fields[f"start-{index}"] = text_field(max_length=20)
            self.fields[f"end-{index}"] = text_field(max_length=20)

    def rows(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        rows = []
        for index in range(TIME_BAND_ROWS):
            label = data[f"label-{index}"].strip()
            start = data[f"start-{index}"].strip()
            end = data[f"end-{index}"].strip()
            if label or start or end:
                rows.append(
                    {"key": data[f"key-{index}"], "label": label, "start": start, "end": end}
                )
        return rows
