"""Security: response headers, the deployment check in production, a production start without
a secret key, and login throttling."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Pq7#vL2$xR9!mK4&wT6^zB8*nD3@hF5%jS1(cG0)yU7+eA2=qW4~iO9" + "xyz12"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "CSRF_TRUSTED_ORIGINS",
            "SAMTRYGG_ENV",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    env["SAMTRYGG_VAR_DIR"] = str(tmp_path / "var")
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in env.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "samtrygg.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def private_cache(settings: Any) -> None:
    """A cache of this test's own, so failures counted elsewhere cannot leak in or out."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"throttle-{os.getpid()}-{id(settings)}",
        }
    }


# --- Headers --------------------------------------------------------------------------------


def test_security_headers_on_a_page(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("area-list"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_security_headers_on_the_login_page(client: Any, db: Any) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_session_cookie_is_http_only(orsa: Any, client: Any, private_cache: None) -> None:
    client.post(
        reverse("login"), {"username": orsa.user("samordnare").username, "password": PASSWORD}
    )
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"].lower() == "lax"


# --- Production configuration ---------------------------------------------------------------


def test_deploy_check_passes_in_production(tmp_path: Path) -> None:
    env = _env(
        tmp_path, SAMTRYGG_ENV="production", SECRET_KEY=SECRET, ALLOWED_HOSTS="samtrygg.orsa.se"
    )
    assert len(SECRET) == 60
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "no issues" in output


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = _env(tmp_path, SAMTRYGG_ENV="production", ALLOWED_HOSTS="samtrygg.orsa.se")
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY måste sättas" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = _env(
        tmp_path, SAMTRYGG_ENV="production", SECRET_KEY="för-kort", ALLOWED_HOSTS="samtrygg.orsa.se"
    )
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "minst 50 tecken" in result.stderr


# --- Login throttling -----------------------------------------------------------------------


def test_login_is_throttled_after_five_failures(
    orsa: Any, client: Any, private_cache: None
) -> None:
    username = orsa.user("samordnare").username
    for _ in range(5):
        response = client.post(reverse("login"), {"username": username, "password": "fel"})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 429
    assert "För många misslyckade inloggningar" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_name(orsa: Any, client: Any, private_cache: None) -> None:
    for _ in range(5):
        client.post(
            reverse("login"), {"username": orsa.user("samordnare").username, "password": "fel"}
        )
    response = client.post(
        reverse("login"), {"username": orsa.user("analytiker").username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_success_before_the_limit_resets_the_count(
    orsa: Any, client: Any, private_cache: None
) -> None:
    username = orsa.user("samordnare").username
    for _ in range(4):
        client.post(reverse("login"), {"username": username, "password": "fel"})
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    client.logout()
    for _ in range(4):
        client.post(reverse("login"), {"username": username, "password": "fel"})
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
