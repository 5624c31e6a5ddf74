from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatutoryConfig(AppConfig):
    name = "samtrygg.statutory"
    verbose_name = _("Lägesbild och åtgärdsplan enligt lag (2023:196)")

    def ready(self) -> None:
        from samtrygg.statutory import evidence_kinds, models
        from samtrygg.statutory.permissions import ADOPTED_ROLES, READ_ROLES

        evidence_kinds.register()

        # Problems, drafts, the plan and its follow-up are read by the statutory readers;
        # decisions, bodies and the samordningsfunktion also by those who read adopted
        # versions.
        self.audit_readers = {
            **{
                model._meta.label: READ_ROLES
                for model in (
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
                )
            },
            **{
                model._meta.label: ADOPTED_ROLES
                for model in (
                    models.DecisionBody,
                    models.Decision,
                    models.CoordinationFunction,
                )
            },
        }
