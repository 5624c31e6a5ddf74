"""Every write to lägesbilder: drafting from the computed picture, level decisions with
reasons, the assessment, adoption (with co-signing when the partnership asks for it) and
corrections as new versions. Validation, one transaction, audit; DomainError in Swedish."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samtrygg.analysis.levels import LEVEL_KEYS, Level, Trend, decide_level
from samtrygg.analysis.picture import Period
from samtrygg.core import audit
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied
from samtrygg.core.models import Area, AuditAction
from samtrygg.core.permissions import Actor
from samtrygg.core.permissions import require_own as _own
from samtrygg.core.services import clean_text
from samtrygg.situation.models import AreaLevel, PictureStatus, SituationPicture
from samtrygg.situation.permissions import COMPILE_ROLES, COSIGN_ROLES
from samtrygg.situation.pictures import compute_snapshot
from samtrygg.situation.schema import Snapshot


def _text(value: str, field: str, limit: int = 20_000) -> str:
    return clean_text(value, field=field, label=_("Texten"), limit=limit)


def _period(picture: SituationPicture) -> Period:
    return Period(picture.unit, picture.period_index)  # type: ignore[arg-type]


def level_keys(picture: SituationPicture) -> dict[str, str]:
    return {lv.area_name: LEVEL_KEYS[Level(lv.level)] for lv in picture.levels.all()}


def _sync_levels(picture: SituationPicture, data: Snapshot) -> None:
    """Pre-fill a level per delområde from the suggestions, keeping decisions already made."""
    existing = {lv.area_name: lv for lv in picture.levels.all()}
    area_ids = set(
        Area.objects.filter(partnership=picture.partnership).values_list("pk", flat=True)
    )
    for area in data["areas"]:
        suggested = area["suggested"]
        row = existing.pop(area["name"], None)
        if row is None:
            AreaLevel.objects.create(
                picture=picture,
                area_id=area["id"] if area["id"] in area_ids else None,
                area_name=area["name"],
                suggested_level=suggested["level"],
                suggested_trend=suggested["trend"],
                level=suggested["level"],
                trend=suggested["trend"],
            )
            continue
        follow = not row.overridden
        row.suggested_level, row.suggested_trend = suggested["level"], suggested["trend"]
        if follow:
            row.level, row.trend = row.suggested_level, row.suggested_trend
        row.save()
    for row in existing.values():
        row.delete()


def draft(actor: Actor, period: Period) -> SituationPicture:
    """The draft of a period: the open one if there is one, else a new version computed now."""
    actor.require(COMPILE_ROLES)
    with transaction.atomic():
        open_ = (
            SituationPicture.objects.select_for_update()
            .filter(
                partnership=actor.partnership,
                unit=period.unit,
                period_index=period.index,
                status__in=[PictureStatus.DRAFT, PictureStatus.AWAITING_COSIGN],
            )
            .first()
        )
        if open_ is not None:
            return open_
        if SituationPicture.objects.filter(
            partnership=actor.partnership,
            unit=period.unit,
            period_index=period.index,
            status=PictureStatus.ADOPTED,
        ).exists():
            raise DomainError(
                _("Lägesbilden för %(p)s är redan antagen. Gör en rättelse för att ändra den.")
                % {"p": period.label_sv}
            )
        picture = SituationPicture.objects.create(
            partnership=actor.partnership,
            unit=period.unit,
            period_index=period.index,
            period_label=period.label,
            version=_next_version(actor, period),
            created_by=actor.stored_user,
        )
        _recompute(picture)
        audit.note(
            actor,
            AuditAction.CREATE,
            picture,
            after={"period": period.label, "version": picture.version},
        )
    return picture


def _stored_snapshot(*args: Any, **kwargs: Any) -> Snapshot:
    """``compute_snapshot`` in the site's language (Swedish): a stored picture is shared by
    everyone and its frozen charts and map must not take the language of whoever pressed the
    button. Pages word it in the reader's language (``wording.localize``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return compute_snapshot(*args, **kwargs)


def _next_version(actor: Actor, period: Period) -> int:
    top = SituationPicture.objects.filter(
        partnership=actor.partnership, unit=period.unit, period_index=period.index
    ).aggregate(v=Max("version"))["v"]
    return (top or 0) + 1


