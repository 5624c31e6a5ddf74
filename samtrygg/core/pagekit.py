"""What the apps' pages do alike: a refusal beside its field, a file to download, the map's
GeoJSON. Core imports no app, so every app's views may use these."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError
from samtrygg.core.views_helpers import report_error


def refusal(
    request: HttpRequest,
    exc: DomainError,
    fields: tuple[str, ...],
    *,
    default: str = "",
    summary_at_top: bool = True,
) -> dict[str, str]:
    """A service's refusal of a page form: each field's refusal beside its field when the form
    shows that field (or beside ``default`` when one is named), with a line at the top saying
    nothing was saved (unless the page says so in the form: ``summary_at_top``); else at the
    top. Returns field name -> message."""
    beside: dict[str, str] = {}
    for error in exc.refusals():
        field = error.field if error.field in fields else default
        if field:
            beside[field] = f"{beside[field]} {error.message}" if field in beside else error.message
        else:
            report_error(request, error)
    if beside and summary_at_top:
        messages.error(request, _("Ingenting är sparat. Rätta det som är markerat."))
    return beside


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(
    content: bytes | str, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """A file the page gives: shown in the browser (a PDF) when ``inline``, else saved."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- GeoJSON for the maps ----------------------------------------------------------------------


def point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def feature(
    geometry: dict[str, Any] | None, properties: dict[str, Any], *, id: int | None = None
) -> dict[str, Any]:
    """One GeoJSON feature (with the record's id when it has one, for the map's links)."""
    out: dict[str, Any] = {"type": "Feature", "geometry": geometry, "properties": properties}
    if id is not None:
        out["id"] = id
    return out


def kommun_features(municipality: Any) -> list[dict[str, Any]]:
    """The kommun's boundary as the first feature of a map (none when it has no boundary)."""
    if not municipality.boundary:
        return []
    return [feature(municipality.boundary, {"kind": "kommun", "name": municipality.name})]


def feature_collection(features: list[dict[str, Any]], **extra: Any) -> JsonResponse:
    return JsonResponse({"type": "FeatureCollection", "features": features, **extra})
