"""The county pages and API paths in the tenancy registry (tests/tenancy.py).

A county page names a län or lokalpolisområde, not a partnership's record: for a member of
one partnership, the län or lokalpolisområde of another answers 404 like another's record.
The county API paths are not per partnership; tests/county/test_county_tenancy.py walks
every page and API path as a länssamordnare and as an LPO reader.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PAGES_WITH_ID: dict[str, Callable[[Any], dict[str, Any]]] = {
    "county-compliance": lambda t: {"key": t.partnership.municipality.county_id},
    "county-compliance-xlsx": lambda t: {"key": t.partnership.municipality.county_id},
    "county-comparisons": lambda t: {"key": t.partnership.municipality.county_id},
    "lpo-overview": lambda t: {"key": t.partnership.police_area_id},
    # the län's template and a published version of it (made for the tenant's län if none)
    "county-template": lambda t: {"key": t.partnership.municipality.county_id},
    "county-template-version": lambda t: _version_kwargs(t),
    "county-template-preview": lambda t: _version_kwargs(t),
    "county-template-publish": lambda t: _version_kwargs(t),
}


def published_version(t: Any) -> Any:
    """A published version of the template of the tenant's län, with one category (made once,
    as a länssamordnare would have published it)."""
    from django.utils import timezone

    from samtrygg.county.models import (
        CountyTemplate,
        TemplateCategory,
        TemplateVersion,
        VersionStatus,
    )

    county_id = t.partnership.municipality.county_id
    template, _made = CountyTemplate.objects.get_or_create(
        county_id=county_id, defaults={"name": f"Mall för län {county_id}"}
    )
    version = (
        TemplateVersion.objects.filter(template=template, status=VersionStatus.PUBLICERAD)
        .order_by("number")
        .first()
    )
    if version is None:
        last = template.versions.order_by("-number").first()
        version = TemplateVersion.objects.create(
            template=template,
            number=(last.number + 1) if last else 1,
            status=VersionStatus.PUBLICERAD,
            published_at=timezone.now(),
            problem_fields={"kartlaggning": {"required": False, "guidance": "Beskriv platsen."}},
            survey_items=["T1", "F3"],
        )
        TemplateCategory.objects.create(version=version, code="klotter", name="Klotter")
    return version


def _version_kwargs(t: Any) -> dict[str, Any]:
    return {
        "key": t.partnership.municipality.county_id,
        "number": published_version(t).number,
    }


# The lokalpolisområde of a tenant, for the API path /police-areas/{pk}/levels.
API_IDS: dict[str, Callable[[Any], int]] = {
    "police-areas": lambda t: t.partnership.police_area_id,
}

_WHY = "a län or lokalpolisområde, not a partnership; walked in tests/county/test_county_tenancy.py"
API_EXEMPT: dict[str, str] = {
    "/api/v1/counties/{code}/compliance": _WHY,
    "/api/v1/counties/{code}/crime-rates": _WHY,
    "/api/v1/counties/{code}/police-rates": _WHY,
    "/api/v1/police-areas/{pk}/levels": _WHY,
    "/api/v1/counties/{code}/template": _WHY,
}
