"""Only the system administrator grants the länssamordnare role; each grant is audited."""

from __future__ import annotations

from typing import Any

import pytest

from samtrygg.core.errors import DomainError, PermissionDenied
from samtrygg.core.models import AuditEntry
from samtrygg.county import services
from samtrygg.county.models import CountyAssignment

pytestmark = pytest.mark.django_db


def test_grant_and_revoke_are_audited(superuser: Any, orsa: Any) -> None:
    user = orsa.user("analytiker")
    assignment = services.grant_county(superuser, user=user, county="20")
    entry = AuditEntry.objects.filter(model="county.CountyAssignment").latest("at")
    assert entry.action == "create" and entry.actor == superuser
    services.revoke_county(superuser, assignment)
    assert not CountyAssignment.objects.exists()
    assert AuditEntry.objects.filter(model="county.CountyAssignment", action="delete").exists()


def test_only_the_system_administrator_grants(superuser: Any, orsa: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.grant_county(orsa.user("samordnare"), user=orsa.user("analytiker"), county="20")
    with pytest.raises(PermissionDenied):
        services.grant_county(superuser, user=superuser, county="20")
    assert not CountyAssignment.objects.exists()


def test_bad_grants_are_refused_in_swedish(superuser: Any, orsa: Any) -> None:
    user = orsa.user("analytiker")
    with pytest.raises(DomainError, match="Länet 99 finns inte"):
        services.grant_county(superuser, user=user, county="99")
    services.grant_county(superuser, user=user, county="20")
    with pytest.raises(DomainError, match="redan länssamordnare"):
        services.grant_county(superuser, user=user, county="20")
    assert CountyAssignment.objects.count() == 1


def test_the_admin_grants_through_the_service(superuser: Any, orsa: Any, client: Any) -> None:
    client.force_login(superuser)
    user = orsa.user("styrgrupp")
    response = client.post("/admin/county/countyassignment/add/", {"user": user.pk, "county": "20"})
    assert response.status_code == 302
    assignment = CountyAssignment.objects.get()
    assert assignment.granted_by == superuser
    again = client.post("/admin/county/countyassignment/add/", {"user": user.pk, "county": "20"})
    assert again.status_code == 200
    assert "redan länssamordnare" in again.content.decode()
    assert CountyAssignment.objects.count() == 1
