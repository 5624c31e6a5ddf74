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


class RequestBodyMiddleware:
    """Refuses request bodies that cannot be read, before anything tries to read them.

    - A multipart body without a valid boundary answers 400 (Django would fail with a
      server error in whichever component first reads the form).
    - An API body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB, see
      docs/configuration.md) answers 413; files go through the import page instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self.refusal(request)
        return refused if refused is not None else self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        from django.conf import settings
        from django.utils.translation import gettext as _

        api = request.path.startswith("/api/")
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.lower().startswith("multipart/") and not _valid_boundary(content_type):
            return _refuse(
                api, 400, _("Formuläret kunde inte läsas: multipart-gränsen (boundary) saknas.")
            )
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if api and limit is not None and _content_length(request) > limit:
            return _refuse(
                api,
                413,
                _(
                    "Förfrågan är för stor: API:t tar emot högst %(mb)s MB. Importera större "
                    "filer på sidan Importera eller med kommandot samtrygg import."
                )
                % {"mb": f"{limit / 1024 / 1024:.1f}".replace(".", ",")},
            )
        return None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _valid_boundary(content_type: str) -> bool:
    from django.http.multipartparser import MultiPartParser
    from django.utils.http import parse_header_parameters

    try:
        content_type.encode("ascii")
    except UnicodeEncodeError:
        return False
    _ctype, options = parse_header_parameters(content_type)
    boundary = options.get("boundary") or ""
    return bool(boundary) and MultiPartParser.boundary_re.fullmatch(boundary) is not None


def _refuse(api: bool, status: int, message: str) -> HttpResponse:
    from django.http import JsonResponse

    response: HttpResponse
    if api:
        response = JsonResponse({"detail": message}, status=status)
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
