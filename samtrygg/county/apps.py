from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountyConfig(AppConfig):
    name = "samtrygg.county"
    verbose_name = _("Län och lokalpolisområde")

    def ready(self) -> None:
        # The adopted template reaches the problem documentation and the surveys through the
        # hooks of those apps (they sit below the county in the layers and never import it).
        from samtrygg.core.permissions import AUDIT_ROLES
        from samtrygg.county import template_rules
        from samtrygg.county.models import TemplateAdoption
        from samtrygg.statutory import extensions as statutory
        from samtrygg.surveys import extensions as surveys

        statutory.register_documentation_rules(template_rules.documentation_rules)
        surveys.register_survey_template(template_rules.survey_template)

        # What the audit trail says of an adoption (its mapping) is read by those who may
        # read the partnership's audit trail at all.
        self.audit_readers = {TemplateAdoption._meta.label: AUDIT_ROLES}
