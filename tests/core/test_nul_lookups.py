"""Text sent to a lookup (an e-mail address for a new member, the audit log's search) with a
NUL byte finds nothing and answers in words: PostgreSQL cannot compare such text, so it used
to be a server error there."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_a_member_address_with_a_nul_is_not_found(orsa: Any, login: Any) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    organisation = orsa.partnership.organisations.first()
    body = {"email": "rapportor\x00@example.se", "organisation_id": organisation.pk}
    response = client.post(
        "/api/v1/partnerships/2034/memberships",
        json.dumps({**body, "role": "rapportor"}),
        content_type="application/json",
    )
    assert response.status_code == 400


def test_the_audit_log_search_with_a_nul_answers(orsa: Any, login: Any) -> None:
    """The filter form refuses the search in words beside the field (400), never a 500."""
    client = login(orsa.user("administrator"), orsa.partnership)
    response = client.get("/logg/", {"q": "a\x00"})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
