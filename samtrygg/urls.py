from django.contrib import admin
from django.urls import include, path

from samtrygg.api.urls import api

urlpatterns = [
    # The API first: Django tries the patterns in order, and the pages' patterns would cost
    # every API request a hundred failed matches. No page lives under api/.
    path("api/v1/", api.urls),
    path("", include("samtrygg.core.urls")),
    path("kallor/", include("samtrygg.sources.urls")),
    path("", include("samtrygg.actions.urls")),
    path("", include("samtrygg.situation.urls")),
    path("rapporter/", include("samtrygg.observations.urls")),
    path("", include("samtrygg.surveys.urls")),
    path("", include("samtrygg.statutory.urls")),
    path("", include("samtrygg.promises.urls")),
    path("", include("samtrygg.residents.urls")),
    path("", include("samtrygg.county.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
