from django.contrib import admin

from samtrygg.residents.models import PublicCategory, ResidentSettings


@admin.register(ResidentSettings)
class ResidentSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("partnership", "fault_report_name", "fault_report_email", "contact_days")


@admin.register(PublicCategory)
class PublicCategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("category", "partnership", "is_public", "open311")
    list_filter = ("is_public", "open311")