def _recompute(picture: SituationPicture, *, render: bool = False) -> None:
    data = _stored_snapshot(picture.partnership, _period(picture))
    _sync_levels(picture, data)
    if render:
        data = _stored_snapshot(
            picture.partnership, _period(picture), levels=level_keys(picture), render=True
        )
    picture.snapshot = data
    picture.computed_at = timezone.now()
    picture.save(update_fields=["snapshot", "computed_at"])


def refresh(actor: Actor, picture: SituationPicture) -> SituationPicture:
    """Compute the draft's numbers again from the data as they are now."""
    actor.require(COMPILE_ROLES)
    _own(actor, picture)
    if not picture.is_editable:
        raise DomainError(_("En antagen lägesbild ändras inte. Gör en rättelse."))
    with transaction.atomic():
        _recompute(picture)
        audit.note(
            actor,
            AuditAction.UPDATE,
            picture,
            after={"recomputed": picture.computed_at.isoformat() if picture.computed_at else ""},
        )
    return picture


def set_level(
    actor: Actor,
    picture: SituationPicture,
    area_name: str,
    *,
    level: int,
    trend: int | None = None,
    reason: str = "",
) -> AreaLevel:
    """Set a delområde's level; a level or trend other than the suggestion needs a reason."""
    actor.require(COMPILE_ROLES)
    _own(actor, picture)
    if not picture.is_editable:
        raise DomainError(_("En antagen lägesbild ändras inte. Gör en rättelse."))
    row = picture.levels.filter(area_name=area_name).first()
    if row is None:
        raise NotFound(_("Delområdet finns inte i lägesbilden."))
    try:
        chosen_level = Level(int(level))
        chosen_trend = Trend(int(trend)) if trend is not None else Trend(row.suggested_trend)
    except ValueError as exc:
        raise DomainError(_("Okänd nivå eller trend."), field="level") from exc
    reason = _text(reason, "reason", 2000)
    try:
        decision = decide_level(
            row.suggested_level,
            row.suggested_trend,
            level=chosen_level,
            trend=chosen_trend,
            reason=reason,
        )
    except ValueError as exc:
        raise DomainError(
            _("Ange ett skäl när du väljer en annan nivå eller trend än förslaget för %(a)s.")
            % {"a": area_name},
            field="reason",
        ) from exc
    with transaction.atomic():
        before = {"level": row.level, "trend": row.trend, "reason": row.reason}
        row.level, row.trend = int(decision.level), int(decision.trend)
        row.reason = decision.reason if decision.overridden else ""
        row.save()
        audit.note(
            actor,
            AuditAction.UPDATE,
            picture,
            object_repr=f"{picture} – {area_name}",
            before=before,
            after={"level": row.level, "trend": row.trend, "reason": row.reason},
        )
    return row


def set_assessment(actor: Actor, picture: SituationPicture, text: str) -> SituationPicture:
    actor.require(COMPILE_ROLES)
    _own(actor, picture)
    if not picture.is_editable:
        raise DomainError(_("En antagen lägesbild ändras inte. Gör en rättelse."))
    text = _text(text, "assessment")
    with audit.change(actor, picture, only=["assessment"]):
        picture.assessment = text
    return picture


def _freeze(picture: SituationPicture) -> None:
    data = _stored_snapshot(
        picture.partnership, _period(picture), levels=level_keys(picture), render=True
    )
    data["levels"] = [
        {
            "area": lv.area_name,
            "level": lv.level,
            "trend": lv.trend,
            "suggested_level": lv.suggested_level,
            "suggested_trend": lv.suggested_trend,
            "reason": lv.reason,
        }
        for lv in picture.levels.all()
    ]
    data["assessment"] = picture.assessment
    picture.snapshot = data
    picture.computed_at = timezone.now()


