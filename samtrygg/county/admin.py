"""The system administrator grants and withdraws the länssamordnare role here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from samtrygg.core.errors import DomainError
from samtrygg.county import services
from samtrygg.county.models import CountyAssignment


class CountyAssignmentForm(forms.ModelForm):  # type: ignore[type-arg]
    granter: Any = None

    class Meta:
        model = CountyAssignment
        fields = ("user", "county")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            services.check_grant(
                self.granter, user=cleaned.get("user"), county=cleaned.get("county")
            )
        except DomainError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)
        return cleaned


@admin.register(CountyAssignment)
class CountyAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = CountyAssignmentForm
    list_display = ("user", "county", "granted_by", "granted_at")
    list_filter = ("county",)
    search_fields = ("user__email", "county__name")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A grant is given or withdrawn, never edited into another one.
        return obj is None and super().has_change_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.granter = request.user  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.grant_county(request.user, user=obj.user, county=obj.county)
        obj.pk = saved.pk
        obj.granted_at = saved.granted_at

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.revoke_county(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for assignment in queryset:
            services.revoke_county(request.user, assignment)
