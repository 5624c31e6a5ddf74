"""The statutory app's pages and API paths for the tenancy test (see tests/tenancy.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def statutory_records(t: Any) -> dict[str, Any]:
    """A problem, a plan item and a draft statutory lägesbild of the tenant (made once)."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.statutory import services
    from samtrygg.statutory.models import ActionPlanItem, Problem, StatutoryReport

    found = {
        "problem": Problem.objects.filter(partnership=t.partnership).first(),
        "item": ActionPlanItem.objects.filter(partnership=t.partnership).first(),
        "report": StatutoryReport.objects.filter(partnership=t.partnership).first(),
    }
    if all(found.values()):
        return found
    actor = system_actor(t.partnership)
    year = dt.date.today().year - 1
    found["problem"] = services.create_problem(
        actor,
        title=f"Problem {t.marker}",
        description=f"Beskrivning {t.marker}",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
    )
    found["item"] = services.create_plan_item(
        actor,
        found["problem"],
        title=f"Åtgärd {t.marker}",
        goal_type="prestationsmal",
        indicator=f"Indikator {t.marker}",
        target="10",
        target_date=dt.date(year + 1, 12, 31),
        responsible=t.organisation.pk,
        follow_up_when=dt.date(year + 1, 6, 30),
    )
    found["report"] = services.draft_report(actor, year=year)
    services.save_text(actor, found["report"], section="analys", text=f"Analys {t.marker}")
    return found


PAGES_WITH_ID: dict[str, Callable[[Any], dict[str, Any]]] = {
    "statutory-problem": lambda t: {"pk": statutory_records(t)["problem"].pk},
    "statutory-plan-item": lambda t: {"pk": statutory_records(t)["item"].pk},
    "statutory-report": lambda t: {"pk": statutory_records(t)["report"].pk},
    "statutory-report-decide": lambda t: {"pk": statutory_records(t)["report"].pk},
    "statutory-report-pdf": lambda t: {"pk": statutory_records(t)["report"].pk},
    "statutory-report-docx": lambda t: {"pk": statutory_records(t)["report"].pk},
}


API_IDS: dict[str, Callable[[Any], int]] = {
    "statutory-reports": lambda t: statutory_records(t)["report"].pk,
    "problems": lambda t: statutory_records(t)["problem"].pk,
    "plan-items": lambda t: statutory_records(t)["item"].pk,
}
