from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "samtrygg.sources"
    verbose_name = _("Externa källor")
