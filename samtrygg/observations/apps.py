from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "samtrygg.observations"
    verbose_name = _("Händelserapporter")

    def ready(self) -> None:
        from samtrygg.core.permissions import readers_of
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
            **readers_of(READ_ALL_ROLES, Report, Observation),
            **readers_of(
                CONFIG_ROLES | READ_ALL_ROLES, Category, PoliceTypeMapping, ReportingSettings
            ),
        }
