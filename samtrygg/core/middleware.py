"""Request plumbing: the current partnership and security headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from samtrygg.core.permissions import actor_for, partnerships_of

SESSION_KEY = "partnership_id"


class CurrentPartnershipMiddleware:
    """Sets ``request.actor``: the user in the partnership they have chosen (or their first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.partnerships = []  # type: ignore[attr-defined]
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            choices = partnerships_of(user)
            request.partnerships = choices  # type: ignore[attr-defined]
            wanted = request.session.get(SESSION_KEY)
            chosen = next((p for p in choices if p.pk == wanted), None) or (
                choices[0] if choices else None
            )
            request.actor = actor_for(user, chosen)  # type: ignore[attr-defined]
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """A content security policy that allows only our own scripts and styles.

    Map tiles may come from MAP_TILE_URL's host when it is configured.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from urllib.parse import urlsplit

        from django.conf import settings

        self.get_response = get_response
        tile_host = ""
        if settings.MAP_TILE_URL:
            parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
            tile_host = f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}"
        self.policy = (
            "default-src 'self'; img-src 'self' data: blob:" + tile_host + "; "
            "style-src 'self' 'unsafe-inline'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/v1/docs"):
            response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        return response


class SwedishFirstMiddleware:
    """Swedish unless the user has chosen English with the language switch.

    The browser's Accept-Language is ignored on purpose: the working language of the
    partnership is Swedish, whatever language a borrowed computer happens to be set to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
