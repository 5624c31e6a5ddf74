from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "samtrygg.observations"
    verbose_name = _("Händelserapporter")

    def ready(self) -> None:
        from samtrygg.observations import signals  # noqa: F401
        from samtrygg.observations.models import (
            Category,
            Observation,
            PoliceTypeMapping,
            Report,
            ReportingSettings,
        )
        from samtrygg.observations.roles import CONFIG_ROLES, READ_ALL_ROLES

        # What the audit trail says of a report (its text, place, reporter) is read by the
        # roles that read every report; the vocabulary by those who configure it.
        self.audit_readers = {
            Report._meta.label: READ_ALL_ROLES,
            Observation._meta.label: READ_ALL_ROLES,
            Category._meta.label: CONFIG_ROLES | READ_ALL_ROLES,
            PoliceTypeMapping._meta.label: CONFIG_ROLES | READ_ALL_ROLES,
            ReportingSettings._meta.label: CONFIG_ROLES | READ_ALL_ROLES,
        }
