from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "samtrygg.actions"
    verbose_name = _("Insatser och möten")

    def ready(self) -> None:
        from samtrygg.actions import agenda, minutes, queries
        from samtrygg.situation import extensions

        minutes.register()
        extensions.register_period_actions(queries.actions_in_period)
        extensions.register_digest_lines(agenda.digest_lines)
