from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "samtrygg.actions"
    verbose_name = _("Insatser och möten")

    def ready(self) -> None:
        from samtrygg.actions import agenda, minutes, models, queries
        from samtrygg.actions.permissions import READ_ALL_ROLES
        from samtrygg.core.permissions import readers_of
        from samtrygg.situation import extensions

        minutes.register()
        extensions.register_period_actions(queries.actions_in_period)
        extensions.register_digest_lines(agenda.digest_lines)

        # Meetings, actions and walks: the audit trail's content is read by those who read
        # all of them (a rapportör's own organisation's actions are not in the audit trail).
        self.audit_readers = readers_of(
            READ_ALL_ROLES,
            models.Meeting,
            models.Attendance,
            models.Decision,
            models.Action,
            models.SafetyWalk,
            models.WalkFinding,
        )
