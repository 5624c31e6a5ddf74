"""Admin views of external sources: read-only, since every write goes through an import."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from samtrygg.sources.models import (
    CrimeStatistic,
    FetchCall,
    FetchLock,
    PoliceEvent,
    PoliceEventVersion,
    SourceRun,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PoliceEvent)
class PoliceEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "published", "type", "municipality", "county", "precision", "is_summary")
    list_filter = ("precision", "is_summary", "county")
    search_fields = ("title", "type", "location_name")
    date_hierarchy = "published"


@admin.register(PoliceEventVersion)
class PoliceEventVersionAdmin(ReadOnlyAdmin):
    list_display = ("event", "seen_at", "content_hash")


@admin.register(CrimeStatistic)
class CrimeStatisticAdmin(ReadOnlyAdmin):
    list_display = ("municipality", "year", "category", "unit", "value")
    list_filter = ("year", "unit", "category")


@admin.register(SourceRun)
class SourceRunAdmin(ReadOnlyAdmin):
    list_display = ("source", "kind", "started_at", "finished_at", "ok", "created", "skipped")
    list_filter = ("source", "kind", "ok")


@admin.register(FetchCall)
class FetchCallAdmin(ReadOnlyAdmin):
    list_display = ("at", "status", "ok", "message")


@admin.register(FetchLock)
class FetchLockAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The back-off can be cleared here by hand (failures and backoff_until)."""

    list_display = ("name", "failures", "backoff_until")
