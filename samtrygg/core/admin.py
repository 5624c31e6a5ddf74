"""System administration (superusers): police areas, partnerships, reference data.

Partnership work itself happens in the application's pages, through the services.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from samtrygg.core import models


@admin.register(models.User)
class SamtryggUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("email", "first_name", "last_name", "is_active", "is_superuser")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name")
    exclude = ("boundary",)


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "county")
    list_filter = ("county",)
    search_fields = ("code", "name")
    exclude = ("boundary",)


@admin.register(models.PoliceArea)
class PoliceAreaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "region")
    list_filter = ("region",)
    filter_horizontal = ("municipalities",)
    search_fields = ("name",)


@admin.register(models.Partnership)
class PartnershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "municipality", "police_area", "min_public_count", "is_demo")
    autocomplete_fields = ("municipality", "police_area")


@admin.register(models.Population)
class PopulationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("municipality", "year", "population")
    list_filter = ("year",)
