"""The API at /api/v1/: session auth for the browser, bearer tokens for integrations."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from samtrygg.api.docs import LocalSwagger
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from samtrygg.core.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Samtrygg API",
    version="1",
    description=(
        "Samtryggs API. Logga in i webbläsaren (session) eller skicka "
        "`Authorization: Bearer <nyckel>` med en API-nyckel som du skapar under Konto."
    ),
    auth=[SessionAuth(), TokenAuth()],
    urls_namespace="api",
    docs=LocalSwagger(),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, PermissionDenied) else 400
    body: dict[str, Any] = {"detail": exc.message}
    if exc.field:
        body["field"] = exc.field
    if exc.row:
        body["row"] = exc.row
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Inloggning krävs (session eller API-nyckel).")}, status=401
    )


_HTTP_MESSAGES = {
    400: gettext_noop("Förfrågan kunde inte läsas. Skicka giltig JSON."),
    403: gettext_noop("Din roll i den här samverkan får inte göra detta."),
    404: gettext_noop("Det du söker finns inte."),
    405: gettext_noop("Metoden stöds inte här."),
    429: gettext_noop("För många förfrågningar. Vänta en stund och försök igen."),
}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = _HTTP_MESSAGES.get(exc.status_code, gettext_noop("Förfrågan kunde inte behandlas."))
    return api.create_response(request, {"detail": _(message)}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Det du söker finns inte.")}, status=404)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload")
        )
        problems.append(
            {"field": where, "detail": _("Ogiltigt värde: %(m)s") % {"m": error.get("msg", "")}}
        )
    return api.create_response(
        request,
        {"detail": _("Förfrågan innehåller ogiltiga värden."), "errors": problems},
        status=422,
    )


from samtrygg.core.api import router as core_router  # noqa: E402

api.add_router("/", core_router)

from samtrygg.actions.api import router as actions_router  # noqa: E402

api.add_router("/", actions_router)
api.add_router("/", "samtrygg.observations.api.router")
api.add_router("/", "samtrygg.sources.api.router")
api.add_router("/", "samtrygg.situation.api.router")
