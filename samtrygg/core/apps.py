from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "samtrygg.core"
    verbose_name = _("Grunddata")

    def ready(self) -> None:
        # Bind shared tasks to the project's Celery app and start the job log.
        from samtrygg import celery  # noqa: F401
        from samtrygg.core import jobs  # noqa: F401
