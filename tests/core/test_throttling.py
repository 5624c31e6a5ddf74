"""Login throttling (django-axes) holds under parallel attempts and behind a proxy, and the API
has a throttle of its own.

- 40 parallel wrong passwords for one name get at most five passwords checked;
- behind a trusted reverse proxy each client is counted at its own address, so nobody can
  lock a named user out from elsewhere; an untrusted client cannot choose its address by
  sending X-Forwarded-For;
- the API answers 429 with a Swedish message and Retry-After past ``API_THROTTLE_RATE``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from samtrygg.core.clientip import client_address
from tests.conftest import PASSWORD

PROXY = "10.0.0.5"


class SlowHasher(MD5PasswordHasher):
    """A password check that takes a while (as Argon2 does), counting how often it ran."""

    checks = 0
    lock = threading.Lock()

    def verify(self, password: str, encoded: str) -> bool:
        with SlowHasher.lock:
            SlowHasher.checks += 1
        time.sleep(0.15)
        return super().verify(password, encoded)


# --- The client's address --------------------------------------------------------------------


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_a_trusted_proxy_gives_the_right_most_untrusted_address(settings: Any) -> None:
    settings.TRUSTED_PROXIES = [PROXY, "192.168.0.0/16"]
    # the client claims 1.2.3.4; the proxies appended what they saw
    request = _request(PROXY, "1.2.3.4, 198.51.100.7, 192.168.1.10")
    assert client_address(request) == "198.51.100.7"
    assert client_address(_request(PROXY)) == PROXY
    assert client_address(_request(PROXY, "inte-en-adress")) == PROXY
    # an untrusted sender's header is not believed
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


# --- Login throttling --------------------------------------------------------------------------


def _login(client: Any, username: str, password: str, **extra: Any) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_behind_the_proxy_another_address_cannot_lock_a_user_out(
    orsa: Any, client: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    username = orsa.user("samordnare").username
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(6):
        _login(client, username, "fel", **attacker)
    assert _login(client, username, PASSWORD, **attacker).status_code == 429
    colleague = Client()
    response = _login(
        colleague,
        username,
        PASSWORD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_untrusted_client_cannot_escape_by_claiming_addresses(
    orsa: Any, client: Any, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = [PROXY]
    username = orsa.user("samordnare").username
    for n in range(5):
        response = _login(
            client, username, "fel", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"
        )
        assert response.status_code == 200
    response = _login(
        client, username, PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.99"
    )
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_wrong_passwords_get_at_most_five_checked(orsa: Any, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["tests.core.test_throttling.SlowHasher"]
    user = orsa.user("samordnare")
    user.set_password(PASSWORD)
    user.save()
    SlowHasher.checks = 0

    def attempt(n: int) -> int:
        try:
            return _login(Client(), user.username, f"fel-{n}").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(attempt, range(40)))
    assert SlowHasher.checks <= settings.LOGIN_THROTTLE_ATTEMPTS, SlowHasher.checks
    assert statuses.count(200) == SlowHasher.checks
    assert statuses.count(429) == 40 - SlowHasher.checks
    # and the right password is refused too until the pause is over
    assert _login(Client(), user.username, PASSWORD).status_code == 429


# --- The API throttle -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_answers_429_past_its_rate(orsa: Any, login: Any, settings: Any) -> None:
    settings.API_THROTTLE_RATE = "3/m"
    client = login(orsa.user("samordnare"), orsa.partnership)
    for _ in range(3):
        assert client.get("/api/v1/partnerships/2034/areas").status_code == 200
    response = client.get("/api/v1/partnerships/2034/areas")
    assert response.status_code == 429
    assert "För många förfrågningar" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 60
    other = Client()
    other.force_login(orsa.user("analytiker"))
    assert other.get("/api/v1/partnerships/2034/areas").status_code == 200
