from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _partnership_records_changed(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    from samtrygg.core.generations import data_changed

    data_changed(getattr(instance, "partnership_id", None) or instance.pk, using=using)


def _shared_records_changed(sender: Any, using: str, **kwargs: Any) -> None:
    from samtrygg.core.generations import data_changed

    data_changed(None, using=using)


class SituationConfig(AppConfig):
    name = "samtrygg.situation"
    verbose_name = _("Lägesbild")

    def ready(self) -> None:
        from samtrygg.core.models import Area, Municipality, Partnership, Population
        from samtrygg.core.permissions import readers_of
        from samtrygg.observations.models import Category, Observation, PoliceTypeMapping
        from samtrygg.situation import models
        from samtrygg.situation.permissions import LIVE_ROLES
        from samtrygg.sources.models import CrimeStatistic, PoliceEvent

        # A lägesbild kept in the shared cache (``situation.pictures.cached_snapshot``) is made
        # of these records: a save or delete of one, through a service, the admin or a cascade,
        # outdates the pictures of its partnership (or of all, for what every one reads).
        receivers = (
            (
                _partnership_records_changed,
                (Observation, Category, PoliceTypeMapping, Area, Partnership),
            ),
            (_shared_records_changed, (PoliceEvent, CrimeStatistic, Population, Municipality)),
        )
        for receiver, senders in receivers:
            for sender in senders:
                for signal in (post_save, post_delete):
                    signal.connect(
                        receiver, sender=sender, dispatch_uid=f"picture-data-{sender.__name__}"
                    )

        # Drafts, levels and documents: read by the roles that see the live picture.
        self.audit_readers = readers_of(
            LIVE_ROLES,
            models.SituationPicture,
            models.AreaLevel,
            models.GeneratedDocument,
            models.DigestDelivery,
        )
