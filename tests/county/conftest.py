"""A länssamordnare for Dalarna (no partnership of their own) and a system administrator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def superuser(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(
        username="admin@test.example", email="admin@test.example", password=PASSWORD
    )


@pytest.fixture
def county_user(db: Any, superuser: Any) -> Any:
    from django.contrib.auth import get_user_model

    from samtrygg.county import services

    user = get_user_model().objects.create_user(
        username="lan.20@test.example", email="lan.20@test.example", password=PASSWORD
    )
    services.grant_county(superuser, user=user, county="20")
    return user
