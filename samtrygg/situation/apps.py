from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SituationConfig(AppConfig):
    name = "samtrygg.situation"
    verbose_name = _("Lägesbild")

    def ready(self) -> None:
        from samtrygg.situation import models
        from samtrygg.situation.permissions import LIVE_ROLES

        # Drafts, levels and documents: read by the roles that see the live picture.
        self.audit_readers = {
            model._meta.label: LIVE_ROLES
            for model in (
                models.SituationPicture,
                models.AreaLevel,
                models.GeneratedDocument,
                models.DigestDelivery,
            )
        }
