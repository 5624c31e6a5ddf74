"""Page forms of actions, meetings and safety walks. They parse what was posted (ids, lists
of ids, choices); the services validate the meaning (dates, counts, texts) and write. The
action form also runs the service's checks of each field, to say every refusal at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms

from samtrygg.actions import services
from samtrygg.actions.models import ActionStatus, ActionType
from samtrygg.core.errors import DomainError
from samtrygg.core.forms import FilterForm, Form, IdField, IdListField, filter_choice, text_field


def _id(**kwargs: Any) -> IdField:
    return IdField(required=False, widget=forms.Select, **kwargs)


def _checked(check: Callable[..., Any], *args: Any) -> Any:
    """A service's check of one field, its refusal beside that field."""
    try:
        return check(*args)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from exc


class ActionForm(Form):
    """An action's fields; a meeting's decision has three of them, prefixed a0-, a1-, a2-.

    Each field is checked on its own as the service checks it, so that every field's refusal
    is said at once; what depends on the partnership (the organisation, the place, the years
    an end date may lie in) the service checks after."""

    title = text_field(max_length=1000)
    type = text_field(max_length=40)
    owner = _id()
    area = _id()
    place = _id()
    start_date = text_field(max_length=40)
    end_date = text_field(max_length=40)
    planned_count = text_field(max_length=40)
    description = text_field()
    not_for_publication = forms.BooleanField(required=False)

    def clean_title(self) -> str:
        return str(_checked(services.action_title, self.cleaned_data["title"]))

    def clean_start_date(self) -> dt.date | str:
        value = self.cleaned_data["start_date"]
        # Left empty, the action starts on the day the page gives (a decision's meeting).
        return _checked(services.action_date, value, "start_date") if value.strip() else ""

    def clean_end_date(self) -> dt.date:
        value: dt.date = _checked(services.action_date, self.cleaned_data["end_date"], "end_date")
        return value

    def clean_planned_count(self) -> int | str:
        value = self.cleaned_data["planned_count"]
        return _checked(services.planned_count, value) if value.strip() else ""

    def clean_description(self) -> str:
        return str(_checked(services.action_description, self.cleaned_data["description"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            try:
                services.action_period(start, end)
            except DomainError as exc:
                self.add_error("end_date", exc.message)
        return data


class ProgressForm(Form):
    status = text_field(max_length=40)
    done_count = text_field(max_length=40)
    outcome = text_field()


class LinkForm(Form):
    """Reports ticked in the picker, and any numbers typed beside it."""

    observations = IdListField(required=False)
    numbers = IdListField(required=False, widget=forms.TextInput)

    def ids(self) -> list[int]:
        data = self.parsed()
        return list(dict.fromkeys([*data["observations"], *data["numbers"]]))


class UnlinkForm(Form):
    observation = IdField()


class MeetingForm(Form):
    title = text_field(max_length=1000)
    held_on = text_field(max_length=40)
    type = text_field(max_length=40)
    location = text_field(max_length=1000)


class AttendanceForm(Form):
    """One count per organisation of the partnership: ``org-<id>``."""

    def __init__(self, post: Any, organisation_ids: list[int]) -> None:
        super().__init__(post)
        for pk in organisation_ids:
            self.fields[f"org-{pk}"] = text_field(max_length=40)

    def typed_counts(self) -> dict[str, Any]:
        """The counts as they were typed, for the organisations that were sent."""
        return {name: self[name].value() for name in self.fields if self.sent(name)}

    def people(self) -> dict[int, str]:
        return {
            int(name.removeprefix("org-")): value or "0"
            for name, value in self.cleaned_data.items()
            if name in self.data
        }


class NotesForm(Form):
    notes = text_field()


class DecisionForm(Form):
    text = text_field()


class WalkForm(Form):
    title = text_field(max_length=1000)
    planned_for = text_field(max_length=40)
    light = text_field(max_length=40)
    route = text_field(max_length=5_000_000)
    invited = IdListField(required=False)
    residents = text_field(max_length=40)
    area = _id()
    status = text_field(max_length=40)
    summary = text_field()


class FindingForm(Form):
    type = text_field(max_length=40)
    lat = text_field(max_length=40)
    lon = text_field(max_length=40)
    description = text_field()
    proposal = text_field()
    responsible = _id()


class ToActionForm(Form):
    finding = IdField()
    end_date = text_field(max_length=40)
    type = text_field(max_length=40)
    owner = _id()


class ActionFilterForm(FilterForm):
    """The action list's filters: status, type, responsible organisation, delområde, and
    only the overdue ones."""

    status = filter_choice(ActionStatus.choices)
    type = filter_choice(ActionType.choices)
    organisation = _id()
    area = _id()
    forsenade = forms.BooleanField(required=False)

    def action_filters(self) -> dict[str, Any] | None:
        """The filters as ``queries.actions`` takes them, or None when one was refused."""
        data = self.values()
        if data is None:
            return None
        return {
            "status": data["status"],
            "type": data["type"],
            "owner": data["organisation"],
            "area": data["area"],
            "overdue": data["forsenade"],
        }
