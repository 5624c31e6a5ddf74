from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountyConfig(AppConfig):
    name = "samtrygg.county"
    verbose_name = _("Län och lokalpolisområde")
