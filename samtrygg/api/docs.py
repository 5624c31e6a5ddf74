"""The API's documentation page: Swagger UI from the npm lockfile (swagger-ui-dist), served
with the other front-end packages as static files, so it works without the internet."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    """Ninja's Swagger page, rendered from our template instead of one that loads a CDN."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        # The browser's session is one of the API's ways in, so requests tried from the page
        # carry the CSRF token.
        return render(request, self.template, {"swagger_settings": settings, "api": api})
