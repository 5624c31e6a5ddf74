from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samtrygg.core"
    verbose_name = _("Grunddata")

    def ready(self) -> None:
        # Bind shared tasks to the project's Celery app and start the job log.
        from samtrygg import celery  # noqa: F401
        from samtrygg.core import jobs  # noqa: F401
        from samtrygg.core.models import (
            ApiToken,
            Area,
            Invitation,
            Membership,
            Municipality,
            Organisation,
            Partnership,
            Place,
            PoliceArea,
            Population,
            User,
        )
        from samtrygg.core.permissions import AUDIT_ROLES, readers_of

        # Set-up records: every role that reads the audit trail may read what it says of them.
        self.audit_readers = readers_of(
            AUDIT_ROLES,
            Partnership,
            Organisation,
            Membership,
            Invitation,
            Area,
            Place,
            PoliceArea,
            Municipality,
            Population,
            ApiToken,
            User,
        )
