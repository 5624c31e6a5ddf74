"""What agreements and promises take from the layers below them: the statutory decision trail
(decisions by the kommun's bodies, recorded with the statutory app's own service), the
samordningsfunktion's contact for the public page, and the effect of actions for follow-ups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from samtrygg.core.permissions import Actor
from samtrygg.statutory import queries as statutory_queries
from samtrygg.statutory import services as statutory_services
from samtrygg.statutory import trail
from samtrygg.statutory.forms import DecisionForm
from samtrygg.statutory.models import CoordinationFunction, DecisionOutcome


def decision_url(document: Any) -> str:
    from samtrygg.promises.models import CitizenPromise

    name = "promise-decide" if isinstance(document, CitizenPromise) else "agreement-decide"
    return reverse(name, kwargs={"pk": document.pk})


def decision_context(
    actor: Actor,
    document: Any,
    *,
    form: forms.Form | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The context of ``statutory/_decision_trail.html`` for an agreement or a promise: a
    draft takes decisions, a signed document (``accepts_decisions`` False) shows its trail."""
    return trail.context(actor, document, decision_url(document), form=form, errors=errors)


def record_decision(actor: Actor, document: Any, form: DecisionForm) -> Any:
    """A decision about the document, through the statutory app's own service."""
    return trail.record(actor, document, form)


def decisions_of(actor: Actor, document: Any) -> list[Any]:
    return list(statutory_queries.decisions_for(actor, document))


def coordination_contact(partnership: Any) -> dict[str, str] | None:
    """The samordningsfunktion's unit and functional contact (no person), if set up."""
    function = CoordinationFunction.objects.filter(partnership=partnership).first()
    if function is None:
        return None
    return {"unit": function.unit, "contact": function.contact}


def effect_context(actor: Actor, follow_up: Any) -> dict[str, Any]:
    """ "Fungerade det?" per counted item of a follow-up: the effect of the actions its rule
    counts in the follow-up's period, on the reports (for the roles that read every action
    and report; never on the public page)."""
    from samtrygg.actions import effect
    from samtrygg.actions.permissions import READ_ALL_ROLES
    from samtrygg.promises import progress

    if not actor.has(READ_ALL_ROLES):
        return {"effects": []}
    items = [
        progress.within(item, follow_up.period_start, follow_up.period_end)
        for item in follow_up.promise.items.prefetch_related("rule_areas").order_by("number")
    ]
    matched = progress.matching_actions(items)
    effects = []
    for item in items:
        found = matched.get(item.pk) or []
        if found:
            title = f"{item.number}. {item.text}"
            effects.append(effect.evaluate_actions(actor, found, title=title[:120]))
    return {"effects": effects}


def record_demo_decisions(
    actor: Actor, document: Any, decisions: list[tuple[str, str, Any, str, str]]
) -> None:
    """The demo's decisions (body kind and name, date, reference, note), all approvals,
    through the statutory app's own services; the bodies are made when missing."""
    bodies = {body.name: body for body in statutory_queries.decision_bodies(actor)}
    for kind, name, day, reference, note in decisions:
        body = bodies.get(name) or statutory_services.create_decision_body(
            actor, kind=kind, name=name
        )
        bodies[name] = body
        statutory_services.record_decision(
            actor,
            document,
            body=body,
            date=day,
            reference=reference,
            outcome=DecisionOutcome.GODKANT,
            note=note,
        )
