"""What the county pages read from the query string: the matrix's sort order and the map's
measure. Unknown values fall back to the defaults (a shared link never fails)."""

from __future__ import annotations

from django import forms

SORT_COLUMNS = (
    "kommun",
    "lagesbild",
    "atgardsplan",
    "samordning",
    "overenskommelse",
    "lofte",
    "uppfoljning",
    "est",
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
