"""The surveys app's pages in the tenancy registry (see the end of tests/tenancy.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _found(t: Any) -> dict[str, Any]:
    """A wave with answers, a published figure and a dialogue of the tenant (made once), each
    carrying the tenant's marker."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.surveys import items, services
    from samtrygg.surveys.models import Dialogue, PublishedFigure, Wave

    actor = system_actor(t.partnership)
    wave = Wave.objects.filter(partnership=t.partnership).first()
    if wave is None:
        header = ",".join(items.CSV_HEADER)
        rows = "\n".join(f"r{i},{t.area.name},2,,1" + ",1" * 27 for i in range(35))
        wave = services.import_responses(
            actor,
            f"{header}\n{rows}\n".encode(),
            "tenancy.csv",
            survey=f"Enkät {t.marker}",
            year=2025,
            sample="random",
        ).wave
    figure = PublishedFigure.objects.filter(partnership=t.partnership).first()
    if figure is None:
        services.import_figures(
            actor,
            f"source,measure,region,area,year,value\npolisens-index,Index,{t.marker},,2025,2.5\n".encode(),
        )
        figure = PublishedFigure.objects.get(partnership=t.partnership)
    dialogue = Dialogue.objects.filter(partnership=t.partnership).first()
    if dialogue is None:
        dialogue = services.create_dialogue(
            actor,
            services.DialogueSpec(
                title=f"Dialog {t.marker}",
                held_on="2025-05-01",
                format="medborgardialog",
                organisers="Kommunen",
                participants=10,
            ),
        )
    return {"wave": wave, "figure": figure, "dialogue": dialogue}


PAGES_WITH_ID: dict[str, Callable[[Any], dict[str, Any]]] = {
    "survey-wave": lambda t: {"pk": _found(t)["wave"].pk},
    "survey-wave-pdf": lambda t: {"pk": _found(t)["wave"].pk},
    "survey-wave-xlsx": lambda t: {"pk": _found(t)["wave"].pk},
    "survey-wave-csv": lambda t: {"pk": _found(t)["wave"].pk},
    "survey-web": lambda t: {"pk": _found(t)["wave"].pk},
    "survey-tokens": lambda t: {"pk": _found(t)["wave"].pk},
    "survey-figure-delete": lambda t: {"pk": _found(t)["figure"].pk},
    "dialogue-detail": lambda t: {"pk": _found(t)["dialogue"].pk},
}

PAGES_EXEMPT: dict[str, str] = {
    "public-survey": (
        "the public web survey, read without login: the kommunkod and the survey's address "
        "name it; tested in tests/surveys/test_web_survey.py"
    ),
}
