"""PDFs rendered with WeasyPrint from the same templates as the pages.

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


def render_html(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> str:
    """The page's template as the PDF is made from it (``pdf`` is true in the context)."""
    return render_to_string(template, {**context, "pdf": True}, request=request)


def pdf_of_html(html: str) -> bytes:
    """HTML (with /static/ and /media/ addresses) as a PDF; nothing is fetched over the
    network. WeasyPrint is imported here, when a PDF is made, not with every page."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=_BASE, url_fetcher=_fetcher())
    return bytes(document.write_pdf())


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The page's template rendered as a PDF (``pdf`` is true in the context)."""
    return pdf_of_html(render_html(template, context, request))
