"""The site's own address, for links in mail and documents made outside a request."""

from __future__ import annotations

from django.conf import settings

DEVELOPMENT_ADDRESS = "http://127.0.0.1:8000"


def site_url() -> str:
    """The address the site is served at, without a trailing slash: the first trusted origin
    (``CSRF_TRUSTED_ORIGINS``), or the development server's when none is set."""
    origins = settings.CSRF_TRUSTED_ORIGINS
    return origins[0].rstrip("/") if origins else DEVELOPMENT_ADDRESS
