from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "samtrygg.promises"
    verbose_name = _("Överenskommelser och medborgarlöften")

    def ready(self) -> None:
        from samtrygg.core.permissions import readers_of
        from samtrygg.promises import models
        from samtrygg.promises.permissions import READ_ROLES

        # Everyone with a role reads agreements and promises, so the audit trail's content too.
        self.audit_readers = readers_of(
            READ_ROLES,
            models.CooperationAgreement,
            models.AgreementAnnex,
            models.CitizenPromise,
            models.FocusArea,
            models.PromiseItem,
            models.Signature,
            models.FollowUp,
            models.FollowUpItem,
        )
