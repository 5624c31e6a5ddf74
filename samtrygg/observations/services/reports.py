"""Filing, editing, reviewing and merging reports, and where they lie."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import audit, geo
from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import AuditAction, Organisation, Partnership
from samtrygg.core.permissions import Actor
from samtrygg.core.permissions import require_own as _own
from samtrygg.core.services import own_record
from samtrygg.observations.models import (
    Channel,
    Observation,
    Report,
    ReportingSettings,
)
from samtrygg.observations.roles import REPORT_ROLES, REVIEW_ROLES
from samtrygg.observations.services.validation import (
    MAX_INCIDENTS,
    CleanIncident,
    IncidentInput,
    InvalidIncident,
    InvalidReport,
    Lookup,
    clean_incident,
)

# --- Reports --------------------------------------------------------------------------------


def _organisation_for(actor: Actor, organisation: Organisation | int | None) -> Organisation:
    """The organisation a report is filed for: the reporter's own, or any for a coordinator."""
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    may_choose_any = actor.has(REVIEW_ROLES)
    if org_id is None:
        if len(actor.organisation_ids) == 1 or (actor.organisation_ids and not may_choose_any):
            org_id = actor.organisation_id
        else:
            raise DomainError(_("Välj vilken organisation rapporten gäller."), field="organisation")
    if org_id is None or (not may_choose_any and org_id not in actor.organisation_ids):
        raise PermissionDenied(_("Du kan bara rapportera för din egen organisation."))
    return own_record(actor, Organisation, org_id, _("Okänd organisation."), "organisation")


@dataclass
class SubmitResult:
    report: Report
    created: bool
    observations: list[Observation] = field(default_factory=list)


def _new_report(
    actor: Actor, org: Organisation, channel: str, *, client_uuid: uuid.UUID | None = None
) -> Report:
    """The report that a submission or an import files its incidents under (the caller
    audits it with the incidents, in its transaction)."""
    reporter = actor.stored_user
    return Report.objects.create(
        partnership=actor.partnership,
        organisation=org,
        reporter=reporter,
        client_uuid=client_uuid,
        channel=channel,
    )


def _note_report(actor: Actor, report: Report, **details: Any) -> None:
    """The audit entry of a new report: whose it is, how it came, and what it holds."""
    audit.note(
        actor,
        AuditAction.CREATE,
        report,
        after={"organisation": report.organisation.name, "channel": report.channel, **details},
    )


def submit_report(
    actor: Actor,
    incidents: Sequence[IncidentInput],
    *,
    organisation: Organisation | int | None = None,
    client_uuid: uuid.UUID | str | None = None,
    channel: str = Channel.FORM,
) -> SubmitResult:
    """File a report with one or more incidents, exactly once per ``client_uuid``.

    Sending the same ``client_uuid`` again (a retry after a lost connection) returns the
    report already stored, unchanged, with ``created=False``.
    """
    actor.require(REPORT_ROLES)
    if client_uuid not in (None, ""):
        try:
            client_uuid = uuid.UUID(str(client_uuid))
        except ValueError as exc:
            raise DomainError(_("Ogiltigt rapport-id (client_uuid)."), field="client_uuid") from exc
        existing = _existing_report(actor, client_uuid)
        if existing is not None:
            return existing
    else:
        client_uuid = None
    org = _organisation_for(actor, organisation)
    if not incidents:
        raise DomainError(_("En rapport behöver minst en händelse."), field="incidents")
    if len(incidents) > MAX_INCIDENTS:
        raise DomainError(
            _("En rapport kan ha högst %(n)d händelser.") % {"n": MAX_INCIDENTS},
            field="incidents",
        )
    lookup = Lookup(actor.partnership)
    cleaned: list[CleanIncident] = []
    invalid: list[InvalidIncident] = []
    several = len(incidents) > 1
    for index, raw in enumerate(incidents):
        try:
            cleaned.append(clean_incident(lookup, raw))
        except InvalidIncident as exc:
            invalid.append(InvalidIncident(exc.errors, index=index if several else None))
    if invalid:
        raise InvalidReport(invalid)
    try:
        with transaction.atomic():
            report = _new_report(actor, org, channel, client_uuid=client_uuid)
            observations = [
                Observation.objects.create(
                    report=report,
                    partnership=actor.partnership,
                    organisation=org,
                    **incident.values(),
                )
                for incident in cleaned
            ]
            _note_report(actor, report, observations=[o.pk for o in observations])
            for observation in observations:
                audit.note(actor, AuditAction.CREATE, observation)
    except IntegrityError:
        if client_uuid is None:
            raise
        existing = _existing_report(actor, client_uuid)
        if existing is None:
            raise
        return existing
    return SubmitResult(report, True, observations)


def _existing_report(actor: Actor, client_uuid: uuid.UUID) -> SubmitResult | None:
    report = Report.objects.filter(partnership=actor.partnership, client_uuid=client_uuid).first()
    if report is None:
        return None
    reporter_id = getattr(actor.user, "pk", None)
    if report.reporter_id != reporter_id:
        raise DomainError(
            _("En annan rapport har redan samma id. Ladda om sidan och skicka igen."),
            field="client_uuid",
        )
    return SubmitResult(report, False, list(report.observations.order_by("pk")))