def adopt(actor: Actor, picture: SituationPicture) -> SituationPicture:
    """Adopt: freeze the numbers, charts, map and text. With co-signing the picture waits
    for the kommunpolis; it is adopted when co-signed."""
    actor.require(COMPILE_ROLES)
    _own(actor, picture)
    if picture.status != PictureStatus.DRAFT:
        raise DomainError(_("Bara ett utkast kan antas."))
    if not picture.assessment.strip():
        raise DomainError(_("Skriv en bedömning innan lägesbilden antas."), field="assessment")
    with transaction.atomic():
        picture = SituationPicture.objects.select_for_update().get(pk=picture.pk)
        _sync_levels(picture, _stored_snapshot(picture.partnership, _period(picture)))
        _freeze(picture)
        picture.requires_cosign = actor.partnership.requires_police_cosign
        picture.adopted_by = actor.stored_user
        picture.adopted_at = timezone.now()
        if picture.requires_cosign:
            picture.status = PictureStatus.AWAITING_COSIGN
        else:
            _make_current(actor, picture)
        _save_status(actor, picture, was=PictureStatus.DRAFT)
    return picture


def _save_status(actor: Actor, picture: SituationPicture, *, was: str, **noted: Any) -> None:
    """Save a picture whose status changed from ``was``, with its audit entry."""
    picture.save()
    audit.note(
        actor,
        AuditAction.UPDATE,
        picture,
        before={"status": was},
        after={"status": picture.status, **noted},
    )


def _make_current(actor: Actor, picture: SituationPicture) -> None:
    """The picture becomes the adopted one; the version it corrects is superseded (audited)."""
    picture.status = PictureStatus.ADOPTED
    if picture.supersedes_id:
        previous = SituationPicture.objects.get(pk=picture.supersedes_id)
        with audit.change(actor, previous, only=["status"]):
            previous.status = PictureStatus.SUPERSEDED


def cosign(actor: Actor, picture: SituationPicture) -> SituationPicture:
    actor.require(COSIGN_ROLES)
    _own(actor, picture)
    if picture.status != PictureStatus.AWAITING_COSIGN:
        raise DomainError(_("Lägesbilden väntar inte på kontrasignering."))
    if picture.adopted_by_id and picture.adopted_by_id == getattr(actor.user, "pk", None):
        raise PermissionDenied(_("Den som antog lägesbilden kan inte också kontrasignera den."))
    with transaction.atomic():
        picture.cosigned_by = actor.stored_user
        picture.cosigned_at = timezone.now()
        _make_current(actor, picture)
        _save_status(actor, picture, was=PictureStatus.AWAITING_COSIGN, cosigned=True)
    return picture


def return_to_draft(actor: Actor, picture: SituationPicture) -> SituationPicture:
    """The kommunpolis declines to co-sign: the picture goes back to draft."""
    actor.require(COMPILE_ROLES)
    _own(actor, picture)
    if picture.status != PictureStatus.AWAITING_COSIGN:
        raise DomainError(_("Lägesbilden väntar inte på kontrasignering."))
    with transaction.atomic():
        picture.status = PictureStatus.DRAFT
        picture.adopted_at = None
        picture.adopted_by = None
        _save_status(actor, picture, was=PictureStatus.AWAITING_COSIGN)
    return picture


def start_correction(actor: Actor, picture: SituationPicture, reason: str) -> SituationPicture:
    """A new draft version of an adopted picture, with the reason shown on it."""
    actor.require(COMPILE_ROLES)
    _own(actor, picture)
    if picture.status != PictureStatus.ADOPTED:
        raise DomainError(_("Bara en antagen lägesbild kan rättas."))
    reason = _text(reason, "reason", 2000)
    if not reason:
        raise DomainError(_("Ange skälet till rättelsen."), field="reason")
    if SituationPicture.objects.filter(supersedes=picture).exists():
        raise DomainError(_("Det finns redan en rättelse av den här versionen."))
    with transaction.atomic():
        period = _period(picture)
        correction = SituationPicture.objects.create(
            partnership=actor.partnership,
            unit=picture.unit,
            period_index=picture.period_index,
            period_label=picture.period_label,
            version=_next_version(actor, period),
            supersedes=picture,
            correction_reason=reason,
            assessment=picture.assessment,
            created_by=actor.stored_user,
        )
        for lv in picture.levels.all():
            AreaLevel.objects.create(
                picture=correction,
                area_id=lv.area_id,
                area_name=lv.area_name,
                suggested_level=lv.suggested_level,
                suggested_trend=lv.suggested_trend,
                level=lv.level,
                trend=lv.trend,
                reason=lv.reason,
            )
        _recompute(correction)
        audit.note(
            actor,
            AuditAction.CREATE,
            correction,
            after={"version": correction.version, "supersedes": picture.pk, "reason": reason},
        )
    return correction
