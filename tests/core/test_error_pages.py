"""With DEBUG off, a missing page and a server error get Swedish pages of the platform."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_unknown_address_is_a_swedish_404(client: Client) -> None:
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sidan finns inte" in body
    assert "Resolver404" not in body


@override_settings(DEBUG=False)
def test_a_missing_record_says_what_is_missing(login: Any, orsa: Any) -> None:
    client = login(orsa.users["samordnare"])
    response = client.get("/dokument/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sidan finns inte" in body
    assert "Dokumentet finns inte eller har tagits bort" in body


def _broken_view(request: Any) -> Any:
    raise RuntimeError("a bug")


urlpatterns = [path("trasig/", _broken_view)]


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_is_a_swedish_500_page() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/trasig/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Något gick fel" in body
    assert 'lang="sv"' in body
