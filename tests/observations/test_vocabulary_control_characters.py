"""A category name or a time band's name with a control character (a NUL byte) is refused
in words, the same on every database: PostgreSQL cannot store or compare NUL in text or
JSON, so it used to be a server error there."""

from __future__ import annotations

from typing import Any

import pytest

from samtrygg.core.errors import DomainError
from samtrygg.observations import services
from samtrygg.observations.models import Category
from tests.observations.conftest import actor

pytestmark = pytest.mark.django_db


def test_a_category_name_with_a_nul_is_refused(orsa: Any) -> None:
    samordnare = actor(orsa.user("samordnare"), orsa)
    before = Category.objects.count()
    with pytest.raises(DomainError) as refused:
        services.create_category(samordnare, name="Skade\x00görelse")
    assert refused.value.field == "name"
    assert "otillåtna tecken" in refused.value.message
    category = Category.objects.filter(partnership=orsa.partnership).first()
    with pytest.raises(DomainError):
        services.rename_category(samordnare, category, name="Ny\x00")
    assert Category.objects.count() == before


def test_a_time_band_name_with_a_nul_is_refused(orsa: Any) -> None:
    samordnare = actor(orsa.user("samordnare"), orsa)
    bands = [{"label": "Natt\x00", "start": "00:00", "end": "06:00"}]
    with pytest.raises(DomainError) as refused:
        services.update_time_bands(samordnare, bands)
    assert refused.value.field == "label"
    assert "otillåtna tecken" in refused.value.message


def test_the_api_answers_400(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.post(
        "/api/v1/partnerships/2034/categories",
        {"name": "Ny\x00kategori"},
        content_type="application/json",
    )
    assert response.status_code == 400
