"""What an app above the statutory work adds to how a partnership documents its problems,
without this app importing it (the apps form layers, see ``.importlinter``): a county
template that the partnership has adopted names, per part of the documentation, whether it
is required and how it is done.

The documentation method of the Orsa seed has five parts – kartläggning, orsaksanalys, mål,
aktiviteter och uppföljning – done "likartat i hela länet". Each part is a key of
:data:`SECTIONS`; :data:`REQUIRED_FIELDS` says which fields a required part makes
mandatory (on the problem or on the åtgärd of the plan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The parts of the documentation, in the order the work goes.
SECTIONS: tuple[tuple[str, str | Promise], ...] = (
    ("kartlaggning", _("Kartläggning")),
    ("orsaksanalys", _("Orsaksanalys")),
    ("mal", _("Mål")),
    ("aktiviteter", _("Aktiviteter")),
    ("uppfoljning", _("Uppföljning")),
)
SECTION_KEYS = tuple(key for key, _label in SECTIONS)

# What a required part makes mandatory: (the record, the field). A problem's description is
# its kartläggning in words; an åtgärd names the cause it answers, its baseline, its time plan
# and resources, and how it is followed up.
REQUIRED_FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "kartlaggning": (("problem", "description"),),
    "orsaksanalys": (("plan_item", "cause"),),
    "mal": (("plan_item", "baseline"),),
    "aktiviteter": (("plan_item", "time_plan"), ("plan_item", "resources")),
    "uppfoljning": (("plan_item", "follow_up_how"),),
}


def section_label(key: str) -> str:
    return str(dict(SECTIONS).get(key, key))


def required_meaning() -> dict[str, str | Promise]:
    """What "required" means for each part, in words for the pages that set or show it."""
    return {
        "kartlaggning": _("problemets beskrivning ska fyllas i"),
        "orsaksanalys": _("varje åtgärd ska ange vilken orsak den angriper"),
        "mal": _("varje åtgärd ska ha ett utgångsvärde"),
        "aktiviteter": _("varje åtgärd ska ha tidplan och resurser"),
        "uppfoljning": _("varje åtgärd ska beskriva hur den följs upp"),
    }


@dataclass(frozen=True)
class SectionRule:
    """One part of the documentation as the partnership's adopted template has it."""

    key: str
    required: bool
    guidance: str
    # Where the rule comes from, in words ("Dalarnas län, mall version 2").
    source: str

    @property
    def label(self) -> str:
        return section_label(self.key)

    @property
    def meaning(self) -> str:
        """What the part being required asks of the record, in words."""
        return str(required_meaning().get(self.key, ""))


Provider = Callable[[Any], dict[str, SectionRule]]
_PROVIDERS: list[Provider] = []


def register_documentation_rules(func: Provider) -> None:
    """``func(partnership)``: the rules per part (keys of :data:`SECTIONS`); {} for none."""
    if func not in _PROVIDERS:
        _PROVIDERS.append(func)


def documentation_rules(partnership: Any) -> dict[str, SectionRule]:
    """The partnership's rules per part of the documentation (none: nothing is added)."""
    rules: dict[str, SectionRule] = {}
    for func in _PROVIDERS:
        rules.update(func(partnership))
    return rules


def required_fields(partnership: Any, record: str) -> set[str]:
    """The fields of ``record`` ("problem" or "plan_item") the adopted rules make mandatory."""
    return {
        name
        for key, rule in documentation_rules(partnership).items()
        if rule.required
        for kind, name in REQUIRED_FIELDS.get(key, ())
        if kind == record
    }
