"""PDFs rendered with WeasyPrint from the same templates as the pages, and the walk's map.

Static files and media are read from disk (never fetched over the network), so a PDF is made
the same way in a request, in a job and in a test.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.template.loader import render_to_string

_BASE = "https://samtrygg.invalid/"


def _local_file(url: str) -> tuple[bytes, str] | None:
    """The bytes and type of a /static/ or /media/ address, read from disk."""
    path = url.removeprefix(_BASE.rstrip("/")).split("?")[0]
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
    if path.startswith(static_prefix):
        found = finders.find(path.removeprefix(static_prefix))
        if found:
            file_path = found if isinstance(found, str) else found[0]
            with open(file_path, "rb") as handle:
                return handle.read(), mimetypes.guess_type(file_path)[0] or "text/plain"
    if path.startswith(media_prefix):
        name = path.removeprefix(media_prefix)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                return handle.read(), "image/jpeg"
    return None


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves static files and media from disk, reads data:
    addresses, and refuses everything else (no network access while rendering)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            local = _local_file(url)
            if local is None:
                raise ValueError(f"refused to fetch {url}")
            body, mime = local
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return LocalFetcher()


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The page's template rendered as a PDF (``pdf`` is true in the context)."""
    from weasyprint import HTML

    html = render_to_string(template, {**context, "pdf": True}, request=request)
    document = HTML(string=html, base_url=_BASE, url_fetcher=_fetcher())
    return bytes(document.write_pdf())


def walk_map_svg(partnership: Any, walk: Any, findings: list[Any]) -> str:
    """The walk's route and numbered findings over the kommun and delområden, as SVG."""
    from django.utils.translation import gettext as _

    from samtrygg.core.models import Area
    from samtrygg.situation.svgmap import Layer, LegendItem, SvgMap

    svg = SvgMap(width=760, height=520, title=_("Karta över trygghetsvandringen"))
    focus: list[dict[str, Any]] = []
    if walk.route:
        focus.append(walk.route)
    focus += [{"type": "Point", "coordinates": [f.lon, f.lat]} for f in findings]
    area_geoms = list(Area.objects.filter(partnership=partnership).values_list("name", "geometry"))
    if walk.area_id:
        focus.append(walk.area.geometry)
    if not focus:
        boundary = partnership.municipality.boundary
        focus = [boundary] if boundary else [g for _n, g in area_geoms]
    # a little context around the route
    svg.bounds_from = focus
    if partnership.municipality.boundary:
        svg.add(
            Layer(
                partnership.municipality.boundary,
                stroke="#12324f",
                fill="#dfe7ef",
                fill_opacity=0.5,
                width=2,
            )
        )
    for name, geometry in area_geoms:
        svg.add(Layer(geometry, stroke="#0b5cad", fill="#0b5cad", fill_opacity=0.08, label=name))
    if walk.route:
        svg.add(Layer(walk.route, stroke="#a4161a", width=4))
    for number, finding in enumerate(findings, start=1):
        svg.add(
            Layer(
                {"type": "Point", "coordinates": [finding.lon, finding.lat]},
                stroke="#fff",
                fill="#8a5a00",
                fill_opacity=1.0,
                radius=8,
                label=str(number),
            )
        )
    svg.legend = [
        LegendItem("#a4161a", _("Sträckan")),
        LegendItem("#8a5a00", _("Fynd (numrerade)")),
        LegendItem("#0b5cad", _("Delområden")),
    ]
    return svg.render()
