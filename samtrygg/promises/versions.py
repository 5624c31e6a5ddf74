"""What changed between two versions of an agreement or a promise, for the version page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samtrygg.promises.models import CitizenPromise, CooperationAgreement

_FIELDS = {
    "title": _("Rubrik"),
    "starts_on": _("Gäller från"),
    "ends_on": _("Gäller till och med"),
    "other_parties": _("Övriga parter"),
    "intro": _("Löftets text"),
    "basis_text": _("Underlaget"),
    "goals": _("Mål"),
    "follow_up_method": _("Uppföljning"),
}


def _item_line(item: Any) -> str:
    target = f" ({item.target} {item.unit})".rstrip() if item.target else ""
    line = f"{item.text}{target} – {item.responsible_label()}"
    if item.problem_id:
        line += f" · {_('Problem')}: {item.problem.title}"
    if item.plan_item_id:
        line += f" · {_('Åtgärdsplanen')}: {item.plan_item.title}"
    return line


def differences(before: Any, after: Any) -> list[dict[str, str]]:
    """Per changed field or item: what it was and what it is (empty text: none)."""
    rows: list[dict[str, str]] = []
    for name, label in _FIELDS.items():
        if not hasattr(after, name):
            continue
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            rows.append({"what": str(label), "before": str(old or ""), "after": str(new or "")})
    if isinstance(after, CooperationAgreement):
        old_problems = sorted(p.title for p in before.problems.all())
        new_problems = sorted(p.title for p in after.problems.all())
        if old_problems != new_problems:
            rows.append(
                {
                    "what": _("Prioriterade problem"),
                    "before": ", ".join(old_problems),
                    "after": ", ".join(new_problems),
                }
            )
    if isinstance(after, CitizenPromise):
        old_tags, new_tags = before.basis_labels(), after.basis_labels()
        if old_tags != new_tags:
            rows.append(
                {"what": _("Underlag"), "before": ", ".join(old_tags), "after": ", ".join(new_tags)}
            )
        old_items = {
            i.number: _item_line(i)
            for i in before.items.select_related("organisation", "problem", "plan_item")
        }
        new_items = {
            i.number: _item_line(i)
            for i in after.items.select_related("organisation", "problem", "plan_item")
        }
        for number in sorted(set(old_items) | set(new_items)):
            if old_items.get(number) != new_items.get(number):
                rows.append(
                    {
                        "what": _("Åtagande %(n)d") % {"n": number},
                        "before": old_items.get(number, ""),
                        "after": new_items.get(number, ""),
                    }
                )
    return rows
