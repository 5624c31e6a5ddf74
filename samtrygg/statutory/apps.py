from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatutoryConfig(AppConfig):
    name = "samtrygg.statutory"
    verbose_name = _("Lägesbild och åtgärdsplan enligt lag (2023:196)")
