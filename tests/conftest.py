"""Shared fixtures: two partnerships (Orsa and Gislaved), users in every role, clients."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

PASSWORD = "Trygg-test-lösen-1"


@pytest.fixture(autouse=True)
def _fast_passwords(request: pytest.FixtureRequest) -> None:
    """Argon2 is for production; tests hash with a fast hasher (when Django is loaded)."""
    try:
        settings = request.getfixturevalue("settings")
    except pytest.FixtureLookupError:
        return
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A private cache per test: login throttling must not leak between tests or runs.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{request.node.nodeid}",
        }
    }


@pytest.fixture(autouse=True)
def _swedish_again_after_each_test() -> Any:
    """A request in English activates English for the rest of the thread (as a request does
    in production, where the next request activates its own language): tests start in
    Swedish whatever the test before them did."""
    yield
    try:
        from django.utils import translation
    except ImportError:  # Django not installed: a pure analysis run
        return
    translation.deactivate()


@dataclass
class Tenant:
    """One partnership with one of everything, and a user per role."""

    partnership: Any
    organisation: Any
    other_organisation: Any
    area: Any
    place: Any
    users: dict[str, Any] = field(default_factory=dict)
    marker: str = ""

    def user(self, role: str) -> Any:
        return self.users[role]


def _system_actor(partnership: Any) -> Any:
    from samtrygg.core.dataio import system_actor

    return system_actor(partnership)


def _hexagon(lat: float, lon: float, radius_m: float = 600) -> dict[str, Any]:
    from samtrygg.core.demo import _hexagon as hexagon

    return hexagon(lat, lon, radius_m)


def build_tenant(code: str, lpo_name: str, lat: float, lon: float, marker: str) -> Tenant:
    """A partnership in kommun ``code`` whose record names all carry ``marker``."""
    from django.contrib.auth import get_user_model

    from samtrygg.core import services
    from samtrygg.core.models import Partnership, PoliceArea, PoliceRegion, Role

    lpo, _ = PoliceArea.objects.get_or_create(name=lpo_name, defaults={"region": PoliceRegion.MITT})
    lpo.municipalities.add(code)
    partnership = Partnership.objects.create(
        municipality_id=code, police_area=lpo, name=f"Samverkan {marker}"
    )
    actor = _system_actor(partnership)
    org = services.create_organisation(actor, name=f"Kommunen {marker}", type="kommunforvaltning")
    other = services.create_organisation(
        actor, name=f"Bostadsbolaget {marker}", type="bostadsbolag"
    )
    area = services.create_area(actor, name=f"Centrum {marker}", geometry=_hexagon(lat, lon))
    place = services.create_place(actor, name=f"Torget {marker}", type="torg", lat=lat, lon=lon)
    tenant = Tenant(partnership, org, other, area, place, marker=marker)
    User = get_user_model()
    for role in Role.values:
        email = f"{role}.{code}@test.example"
        user = User.objects.create_user(
            username=email,
            email=email,
            password=PASSWORD,
            first_name=role.capitalize(),
            last_name=code,
        )
        organisation = other if role == Role.RAPPORTOR else org
        services.add_membership(actor, user=user, organisation=organisation, role=role)
        tenant.users[role] = user
    return tenant


@pytest.fixture
def orsa(db: Any) -> Tenant:
    return build_tenant("2034", "LPO Mora", 61.1205, 14.6160, "ORSA-MARK")


@pytest.fixture
def gislaved(db: Any) -> Tenant:
    return build_tenant("0662", "LPO Gislaved", 57.3040, 13.5400, "GISLAVED-MARK")


@pytest.fixture
def login(client: Any) -> Any:
    """Log the test client in as a user (and into the user's first partnership)."""

    def do(user: Any, partnership: Any = None) -> Any:
        client.force_login(user)
        if partnership is not None:
            session = client.session
            session["partnership_id"] = partnership.pk
            session.save()
        return client

    return do


@pytest.fixture
def actor_of() -> Any:
    from samtrygg.core.permissions import actor_for

    def do(user: Any, partnership: Any) -> Any:
        return actor_for(user, partnership)

    return do


ROOT = Path(__file__).resolve().parents[1]


def copy_sqlite(source: Path, target: Path) -> Path:
    """Copy a SQLite database whole (through SQLite's backup, so the copy is consistent)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
    return target


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database that ``samtrygg migrate`` made in a process of its own, once per run:
    the pytest workers of a run share it (the first one makes it, under a lock)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the directory the workers of one run have in common
    template = root / "migrated.sqlite3"
    with (root / "migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            work = root / "migrating"
            env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
            env.update(
                DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
                SAMTRYGG_VAR_DIR=str(work / "var"),
                DJANGO_SETTINGS_MODULE="samtrygg.settings",
            )
            migrate = subprocess.run(
                [sys.executable, "-m", "samtrygg.cli", "migrate", "--no-input", "-v", "0"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert migrate.returncode == 0, migrate.stderr[-2000:]
            partial = copy_sqlite(work / "db.sqlite3", root / "migrated.partial")
            partial.replace(template)  # whole or not at all, for the next worker
    return template


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template: Path) -> Callable[[Path], Path]:
    """``migrated_sqlite(path)`` puts a migrated SQLite database at ``path``, as a fresh
    ``samtrygg migrate`` leaves it, for a test that runs the project's commands in processes
    of its own. Migrating is most of such a test's set-up, so it is done once per run."""

    def put(path: Path) -> Path:
        return copy_sqlite(_migrated_sqlite_template, path)

    return put


# Fixtures that reach a database: a test whose fixtures (with what they need) include none of
# these, and that is not marked django_db, touches no database. (``django_db_blocker`` is not
# one: pytest-django gives it to every test.)
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_setup", "live_server"}
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With SAMTRYGG_DATABASE_TESTS_ONLY set (the PostgreSQL stage of ``make test``), run only
    the tests that touch a database: the others ran already, the same, in the SQLite stage."""
    if not os.environ.get("SAMTRYGG_DATABASE_TESTS_ONLY"):
        return
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        touches = item.get_closest_marker("django_db") is not None or fixtures & DATABASE_FIXTURES
        (kept if touches else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
