"""What the database holds, for the tests that a refused text was stored nowhere."""

from __future__ import annotations

from django.apps import apps

#: Shipped reference data (kommun and län names, population) is not user input.
REFERENCE_MODELS = frozenset({"County", "Municipality", "Population"})


def database_contains(*needles: str) -> list[str]:
    """Every stored row (all tables but the reference data) that holds one of ``needles``,
    as "Model: needle"."""
    hits = []
    for model in apps.get_models():
        if model.__name__ in REFERENCE_MODELS:
            continue
        for row in model.objects.values_list():
            text = repr(row)
            hits += [f"{model.__name__}: {n}" for n in needles if n in text]
    return hits
