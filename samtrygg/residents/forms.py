"""Forms of the residents app: the public tip form, the queue's actions, claims and answers."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from samtrygg.residents import guard
from samtrygg.residents.models import AnswerVerdict, ClaimChannel, PlaceKind
from samtrygg.residents.queries import Service


class TipForm(forms.Form):
    """The public tip form. It only reads what was sent: the service checks every field (the
    choices again, the date, the length, the privacy screen, the address) and names each
    refused field at once, in its own words."""

    category = forms.ChoiceField(
        label=_("Vad gäller tipset?"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Den kategorin tar samverkan inte emot tips om. Välj en av kategorierna i listan."
            )
        },
    )
    place_kind = forms.ChoiceField(
        label=_("Var?"),
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        initial=PlaceKind.PLACE,
        required=False,
        error_messages={"invalid_choice": _("Okänd platsangivelse.")},
    )
    place = forms.ChoiceField(
        label=_("Namngiven plats"),
        required=False,
        error_messages={"invalid_choice": _("Välj en av platserna i listan.")},
    )
    lat = forms.CharField(label=_("Latitud"), required=False, max_length=20)
    lon = forms.CharField(label=_("Longitud"), required=False, max_length=20)
    seen_on = forms.CharField(
        label=_("När såg du det? (valfritt)"),
        required=False,
        max_length=40,
        error_messages={"max_length": _("Datumet kan inte läsas. Skriv det som ÅÅÅÅ-MM-DD.")},
    )
    description = forms.CharField(
        label=_("Beskriv platsen och vad som är fel eller känns otryggt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Skriv om platsen, inte om personer: inga namn, personnummer, telefonnummer, "
            "e-postadresser eller registreringsnummer."
        ),
    )
    contact_email = forms.CharField(label=_("Din e-postadress (valfritt)"), required=False)
    webbplats = forms.CharField(label=_("Lämna tomt"), required=False, max_length=200)
    visad = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, services: list[Service], places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("Välj…"))] + [
            (s.code, s.name) for s in services
        ]
        cast(forms.ChoiceField, self.fields["place"]).choices = [("", _("Välj en plats…"))] + [
            (str(p.pk), p.name) for p in places
        ]
        if not self.is_bound:
            self.initial["visad"] = guard.form_token()


class ConvertForm(forms.Form):
    category = forms.ChoiceField(label=_("Kategori"))
    occurred_on = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time_band = forms.ChoiceField(label=_("Tidsband"))
    assessment = forms.ChoiceField(
        label=_("Bedömning"),
        choices=[("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        initial="2",
    )
    description = forms.CharField(
        label=_("Beskrivning i rapporten"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, categories: Any, bands: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            (str(c.pk), c.name) for c in categories
        ]
        cast(forms.ChoiceField, self.fields["time_band"]).choices = [
            (b.key, f"{b.label} ({b.span_text})") for b in bands
        ]


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=_("Anteckning till felanmälan (valfritt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför stängs tipset?"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SettingsForm(forms.Form):
    fault_report_name = forms.CharField(label=_("Felanmälans namn"), required=False, max_length=200)
    fault_report_email = forms.EmailField(label=_("Felanmälans e-postadress"), required=False)
    contact_days = forms.IntegerField(
        label=_("Dagar som en tipsares e-postadress sparas efter att tipset stängts"),
        min_value=1,
        max_value=365,
    )


class ClaimForm(forms.Form):
    channel = forms.ChoiceField(label=_("Var sågs påståendet?"), choices=ClaimChannel.choices)
    seen_on = forms.DateField(label=_("Sett"), widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ChoiceField(label=_("Område"), required=False)
    period = forms.CharField(
        label=_("Period som påståendet gäller"),
        max_length=10,
        help_text=_("T.ex. 2025-W47 (vecka), 2025-11 (månad), 2025-T3 (tertial) eller 2025."),
    )
    categories = forms.MultipleChoiceField(
        label=_("Kategorier"), widget=forms.CheckboxSelectMultiple
    )
    wording = forms.CharField(
        label=_("Påståendet, utan namn"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, areas: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", _("Hela kommunen"))] + [
            (str(a.pk), a.name) for a in areas
        ]
        cast(forms.ChoiceField, self.fields["categories"]).choices = [
            (str(c.pk), c.name) for c in categories
        ]


class AnswerForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Svar"), choices=AnswerVerdict.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Faktasvaret"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Sakligt, opartiskt och på enkel svenska. Beskriv inga enskilda personer."),
    )
    sources = forms.CharField(
        label=_("Källor"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("T.ex. samverkansparternas rapporter, polisens publicerade händelser."),
    )


class RequestForm(forms.Form):
    """The other values a residents page reads from its request (the pressed button, a list
    filter, the tip form's guard fields), each optional; a value that cannot be read is ""."""

    action = forms.CharField(required=False, max_length=40)
    answer = forms.CharField(required=False, max_length=20)
    category = forms.CharField(required=False, max_length=20)
    is_public = forms.BooleanField(required=False)
    open311 = forms.BooleanField(required=False)
    status = forms.CharField(required=False, max_length=20)
    tack = forms.CharField(required=False, max_length=2)
    visad = forms.CharField(required=False, max_length=300)
    webbplats = forms.CharField(required=False, max_length=300)

    def value(self, name: str) -> Any:
        self.is_valid()
        return self.cleaned_data.get(name, "")


class Open311Form(forms.Form):
    """Open311's parameters as sent (GET's query or POST's body); each is read and checked
    by the Open311 view itself, with the standard's error answer."""
