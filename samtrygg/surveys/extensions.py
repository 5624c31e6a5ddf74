"""What an app above the surveys adds to them, without this app importing it (the apps form
layers, see ``.importlinter``): a county template the partnership has adopted names the fixed
items the län asks every kommun to use and the län's own questions, which a new wave's web
survey then asks by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SurveyTemplate:
    """The survey part of the partnership's adopted county template."""

    # Codes of the fixed items (T1 … F3) the län asks for.
    items: tuple[str, ...]
    # Codes of the län's own questions, as they stand in the partnership's question library.
    question_codes: tuple[str, ...]
    # Where it comes from, in words ("Dalarnas län, mall version 2").
    source: str


Provider = Callable[[Any], "SurveyTemplate | None"]
_PROVIDERS: list[Provider] = []


def register_survey_template(func: Provider) -> None:
    """``func(partnership)``: the survey part of its adopted template, or None."""
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)


def survey_template(partnership: Any) -> SurveyTemplate | None:
    for func in _PROVIDERS:
        found = func(partnership)
        if found is not None:
            return found
    return None
