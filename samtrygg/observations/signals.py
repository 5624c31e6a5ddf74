"""Signals: defaults for every new partnership; reports follow changed delområden (once per
service call that changed them, never per saved area); the kept report columns are built again
once a change has committed."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from samtrygg.core.generations import ALL, data_committed
from samtrygg.core.models import Partnership
from samtrygg.core.signals import areas_changed


@receiver(post_save, sender=Partnership, dispatch_uid="observations-defaults")
def _partnership_created(sender: Any, instance: Partnership, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        from samtrygg.observations.services import ensure_defaults

        ensure_defaults(instance)


@receiver(areas_changed, dispatch_uid="observations-areas-changed")
def _areas_changed(sender: Any, partnership: Partnership, **kwargs: Any) -> None:
    from samtrygg.observations.services import relocate_observations

    relocate_observations(partnership)


@receiver(data_committed, dispatch_uid="observations-build-columns")
def _data_committed(sender: Any, scope: object, **kwargs: Any) -> None:
    # What every partnership reads (police events, Brå, population, kommuner) is not in the
    # reports' columns: a change to it builds nothing, and an admin's save of a kommun does
    # not rebuild the whole country.
    if scope == ALL:
        return
    from samtrygg.observations.columns import build_after_commit

    build_after_commit(int(str(scope)))
