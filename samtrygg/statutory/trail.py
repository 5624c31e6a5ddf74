"""The decision trail as a page part any app's document page can use: the context for
``statutory/_decision_trail.html`` and the handling of its form.

    context.update(trail.context(actor, document, reverse("my-decide", args=[document.pk])))
    ...
    trail.record(actor, document, DecisionForm(posted))  # DomainError names the field
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from samtrygg.core.permissions import Actor
from samtrygg.statutory import queries, services
from samtrygg.statutory.forms import DecisionForm
from samtrygg.statutory.models import Decision
from samtrygg.statutory.permissions import DECISION_ROLES


def context(
    actor: Actor,
    subject: models.Model,
    post_url: str,
    *,
    form: forms.Form | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """What the include needs: the decisions so far, the bodies, the form (a refused
    ``DecisionForm`` as it was posted) and where it posts."""
    may_decide = actor.has(DECISION_ROLES) and getattr(subject, "accepts_decisions", True)
    return {
        "decisions": list(queries.decisions_for(actor, subject)),
        "decision_bodies": list(queries.decision_bodies(actor)) if may_decide else [],
        "decision_form": form or DecisionForm(),
        "decision_errors": errors or {},
        "decision_url": post_url,
        "can_decide": may_decide,
    }


def record(actor: Actor, subject: models.Model, form: DecisionForm) -> Decision:
    """Record the decision of a bound decision form (a DomainError names the field)."""
    return services.record_decision(actor, subject, **form.service_kwargs())
