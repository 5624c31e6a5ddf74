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
}
