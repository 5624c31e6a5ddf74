from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatutoryConfig(AppConfig):
    name = "samtrygg.statutory"
    verbose_name = _("Lägesbild och åtgärdsplan enligt lag (2023:196)")

    def ready(self) -> None:
        from samtrygg.core.permissions import readers_of
        from samtrygg.statutory import evidence_kinds, models
        from samtrygg.statutory.permissions import ADOPTED_ROLES, READ_ROLES

        evidence_kinds.register()

        # Problems, drafts, the plan and its follow-up are read by the statutory readers;
        # decisions, bodies and the samordningsfunktion also by those who read adopted
        # versions.
        self.audit_readers = {
            **readers_of(
                READ_ROLES,
                models.Problem,
                models.ProblemVersion,
                models.ProblemCause,
                models.ProblemEvidence,
                models.StatutoryReport,
                models.ConsultationEntry,
                models.ActionPlanItem,
                models.NoActionDecision,
                models.PlanFollowUp,
                models.ReviewSettings,
            ),
            **readers_of(
                ADOPTED_ROLES, models.DecisionBody, models.Decision, models.CoordinationFunction
            ),
        }
