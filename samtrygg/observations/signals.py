"""Signals: defaults for every new partnership; reports follow changed delområden."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from samtrygg.core.models import Area, Partnership


@receiver(post_save, sender=Partnership, dispatch_uid="observations-defaults")
def _partnership_created(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from samtrygg.observations.services import ensure_defaults

        ensure_defaults(instance)


@receiver(post_save, sender=Area, dispatch_uid="observations-area-saved")
@receiver(post_delete, sender=Area, dispatch_uid="observations-area-deleted")
def _area_changed(sender: Any, instance: Area, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from samtrygg.observations.services import relocate_observations

    partnership = Partnership.objects.filter(pk=instance.partnership_id).first()
    if partnership is not None:
        relocate_observations(partnership)
