"""Writes for external sources: Brå statistics, the type table hand-over, fetch requests.

Police events and crime statistics are national reference data, not a partnership's records:
their imports are logged as a ``SourceRun`` (what came in, what was skipped and why). A
samordnare's request for a fetch is the partnership's act and goes into its audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import audit, dataio
from samtrygg.core.errors import DomainError
from samtrygg.core.generations import data_changed
from samtrygg.core.models import AuditAction, Role
from samtrygg.core.permissions import Actor
from samtrygg.sources.bra import CrimeRow
from samtrygg.sources.models import CrimeStatistic, SourceRun

# Who may ask for a fetch now (everyone else reads only).
FETCH_ROLES = frozenset({Role.SAMORDNARE})
# A requested fetch that has not finished within this time no longer blocks a new request.
PENDING_REQUEST = dt.timedelta(minutes=10)


def record_police_types(types: set[str]) -> None:
    """Hand every police event type seen to the type-to-category table (observations app),
    which keeps types it has never seen as unmapped, for the samordnare to map."""
    from samtrygg.observations.services import note_police_types

    if types:
        note_police_types(None, types)


@dataclass
class StatisticsImport(dataio.ImportOutcome):
    run: SourceRun | None = None


def import_crime_statistics(rows: Iterable[CrimeRow], *, label: str = "") -> StatisticsImport:
    """Store Brå rows by kommun, year, category and unit: all of them or none.

    A row that matches a stored one with another value replaces it (Brå revises its figures);
    importing the same file again changes nothing.
    """
    merged: dict[tuple[str, int, str, str], CrimeRow] = {}
    for row in rows:
        key = (row.kommunkod, row.year, row.category, row.unit)
        earlier = merged.get(key)
        if earlier is not None and row.value is None:
            continue
        if earlier is not None and earlier.value is not None and earlier.value != row.value:
            raise DomainError(
                _(
                    "Kommun %(k)s har två olika värden för %(c)s %(y)d (%(a)s och %(b)s). "
                    "Inget har sparats."
                )
                % {
                    "k": row.kommunkod,
                    "c": row.category,
                    "y": row.year,
                    "a": earlier.value,
                    "b": row.value,
                }
            )
        merged[key] = row
    rows = list(merged.values())
    if not rows:
        raise DomainError(_("Filen innehåller inga rader med statistik."))
    outcome = StatisticsImport()
    started = timezone.now()
    with transaction.atomic():
        years = {row.year for row in rows}
        existing = {
            (s.municipality_id, s.year, s.category, s.unit): s
            for s in CrimeStatistic.objects.filter(year__in=years)
        }
        to_create: list[CrimeStatistic] = []
        to_update: list[CrimeStatistic] = []
        for row in rows:
            stored = existing.get((row.kommunkod, row.year, row.category, row.unit))
            if stored is None:
                to_create.append(
                    CrimeStatistic(
                        municipality_id=row.kommunkod,
                        year=row.year,
                        category=row.category,
                        unit=row.unit,
                        value=row.value,
                    )
                )
                outcome.created += 1
            elif stored.value != row.value:
                stored.value = row.value
                to_update.append(stored)
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        CrimeStatistic.objects.bulk_create(to_create, batch_size=500)
        CrimeStatistic.objects.bulk_update(to_update, ["value"], batch_size=500)
        if to_create or to_update:  # stored in bulk, without signals; a lägesbild shows Brå
            data_changed()
        categories = sorted({row.category for row in rows})
        outcome.run = SourceRun.objects.create(
            source="bra-crime",
            kind=SourceRun.Kind.IMPORT,
            started_at=started,
            finished_at=timezone.now(),
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
            ok=True,
            detail="\n".join(
                [
                    label,
                    _("År: %(y)s. Kategorier: %(c)s.")
                    % {"y": ", ".join(map(str, sorted(years))), "c": "; ".join(categories)},
                ]
            ).strip(),
        )
    return outcome


def request_police_fetch(actor: Actor) -> SourceRun:
    """A samordnare asks for a fetch now. The job still keeps the police's rules."""
    actor.require(FETCH_ROLES)
    if not settings.POLICE_EVENTS_URL:
        raise DomainError(_("Hämtningen är avstängd: POLICE_EVENTS_URL är inte satt på servern."))
    from samtrygg.sources.tasks import fetch_police_events

    now = timezone.now()
    with transaction.atomic():
        pending = SourceRun.objects.filter(
            source="police-events",
            kind=SourceRun.Kind.FETCH,
            finished_at__isnull=True,
            started_at__gte=now - PENDING_REQUEST,
        ).exists()
        if pending:
            raise DomainError(_("En hämtning är redan begärd och har inte körts klart än."))
        who = str(actor.user) if actor.user else _("kommandoraden")
        run = SourceRun.objects.create(
            source="police-events",
            kind=SourceRun.Kind.FETCH,
            started_at=now,
            detail=_("Begärd av %(u)s i %(p)s.") % {"u": who, "p": actor.partnership.name},
        )
        audit.note(
            actor,
            AuditAction.CREATE,
            run,
            object_repr=_("Hämtning av polisens händelser"),
            after={"requested_at": now.isoformat(), "source": "police-events"},
        )
        run_id, partnership_id = run.pk, actor.partnership.pk
        transaction.on_commit(
            lambda: fetch_police_events.delay(run_id=run_id, partnership_id=partnership_id)
        )
    return run
