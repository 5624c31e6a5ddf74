"""Page forms of the core pages, and the fields every app's page forms share.

A form parses what was posted (numbers, ids, choices) and answers a refusal beside the field;
the service behind it still validates the meaning and writes. Forms never save anything.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from samtrygg.core.errors import DomainError, FieldRefusals
from samtrygg.core.models import AuditAction, OrganisationType, PlaceType, Role

# The largest id either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


class IdField(forms.IntegerField):
    """The id of a record chosen on the page (a hidden input or a select): a whole number
    written in ASCII digits that fits the database. Anything else is refused, never looked up."""

    default_error_messages = {
        "invalid": _("Välj en post i listan."),
        "required": _("Välj en post i listan."),
        "min_value": _("Välj en post i listan."),
        "max_value": _("Välj en post i listan."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        if not _DIGITS.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


class IdListField(forms.Field):
    """Several ids, from checkboxes (a list) or typed with spaces or commas."""

    widget = forms.CheckboxSelectMultiple

    default_error_messages = {
        "invalid": _("Ange nummer som heltal, åtskilda med mellanslag eller komma."),
    }

    def to_python(self, value: Any) -> list[int]:
        if value in self.empty_values:
            return []
        items = value if isinstance(value, (list, tuple)) else [value]
        parts = [p for item in items for p in str(item).replace(",", " ").split()]
        if not all(_DIGITS.fullmatch(p) and 0 < int(p) <= MAX_ID for p in parts):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(int(p) for p in parts))


class WholeNumberField(forms.IntegerField):
    """A count typed by a person: ASCII digits, spaces between thousands allowed."""

    def __init__(self, *, label: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        kwargs.setdefault("required", False)
        super().__init__(label=label, **kwargs)
        self.error_messages["invalid"] = _("%(label)s ska vara ett heltal.") % {"label": label}
        self.error_messages["min_value"] = _("%(label)s får inte vara negativ.") % {"label": label}
        self.error_messages["max_value"] = _("%(label)s är orimligt stor.") % {"label": label}

    def to_python(self, value: Any) -> int | None:
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value)) if value is not None else ""
        if text in self.empty_values:
            return None
        if not _DIGITS.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(text)


class CoordinateField(forms.Field):
    """A latitude or longitude as a map fills it in (a decimal comma is accepted)."""

    def __init__(self, *, label: Any, **kwargs: Any) -> None:
        super().__init__(label=label, required=False, **kwargs)
        message = _("Välj en punkt på kartan (%(l)s saknas).") % {"l": label}
        self.error_messages["invalid"] = message
        self.error_messages["required"] = message
        self.required_message = message

    def to_python(self, value: Any) -> float | None:
        text = str(value or "").strip().replace(",", ".")
        if not re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{1,15})?", text):
            raise forms.ValidationError(self.required_message, code="invalid")
        return float(text)


class Form(forms.Form):
    """A page form: text is passed on as typed (the service trims and screens it)."""

    def parsed(self, row: int | None = None) -> dict[str, Any]:
        """The cleaned data; if the form is not valid, its refusals as a DomainError naming
        the field (without the form's prefix), so a view reports it like a service's: every
        refused field's (``refusals()``) when several are, the first naming the field."""
        if self.is_valid():
            return self.cleaned_data
        refused = [
            DomainError(str(errors[0]), field=None if name == NON_FIELD_ERRORS else name, row=row)
            for name, errors in self.errors.items()
        ]
        if len(refused) == 1:
            raise refused[0]
        raise FieldRefusals(refused, row=row)

    def sent(self, name: str) -> bool:
        """Whether the field was sent at all (a page may leave a field out)."""
        return self.add_prefix(name) in self.data


def text_field(**kwargs: Any) -> forms.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("strip", False)
    kwargs.setdefault("max_length", 100_000)
    return forms.CharField(**kwargs)


class SubmitForm(Form):
    """Which of a page's buttons was pressed: every form of a page names its button
    ``action``, and the view dispatches on it."""

    action = text_field(max_length=40)

    def pressed(self) -> str:
        return self.cleaned_data["action"] if self.is_valid() else ""


def typed(form: forms.Form) -> dict[str, Any]:
    """What was sent in a bound form, field by field as it was sent (a list for several
    choices, True or False for a tick box), to show again after a refusal. Never cleaned and
    never saved; a field that was not sent is ""."""
    values: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        values[name] = "" if value is None else value
    return values


class FilterForm(forms.Form):
    """A list's filters, read from its query string. Every field may be left out. A value
    that cannot be read is refused beside its field: the page answers 400 with the filters as
    they were typed, and the list shows nothing rather than everything."""

    def values(self) -> dict[str, Any] | None:
        """The filters as the queries take them, or None when one of them was refused."""
        return self.cleaned_data if self.is_valid() else None

    def refusals(self) -> dict[str, str]:
        """Field name -> the refusal shown beside it (a refusal of two fields on the first)."""
        errors: dict[str, str] = {}
        for name, messages in self.errors.items():
            field = name if name in self.fields else next(iter(self.fields))
            errors.setdefault(field, str(messages[0]))
        return errors


def filter_date(label: Any) -> forms.DateField:
    """A date filter: ÅÅÅÅ-MM-DD, as a date input sends it."""
    return forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "invalid": _("%(label)s: skriv datumet som ÅÅÅÅ-MM-DD.") % {"label": label}
        },
    )


