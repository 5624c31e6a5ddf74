"""The public page /p/<kommunkod>/ and its JSON twin read the same data, built here.

Only what may be published: signed promises as written (authored text is shown verbatim),
their signatories (public officials acting in office), validity and basis, each item's
progress through the aggregation (``progress.published_progress``), and adopted follow-ups
from their frozen snapshot. No action, report, place or person appears.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core.models import Partnership
from samtrygg.promises import progress, queries
from samtrygg.promises.models import CitizenPromise
from samtrygg.promises.state import signed_on, status_label, status_of


def _promise(document: CitizenPromise, today: dt.date, *, with_progress: bool) -> dict[str, Any]:
    items = list(queries.items_of(document))
    shown = progress.published_progress(document, items) if with_progress else {}
    areas: list[dict[str, Any]] = []
    by_area: dict[int | None, dict[str, Any]] = {}
    for area in queries.focus_areas_of(document):
        entry = {"title": area.title, "description": area.description, "items": []}
        by_area[area.pk] = entry
        areas.append(entry)
    for item in items:
        target = by_area.get(item.focus_area_id)
        if target is None:
            target = by_area.setdefault(
                None, {"title": _("Övriga åtaganden"), "description": "", "items": []}
            )
            if target not in areas:
                areas.append(target)
        row: dict[str, Any] = {
            "number": item.number,
            "text": item.text,
            "responsible": item.responsible_label(),
            "commitment": str(item.get_commitment_display()),
            "condition": item.condition,
            "target": item.target,
            "unit": item.unit,
        }
        if with_progress:
            counted = shown[item.pk]
            row |= {
                "counted": counted.counted,
                "done": counted.done,
                "done_display": counted.display,
                "percent": counted.percent,
            }
        target["items"].append(row)
    status = status_of(document, today)
    return {
        "id": document.pk,
        "title": document.title,
        "text": document.intro,
        "valid_from": document.starts_on,
        "valid_to": document.ends_on,
        "version": document.version,
        "status": status,
        "status_label": status_label(status),
        "signed_on": signed_on(document),
        "signatures": [
            {
                "party": document.party_label(s.party),
                "name": s.name,
                "title": s.title,
                "signed_on": s.signed_on,
            }
            for s in document.signatures.all()
        ],
        "basis": {"tags": document.basis_labels(), "text": document.basis_text},
        "focus_areas": areas,
        "follow_ups": [
            {
                "period_from": f.period_start,
                "period_to": f.period_end,
                "published": timezone.localdate(f.adopted_at) if f.adopted_at else None,
                "summary": f.summary,
                "items": f.snapshot.get("items", []),
                "indicators": f.snapshot.get("indicators", {}),
            }
            for f in queries.published_follow_ups(document)
        ],
    }


def coordination_contact(partnership: Partnership) -> dict[str, str] | None:
    """The samordningsfunktion's published contact, when the kommun has set one up."""
    from samtrygg.promises import links

    return links.coordination_contact(partnership)


def public_data(partnership: Partnership, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    current, earlier = queries.current_promise(partnership, today)
    code = partnership.municipality.code
    return {
        "kommunkod": code,
        "kommun": partnership.municipality.name,
        "lokalpolisomrade": partnership.police_area.name,
        "current": _promise(current, today, with_progress=True) if current else None,
        "earlier": [_promise(p, today, with_progress=False) for p in earlier],
        "coordination": coordination_contact(partnership),
        "emergency": {
            "pagaende_brott_eller_fara": _("Vid pågående brott eller fara: ring 112."),
            "ovriga_arenden": _("Övriga ärenden: 114 14 eller polisen.se."),
        },
        "tips_url": f"/p/{code}/tips/",
    }
