from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samtrygg.core"
    verbose_name = _("Grunddata")

    def ready(self) -> None:
        # Bind shared tasks to the project's Celery app and start the job log.
        from samtrygg import celery  # noqa: F401
        from samtrygg.core import (
            authcache,
            jobs,  # noqa: F401
        )
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

        # What the API keeps of its callers (core.authcache) is made of these records: any
        # change to one, through a service, the admin or a cascade, outdates all of it.
        for model in (User, ApiToken, Membership, Partnership, Municipality):
            for signal in (post_save, post_delete):
                signal.connect(
                    authcache.changed, sender=model, dispatch_uid=f"authcache-{model.__name__}"
                )

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
