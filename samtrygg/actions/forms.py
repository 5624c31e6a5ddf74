"""Page forms of actions, meetings and safety walks. They parse what was posted (ids, lists
of ids, choices); the services validate the meaning (dates, counts, texts) and write."""

from __future__ import annotations

from typing import Any

from django import forms

from samtrygg.actions.models import ActionStatus, ActionType
from samtrygg.core.forms import FilterForm, Form, IdField, IdListField, filter_choice, text_field


def _id(**kwargs: Any) -> IdField:
    return IdField(required=False, widget=forms.Select, **kwargs)


class ActionForm(Form):
    """An action's fields; a meeting's decision has three of them, prefixed a0-, a1-, a2-."""

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
