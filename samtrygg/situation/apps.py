from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "samtrygg.situation"
    verbose_name = _("Lägesbild")

    def ready(self) -> None:
        from samtrygg.core.permissions import readers_of
        from samtrygg.situation import models
        from samtrygg.situation.permissions import LIVE_ROLES

        # Drafts, levels and documents: read by the roles that see the live picture.
        self.audit_readers = readers_of(
            LIVE_ROLES,
            models.SituationPicture,
            models.AreaLevel,
            models.GeneratedDocument,
            models.DigestDelivery,
        )
