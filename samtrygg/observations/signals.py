"""Every new partnership gets the default categories, police type mapping and time bands."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from samtrygg.core.models import Partnership


@receiver(post_save, sender=Partnership, dispatch_uid="observations-defaults")
def _partnership_created(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from samtrygg.observations.services import ensure_defaults

        ensure_defaults(instance)
