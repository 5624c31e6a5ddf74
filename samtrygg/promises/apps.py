from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromisesConfig(AppConfig):
    name = "samtrygg.promises"
    verbose_name = _("Överenskommelser och medborgarlöften")

    def ready(self) -> None:
        from samtrygg.promises import models
        from samtrygg.promises.permissions import READ_ROLES

        # Everyone with a role reads agreements and promises, so the audit trail's content too.
        self.audit_readers = {
            model._meta.label: READ_ROLES
            for model in (
                models.CooperationAgreement,
                models.AgreementAnnex,
                models.CitizenPromise,
                models.FocusArea,
                models.PromiseItem,
                models.Signature,
                models.FollowUp,
                models.FollowUpItem,
            )
        }
