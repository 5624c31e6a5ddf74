from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "samtrygg.surveys"
    verbose_name = _("Trygghetsmätningar och dialoger")

    def ready(self) -> None:
        from samtrygg.core.permissions import readers_of
        from samtrygg.surveys import evidence, models
        from samtrygg.surveys.permissions import READ_ROLES

        evidence.register()
        # The audit trail of surveys and dialogues is read by those who read their results.
        self.audit_readers = readers_of(
            READ_ROLES,
            models.Survey,
            models.Wave,
            models.OwnQuestion,
            models.PublishedFigure,
            models.Dialogue,
        )