def filter_choice(choices: Any) -> forms.ChoiceField:
    """One of a list's choices, or empty for all."""
    return forms.ChoiceField(
        choices=[("", ""), *choices],
        required=False,
        error_messages={"invalid_choice": _("Välj ett av alternativen i listan.")},
    )


class DateRangeFilterForm(FilterForm):
    """Filters with a period from ``fran`` to ``till`` (either may be left out)."""

    fran = filter_date(_("Från"))
    till = filter_date(_("Till"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("fran"), data.get("till")
        if since and until and until < since:
            self.add_error("till", _("Till-datumet ligger före från-datumet."))
        return data


# --- Core pages -------------------------------------------------------------------------------


class AreaForm(Form):
    name = text_field()
    population = WholeNumberField(label=_("Folkmängden"))
    geometry = text_field(max_length=5_000_000)


class AreaImportForm(Form):
    name_property = text_field(max_length=200)


class PlaceForm(Form):
    name = text_field()
    type = forms.ChoiceField(choices=PlaceType.choices, required=False)
    lat = CoordinateField(label=_("latitud"))
    lon = CoordinateField(label=_("longitud"))


class OrganisationForm(Form):
    name = text_field()
    type = forms.ChoiceField(choices=OrganisationType.choices, required=False)
    is_public_authority = forms.BooleanField(required=False)
    type_set_authority = forms.BooleanField(required=False)


class InviteForm(Form):
    email = text_field(max_length=254)
    organisation = IdField(widget=forms.Select)
    role = forms.ChoiceField(choices=Role.choices)


class MembershipForm(Form):
    membership = IdField()
    role = forms.ChoiceField(choices=Role.choices, required=False)


class InvitationChoiceForm(Form):
    invitation = IdField()


class AcceptInvitationForm(Form):
    first_name = text_field(max_length=150)
    last_name = text_field(max_length=150)
    password = text_field(max_length=4096)


class TokenForm(Form):
    name = text_field(max_length=200)


class RevokeTokenForm(Form):
    token = IdField()


class PreferencesForm(Form):
    digest_opt_out = forms.BooleanField(required=False)
    reminder_opt_out = forms.BooleanField(required=False)


class PartnershipSettingsForm(Form):
    min_public_count = WholeNumberField(label=_("Minsta publika antal"), required=True)
    requires_police_cosign = forms.BooleanField(required=False)


class SwitchPartnershipForm(Form):
    partnership = IdField()
    next = text_field(max_length=2000)


class AuditFilterForm(DateRangeFilterForm):
    """The audit log's filters: text, record type, what happened, and dates."""

    q = forms.CharField(
        required=False,
        max_length=200,
        error_messages={"max_length": _("Söktexten får vara högst %(limit_value)d tecken.")},
    )
    model = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": _("Välj ett av alternativen i listan.")},
    )
    action = filter_choice(AuditAction.choices)

    def audit_filters(self) -> dict[str, Any] | None:
        """The filters as ``queries.audit_entries`` takes them, or None when one was refused."""
        data = self.values()
        if data is None:
            return None
        return {
            "text": data["q"],
            "model": data["model"],
            "action": data["action"],
            "since": data["fran"],
            "until": data["till"],
        }
