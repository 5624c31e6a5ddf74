"""The effect page of a group of actions of one type ("all adult presence in Centrum this
autumn"): choose the type, where, when, the categories, the control and the periods; the
block below pools the actions, each at its own start."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samtrygg.actions import effect, queries, services
from samtrygg.actions.models import ActionType
from samtrygg.actions.permissions import ACTION_ROLES, can_plan
from samtrygg.core import queries as core_queries
from samtrygg.core.errors import DomainError
from samtrygg.core.forms import IdListField, typed
from samtrygg.core.permissions import Actor
from samtrygg.core.views_helpers import render_page, success, with_actor

MAX_ACTIONS = 200


def _number(low: int, high: int, message: Any) -> forms.IntegerField:
    """An optional whole number from ``low`` to ``high``; anything else gets the one message
    that says what is allowed."""
    return forms.IntegerField(
        required=False,
        min_value=low,
        max_value=high,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class EffectForm(forms.Form):
    """What the page is asked (GET); every field has a Swedish refusal."""

    type = forms.ChoiceField(
        choices=ActionType.choices,
        error_messages={
            "required": gettext_lazy("Välj en insatstyp."),
            "invalid_choice": gettext_lazy("Okänd insatstyp."),
        },
    )
    area = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Okänt delområde.")},
    )
    place = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Okänd plats.")},
    )
    start = forms.DateField(
        required=False, error_messages={"invalid": gettext_lazy("Skriv datumet som ÅÅÅÅ-MM-DD.")}
    )
    end = forms.DateField(
        required=False, error_messages={"invalid": gettext_lazy("Skriv datumet som ÅÅÅÅ-MM-DD.")}
    )
    weeks_before = _number(4, effect.MAX_WEEKS, gettext_lazy("Ange ett antal veckor, 4–52."))
    weeks_after = _number(2, effect.MAX_WEEKS, gettext_lazy("Ange ett antal veckor, 2–52."))
    radius = _number(50, 2000, gettext_lazy("Ange en radie i meter, 50–2000."))
    categories = forms.TypedMultipleChoiceField(
        required=False,
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Okänd kategori.")},
    )
    control = forms.TypedMultipleChoiceField(
        required=False,
        coerce=int,
        error_messages={"invalid_choice": gettext_lazy("Okänt delområde.")},
    )

    def __init__(self, data: Any, choices: dict[str, list[tuple[Any, str]]]) -> None:
        super().__init__(data)
        for name in ("area", "place", "categories", "control"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = (
                [("", ""), *choices[name]] if name in ("area", "place") else choices[name]
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatumet kommer före startdatumet."))
        return data


def _choices(actor: Actor) -> dict[str, list[tuple[Any, str]]]:
    from samtrygg.observations import queries as observation_queries

    areas = [(a.pk, a.name) for a in core_queries.areas(actor)]
    return {
        "area": areas,
        "control": areas,
        "place": [(p.pk, p.name) for p in core_queries.places(actor)],
        "categories": [(c.pk, c.name) for c in observation_queries.categories(actor)],
    }


class DefaultsForm(forms.Form):
    """The partnership's categories for an action type (POST)."""

    type = forms.CharField(max_length=40, required=False)
    categories = IdListField(required=False)


@with_actor(ACTION_ROLES)
def action_effect(request: HttpRequest, actor: Actor) -> HttpResponse:
    choices = _choices(actor)
    defaults_error = ""
    if request.method == "POST":
        if not can_plan(actor):
            raise Http404
        posted = DefaultsForm(request.POST)
        try:
            if not posted.is_valid():
                raise DomainError(_("Okänd kategori."), field="categories")
            kind = posted.cleaned_data["type"]
            services.set_effect_categories(actor, kind, posted.cleaned_data["categories"])
            success(
                request,
                _("Kategorierna för %(t)s sparades.")
                % {"t": ActionType(kind).label if kind in ActionType.values else kind},
            )
            return redirect(request.get_full_path())
        except DomainError as exc:
            defaults_error = exc.message
    sent = EffectForm(request.GET, choices)
    asked = sent["type"].value() is not None  # the page was asked something
    form = sent if asked else EffectForm(None, choices)
    params = typed(sent)  # what was asked, as it was typed
    context: dict[str, Any] = {
        "form": form,
        "choices": choices,
        "types": ActionType.choices,
        "params": params,
        "can_plan": can_plan(actor),
        "effect": None,
        "items": [],
        "chosen_categories": [int(c) for c in params["categories"] or [] if str(c).isdigit()],
        "control_ids": list(params["control"] or []),
        "defaults_error": defaults_error,
        "defaults": [],
    }
    if not asked:
        return render_page(
            request, "actions/action_effect.html", context, refused=bool(defaults_error)
        )
    if not form.is_valid():
        return render_page(request, "actions/action_effect.html", context, refused=True)
    data = form.cleaned_data
    context["defaults"] = effect.categories_for(actor.partnership, data["type"])
    context["type_label"] = ActionType(data["type"]).label
    items = queries.actions(actor, type=data["type"], area=data["area"])
    if data["place"]:
        items = items.filter(place_id=data["place"])
    if data["start"]:
        items = items.filter(start_date__gte=data["start"])
    if data["end"]:
        items = items.filter(start_date__lte=data["end"])
    chosen = list(items.order_by("start_date", "id")[:MAX_ACTIONS])
    type_label = str(ActionType(data["type"]).label)
    context["items"] = chosen
    context["chosen_categories"] = data["categories"] or effect.categories_for(
        actor.partnership, data["type"]
    )
    context["effect"] = effect.evaluate_actions(
        actor,
        chosen,
        weeks_before=data["weeks_before"] or 12,
        weeks_after=data["weeks_after"] or 12,
        categories=data["categories"] or None,
        control_areas=data["control"] or None,
        radius_m=data["radius"],
        title=type_label,
    )
    return render_page(request, "actions/action_effect.html", context, refused=bool(defaults_error))
