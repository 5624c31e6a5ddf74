from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationsConfig(AppConfig):
    name = "samtrygg.observations"
    verbose_name = _("Händelserapporter")

    def ready(self) -> None:
        from samtrygg.observations import signals  # noqa: F401
