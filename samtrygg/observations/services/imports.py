"""Imports of a partner's own log: all rows or none, large files in the background."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError
from samtrygg.core.models import Organisation
from samtrygg.core.permissions import Actor
from samtrygg.core.privacy import PrivacyRefusal, ensure_clean
from samtrygg.observations.models import (
    Channel,
    Observation,
    Report,
)
from samtrygg.observations.roles import REPORT_ROLES
from samtrygg.observations.services.reports import (
    _new_report,
    _note_report,
    _organisation_for,
)
from samtrygg.observations.services.validation import (
    CleanIncident,
    IncidentInput,
    InvalidIncident,
    Lookup,
    clean_incident,
)

T = TypeVar("T")


# --- Imports (a partner's own log: all rows or none) -----------------------------------------


@dataclass
class ImportRow:
    """One row of a user's file: its number (1 = the header) and the incident it holds."""

    number: int
    incident: IncidentInput
    columns: Mapping[str, str]  # incident field -> column name, for messages


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    report: Report | None = None


class ImportRefused(DomainError):
    """A file refused as a whole. ``errors`` names the row and column of every problem."""

    SHOWN = 50

    def __init__(self, errors: Sequence[str], *, first_row: int | None = None) -> None:
        self.errors = list(errors)
        shown = self.errors[: self.SHOWN]
        lines = [
            _("Inget har sparats: filen har %(n)d fel. Rätta dem och importera filen igen.")
            % {"n": len(self.errors)},
            *shown,
        ]
        if len(self.errors) > len(shown):
            lines.append(_("… och %(n)d fel till.") % {"n": len(self.errors) - len(shown)})
        super().__init__("\n".join(lines), row=first_row)


Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]


def _no_progress(items: Iterable[T], total: int, label: str) -> Iterable[T]:
    return items


def row_error(number: int, column: str, message: str) -> str:
    return _("Rad %(r)d, kolumn %(c)s: %(m)s") % {"r": number, "c": column, "m": message}


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_rows(
    actor: Actor,
    rows: Sequence[ImportRow],
    *,
    organisation: Organisation | int | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a partner's log: every row is validated (the privacy screen included) first.

    With one bad row nothing is saved, and every error names its row and column. A row
    already imported (same organisation and content) is left as it is, so importing the same
    file again changes nothing.
    """
    actor.require(REPORT_ROLES)
    org = _organisation_for(actor, organisation)
    if not rows:
        raise DomainError(_("Filen innehåller inga rader med händelser."))
    wrap = progress or _no_progress
    lookup = Lookup(actor.partnership)
    errors: list[str] = []
    first_bad: int | None = None
    cleaned: list[tuple[ImportRow, CleanIncident]] = []
    for row in wrap(rows, len(rows), _("Kontrollerar rader")):
        try:
            cleaned.append((row, clean_incident(lookup, row.incident)))
        except InvalidIncident as exc:
            first_bad = first_bad or row.number
            for error in exc.errors:
                column = row.columns.get(error.field or "", error.field or "")
                errors.append(row_error(row.number, column, error.message))
    if errors:
        raise ImportRefused(errors, first_row=first_bad)

    # Identical rows in one file are distinct incidents: the n-th copy gets its own key.
    seen: dict[str, int] = {}
    keyed: list[tuple[str, CleanIncident]] = []
    for _row, incident in cleaned:
        base = incident.key(org.pk)
        seen[base] = seen.get(base, 0) + 1
        key = (
            base if seen[base] == 1 else hashlib.sha256(f"{base}#{seen[base]}".encode()).hexdigest()
        )
        keyed.append((key, incident))
    existing: set[str] = set()
    for chunk in _chunks([key for key, _inc in keyed], 500):
        existing.update(
            Observation.objects.filter(
                partnership=actor.partnership, import_key__in=list(chunk)
            ).values_list("import_key", flat=True)
        )
    new = [(key, incident) for key, incident in keyed if key not in existing]
    result = ImportResult(created=len(new), unchanged=len(keyed) - len(new))
    if not new:
        return result
    try:
        with transaction.atomic():
            report = _new_report(actor, org, Channel.IMPORT)
            batch = 500
            for chunk in wrap(
                list(_chunks(new, batch)), (len(new) + batch - 1) // batch, _("Sparar händelser")
            ):
                Observation.objects.bulk_create(
                    [
                        Observation(
                            report=report,
                            partnership=actor.partnership,
                            organisation=org,
                            import_key=key,
                            **incident.values(),
                        )
                        for key, incident in chunk
                    ]
                )
            _note_report(actor, report, created=result.created, unchanged=result.unchanged)
    except IntegrityError as exc:
        raise DomainError(
            _("Samma rader importeras just nu från ett annat håll. Försök igen om en stund.")
        ) from exc
    result.report = report
    return result


def queue_import(
    actor: Actor,
    rows: Sequence[ImportRow],
    data: bytes,
    filename: str,
    organisation: int | None,
) -> str:
    """Queue a large file for the background import and return the job's task id.

    The organisation and the free text are checked first (refused text is never written
    anywhere, not even to the queued file); then the file is kept for the job, readable by
    the server only, and the job is logged as queued so its page exists at once.
    """
    from samtrygg.core.jobs import job_file, note_queued
    from samtrygg.observations.tasks import import_file

    owner = _organisation_for(actor, organisation)
    refusals = []
    for row in rows:
        try:
            ensure_clean(str(row.incident.description or ""), field="description")
        except PrivacyRefusal as exc:
            refusals.append(row_error(row.number, row.columns["description"], exc.message))
    if refusals:
        raise ImportRefused(refusals)
    task_id = str(uuid.uuid4())
    note_queued(
        task_id,
        "samtrygg.observations.import_file",
        actor.partnership,
        queued_by=actor.user,
        organisation=owner,
    )
    # Named after its job, so it is deleted when the job ends, also if its worker dies.
    path = job_file(task_id, ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv")
    path.write_bytes(data)
    path.chmod(0o600)
    import_file.apply_async(
        kwargs={
            "path": str(path),
            "filename": filename,
            "partnership_id": actor.partnership.pk,
            "organisation_id": organisation,
            "user_id": actor.user.pk,
        },
        task_id=task_id,
    )
    return task_id
