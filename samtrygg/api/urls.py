"""The API at /api/v1/: session auth for the browser, bearer tokens for integrations."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from samtrygg.api.docs import LocalSwagger
from samtrygg.api.throttling import ApiThrottle
from samtrygg.core.errors import DomainError, NotFound, PermissionDenied


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from samtrygg.core.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class CsrfFailed(Exception):
    """A browser session sent a write without Django's CSRF token."""


class BrowserSession(SessionAuth):
    """The browser's login session. A write must carry the CSRF token too; a request with
    no logged-in session is left to the other authenticators (an API key)."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def _get_key(self, request: HttpRequest) -> str | None:
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise CsrfFailed
        return request.COOKIES.get(self.param_name)


# The refusals every operation may answer with, each as {"detail": ...} in Swedish. A schema
# error (422) adds "errors", a refusal of a service (400) may name the "field" or the "row",
# and lists each field's refusal in "errors" when it refuses several fields at once.
ERROR_RESPONSES: dict[int, str] = {
    400: "Tjänsten sa nej: värdena går inte att använda (detail, ev. field, row och errors).",
    401: "Inloggning krävs: en API-nyckel (Authorization: Bearer) eller en session.",
    403: "Rollen får inte göra detta här, eller en sessions skrivning saknar CSRF-token.",
    404: "Samverkan, posten eller sidan finns inte (eller nås inte av den som frågar).",
    422: "Förfrågan följer inte schemat: fel typ, saknat fält eller värde utanför gränserna.",
    429: "För många förfrågningar: vänta så många sekunder som Retry-After säger.",
}
# Only an operation that takes a body can send one that is too large.
BODY_TOO_LARGE = {413: "Kroppen är för stor."}

ERROR_SCHEMA = {
    "title": "Fel",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "field": {"type": "string"},
        "row": {"type": "integer"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
    "required": ["detail"],
}


class SamtryggAPI(NinjaAPI):
    """Ninja's API, its OpenAPI spec naming every status an operation can answer with."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Fel"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Fel"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                refusals = dict(ERROR_RESPONSES)
                if "requestBody" in operation:
                    refusals |= BODY_TOO_LARGE
                responses = operation["responses"]
                for status, description in refusals.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, "content": error}
        return schema


api = SamtryggAPI(
    title="Samtrygg API",
    version="1",
    description=(
        "Samtryggs API. Logga in i webbläsaren (session) eller skicka "
        "`Authorization: Bearer <nyckel>` med en API-nyckel som du skapar under Konto."
    ),
    # The key first: an integration writes with a key alone, without a CSRF token.
    auth=[TokenAuth(), BrowserSession()],
    throttle=[ApiThrottle()],
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
    several = exc.refusals()
    if len(several) > 1:
        # Every field's refusal, so that a form can show each beside its field; "detail"
        # and "field" still say all of it and name the first field, as before.
        body["errors"] = [{"field": e.field or "", "detail": e.message} for e in several]
    return api.create_response(request, body, status=status)


@api.exception_handler(CsrfFailed)
def csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _(
                "CSRF-kontrollen misslyckades: skicka sidans CSRF-token i X-CSRFToken, eller "
                "använd en API-nyckel (Authorization: Bearer <nyckel>)."
            )
        },
        status=403,
    )


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
api.add_router("/", "samtrygg.surveys.api.router")
api.add_router("/", "samtrygg.statutory.api.router")
api.add_router("/", "samtrygg.promises.api.router")
api.add_router("/", "samtrygg.residents.api.router")
api.add_router("/", "samtrygg.county.api.router")
