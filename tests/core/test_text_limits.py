"""The services check lengths and characters themselves, so SQLite refuses what PostgreSQL
refuses, with a Swedish message: API-key names over 100 characters, names on an invitation
over 150, NUL and other control characters in free text and in imported descriptions.
(These run on both databases: `make test-postgres` leaves out only files without any.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from samtrygg.core import services
from samtrygg.core.errors import DomainError
from samtrygg.core.models import ApiToken, Organisation
from samtrygg.observations import importing
from samtrygg.observations import services as observation_services
from samtrygg.observations.models import Observation

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_api_key_name_longer_than_its_column_is_refused(orsa: Any) -> None:
    user = orsa.user("samordnare")
    with pytest.raises(DomainError, match="högst 100 tecken"):
        services.create_api_token(user, name="n" * 101)
    token, _raw = services.create_api_token(user, name="n" * 100)
    assert ApiToken.objects.get(pk=token.pk).name == "n" * 100


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_names_on_an_invitation_longer_than_their_column_are_refused(
    orsa: Any, actor_of: Any, field: str
) -> None:
    admin = actor_of(orsa.user("administrator"), orsa.partnership)
    _invitation, raw = services.invite(
        admin, email="ny@test.example", organisation=orsa.organisation, role="rapportor"
    )
    names = {"first_name": "Nora", "last_name": "Nilsson", field: "a" * 200}
    with pytest.raises(DomainError, match="högst 150 tecken") as refused:
        services.accept_invitation(raw, password="Trygg-test-lösen-1", **names)
    assert refused.value.field == field
    user = services.accept_invitation(
        raw, password="Trygg-test-lösen-1", **{**names, field: "a" * 150}
    )
    assert getattr(user, field) == "a" * 150


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Bo\x00laget", "Bo\x07laget", "Bo\x1blaget"])
def test_control_characters_in_free_text_are_refused(orsa: Any, actor_of: Any, text: str) -> None:
    admin = actor_of(orsa.user("samordnare"), orsa.partnership)
    before = Organisation.objects.count()
    with pytest.raises(DomainError, match="otillåtna tecken"):
        services.create_organisation(admin, name=text, type="bostadsbolag")
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_a_nul_byte_in_an_imported_description_names_row_and_column(
    orsa: Any, actor_of: Any
) -> None:
    from tests.observations.conftest import yesterday

    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    header = ",".join(importing.HEADER)
    day = yesterday().isoformat()
    good = f"{day},,kväll,Klotter,{orsa.place.name},,,Klotter på vägg.,2,,,nej"
    bad = f"{day},,kväll,Klotter,{orsa.place.name},,,Klotter\x00 på vägg.,2,,,nej"
    rows = importing.read_file(f"{header}\n{good}\n{bad}\n".encode(), "logg.csv")
    with pytest.raises(observation_services.ImportRefused) as refused:
        observation_services.import_rows(reporter, rows)
    assert any("Rad 3" in e and "beskrivning" in e for e in refused.value.errors)
    assert any("otillåtna tecken" in e for e in refused.value.errors)
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_in_a_report_is_refused(orsa: Any, actor_of: Any) -> None:
    from tests.observations.conftest import incident

    reporter = actor_of(orsa.user("rapportor"), orsa.partnership)
    with pytest.raises(DomainError, match="otillåtna tecken"):
        observation_services.submit_report(
            reporter, [incident(orsa, description="Klotter\x00 vid torget.")]
        )
    assert not Observation.objects.exists()


def test_postgresql_leaves_out_only_tests_without_a_database() -> None:
    """`make test-postgres` collects with SAMTRYGG_DATABASE_TESTS_ONLY (tests/conftest.py):
    the privacy and bad-input tests that use the database stay, this file's check of the
    rule goes (it touches no database), and so do the engine's tests."""
    here = Path(__file__).relative_to(ROOT).as_posix()
    engine = "tests/analysis/test_binning.py"
    env = {**os.environ, "SAMTRYGG_DATABASE_TESTS_ONLY": "1"}
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--collect-only"]
    collected = subprocess.run(
        [*pytest, here, engine],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    kept = {line.split("::")[1].split("[")[0] for line in collected.splitlines() if "::" in line}
    assert "test_a_nul_byte_in_a_report_is_refused" in kept
    assert "test_control_characters_in_free_text_are_refused" in kept
    assert "test_postgresql_leaves_out_only_tests_without_a_database" not in kept
    assert not any(engine in line for line in collected.splitlines())
