"""The project's URLs and one bare Django view, the floor ``bench_api.py`` compares with."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/bare/", bare), path("", include("samtrygg.urls"))]