def _may_edit(actor: Actor, observation: Observation) -> None:
    _own(actor, observation)
    if actor.has(REVIEW_ROLES):
        return
    if actor.has(REPORT_ROLES) and observation.organisation_id in actor.organisation_ids:
        return
    raise PermissionDenied(_("Din roll i den här samverkan får inte ändra rapporten."))


def update_observation(actor: Actor, observation: Observation, raw: IncidentInput) -> Observation:
    """Change an incident; the same validation as when it was filed. Audited with the diff."""
    _may_edit(actor, observation)
    incident = clean_incident(Lookup(actor.partnership), raw, keep_category=observation.category)
    with audit.change(actor, observation):
        for name, value in incident.values().items():
            setattr(observation, name, value)
    return observation


def set_reviewed(actor: Actor, observation: Observation, reviewed: bool = True) -> Observation:
    actor.require(REVIEW_ROLES)
    _own(actor, observation)
    if observation.is_reviewed == reviewed:
        return observation
    with audit.change(actor, observation, only=["reviewed_at", "reviewed_by"]):
        observation.reviewed_at = timezone.now() if reviewed else None
        user = actor.stored_user
        observation.reviewed_by = user if reviewed else None
    return observation


def merge_observation(actor: Actor, duplicate: Observation, into: Observation) -> Observation:
    """Mark ``duplicate`` as a duplicate of ``into`` (reversible with :func:`undo_merge`)."""
    actor.require(REVIEW_ROLES)
    _own(actor, duplicate)
    _own(actor, into)
    if duplicate.pk == into.pk:
        raise DomainError(_("En händelse kan inte vara dubblett av sig själv."), field="into")
    if duplicate.merged_into_id is not None:
        raise DomainError(
            _("Händelse %(a)d är redan sammanslagen med händelse %(b)d. Ångra det först.")
            % {"a": duplicate.pk, "b": duplicate.merged_into_id},
            field="into",
        )
    if into.merged_into_id is not None:
        raise DomainError(
            _("Händelse %(b)d är själv en dubblett av händelse %(c)d. Slå ihop med den i stället.")
            % {"b": into.pk, "c": into.merged_into_id},
            field="into",
        )
    if Observation.objects.filter(merged_into=duplicate).exists():
        raise DomainError(
            _("Andra händelser är sammanslagna med händelse %(a)d. Ångra dem först.")
            % {"a": duplicate.pk},
            field="into",
        )
    with transaction.atomic():
        _save_merge(
            actor,
            duplicate,
            into,
            _("Händelse %(a)d, dubblett av händelse %(b)d") % {"a": duplicate.pk, "b": into.pk},
        )
    return duplicate


def undo_merge(actor: Actor, duplicate: Observation) -> Observation:
    actor.require(REVIEW_ROLES)
    _own(actor, duplicate)
    if duplicate.merged_into_id is None:
        raise DomainError(_("Händelsen är inte sammanslagen med någon annan."))
    with transaction.atomic():
        _save_merge(
            actor,
            duplicate,
            None,
            _("Händelse %(a)d, inte längre dubblett av händelse %(b)d")
            % {"a": duplicate.pk, "b": duplicate.merged_into_id},
        )
    return duplicate


def _save_merge(
    actor: Actor, duplicate: Observation, into: Observation | None, description: str
) -> None:
    """Point ``duplicate`` at the observation it duplicates (None: at none), audited."""
    before = duplicate.merged_into_id
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    audit.note(
        actor,
        AuditAction.UPDATE,
        duplicate,
        before={"merged_into": before},
        after={"merged_into": duplicate.merged_into_id},
        object_repr=description,
    )


def relocate_observations(partnership: Partnership) -> int:
    """Observations follow the delområden they lie in when the areas change.

    Called once per core service call that changed delområden (``core.signals.areas_changed``),
    as core does for places.
    The point is kept; only the derived delområde changes. Returns how many moved.
    """
    geometry = geo.geometry_for(partnership)
    moved: list[Observation] = []
    rows = Observation.objects.filter(partnership=partnership).values_list(
        "pk", "lat", "lon", "area_id"
    )
    for pk, lat, lon, area_id in rows.iterator(chunk_size=5000):
        try:
            located = geometry.locate(lat, lon)
        except DomainError:
            continue  # outside the kommun boundary as now drawn: keep what it had
        if located.area_id != area_id:
            moved.append(Observation(pk=pk, area_id=located.area_id))
    Observation.objects.bulk_update(moved, ["area"], batch_size=1000)
    return len(moved)


def log_export(actor: Actor, count: int, fmt: str) -> None:
    """Log who exported how many reports (docs/domain.md, Roller: viewing reports is logged)."""
    # The entry is filed under the partnership's reporting settings (an export is a read:
    # it makes no record, not even settings that are missing).
    settings = ReportingSettings.objects.filter(
        partnership=actor.partnership
    ).first() or ReportingSettings(partnership=actor.partnership)
    audit.note(
        actor,
        AuditAction.VIEW,
        settings,
        object_repr=_("Export av %(n)d händelser (%(f)s)") % {"n": count, "f": fmt.upper()},
    )


def log_view(actor: Actor, instance: Model) -> None:
    audit.note(actor, AuditAction.VIEW, instance)
