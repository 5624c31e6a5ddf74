from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "samtrygg.residents"
    verbose_name = _("Invånare: tips och faktasvar")

    def ready(self) -> None:
        from samtrygg.core.permissions import COORDINATING_ROLES, readers_of
        from samtrygg.residents import models

        # Tips, claims and answers: the queue's roles read what the audit trail says of them.
        self.audit_readers = readers_of(
            COORDINATING_ROLES,
            models.Tip,
            models.Claim,
            models.FactAnswer,
            models.ResidentSettings,
            models.PublicCategory,
        )
