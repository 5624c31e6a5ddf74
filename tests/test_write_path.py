"""Every write through a service leaves an audit entry.

Every public function of every services module is wrapped while the scenario runs; when an
outermost service call has written rows, it must have written audit entries too: one for
each record of the partnership it created or changed, and at least one when it deleted.
Operational logs (the audit trail itself, the job log, generated documents) are not records.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models import Max
from django.db.models.signals import post_delete, post_save

from samtrygg.core.models import AuditEntry, JobRun, TenantModel
from tests import tenancy

pytestmark = pytest.mark.django_db

SERVICE_MODULES = (
    "samtrygg.core.services",
    "samtrygg.observations.services",
    "samtrygg.actions.services",
    "samtrygg.situation.services",
    "samtrygg.sources.services",
)
OPERATIONAL = {AuditEntry._meta.label, JobRun._meta.label, "situation.GeneratedDocument"}


class Unaudited(AssertionError):
    """A service wrote a record and left no audit entry for it."""


class Checker:
    def __init__(self) -> None:
        self.depth = 0
        self.written: list[tuple[str, str, str, bool]] = []
        self.calls = 0

    def on_save(self, sender: Any, instance: Any, created: bool = False, **kw: Any) -> None:
        if self.depth and not kw.get("raw") and sender._meta.label not in OPERATIONAL:
            kind = "create" if created else "update"
            tenant = isinstance(instance, TenantModel)
            self.written.append((sender._meta.label, str(instance.pk), kind, tenant))

    def on_delete(self, sender: Any, instance: Any, **kw: Any) -> None:
        if self.depth and sender._meta.label not in OPERATIONAL:
            self.written.append((sender._meta.label, str(instance.pk), "delete", False))

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            if self.depth:
                return function(*args, **kwargs)
            last = AuditEntry.objects.aggregate(n=Max("id"))["n"] or 0
            self.depth, self.written = 1, []
            try:
                result = function(*args, **kwargs)
            finally:
                self.depth = 0
            self.calls += 1
            entries = set(AuditEntry.objects.filter(id__gt=last).values_list("model", "object_id"))
            if self.written and not entries:
                raise Unaudited(f"{name} wrote {self.written} and left no audit entry")
            for label, pk, kind, tenant in self.written:
                if tenant and kind != "delete" and (label, pk) not in entries:
                    raise Unaudited(f"{name}: {kind} of {label} {pk} has no audit entry")
            return result

        return checked


@contextmanager
def every_service_checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[Checker]:
    checker = Checker()
    for module_name in SERVICE_MODULES:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or not function.__module__.startswith(module_name):
                continue
            wrapped = checker.wrap(f"{module_name}.{name}", function)
            monkeypatch.setattr(module, name, wrapped)
            home = importlib.import_module(function.__module__)
            if getattr(home, name, None) is function:
                monkeypatch.setattr(home, name, wrapped)
    post_save.connect(checker.on_save, weak=False, dispatch_uid="write-path-save")
    post_delete.connect(checker.on_delete, weak=False, dispatch_uid="write-path-delete")
    try:
        yield checker
    finally:
        post_save.disconnect(dispatch_uid="write-path-save")
        post_delete.disconnect(dispatch_uid="write-path-delete")


def test_every_service_write_is_audited(orsa: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from samtrygg.actions import services as actions
    from samtrygg.core import services as core
    from samtrygg.core.dataio import system_actor
    from samtrygg.observations import services as observations
    from samtrygg.situation import services as situation

    actor = system_actor(orsa.partnership)
    with every_service_checked(monkeypatch) as checker:
        # core
        org = core.create_organisation(actor, name="Föreningen", type="forening")
        core.update_organisation(
            actor, org, name="Föreningen Ny", type="forening", is_public_authority=False
        )
        core.update_area(actor, orsa.area, name=orsa.area.name, population=1200)
        core.update_place(
            actor, orsa.place, name="Torget Ny", type="torg", lat=orsa.place.lat, lon=orsa.place.lon
        )
        core.invite(actor, email="ny@test.example", organisation=org, role="rapportor")
        core.set_notification_preferences(
            orsa.user("rapportor"), digest_opt_out=True, reminder_opt_out=True
        )
        core.update_partnership_settings(actor, min_public_count=6, requires_police_cosign=False)
        invitation, _raw = core.invite(
            actor, email="gammal@test.example", organisation=org, role="analytiker"
        )
        assert core.delete_expired_invitations(invitation.expires_at + dt.timedelta(days=1)) == 2
        core.save_population(None, 2024, {"2034": 6500})
        core.save_population(None, 2024, {"2034": 6600})
        core.delete_organisation(actor, org)
        # observations
        observation = tenancy._observation(orsa)
        observation = observations.set_reviewed(actor, observation, True)
        category = observations.create_category(actor, name="Hundbajs")
        observations.rename_category(actor, category, name="Skräp")
        observations.retire_category(actor, category)
        observations.delete_category(actor, category)
        observations.update_time_bands(
            actor,
            [
                {"key": "dag", "label": "Dag", "start": "06:00", "end": "18:00"},
                {"key": "natt", "label": "Natt", "start": "18:00", "end": "06:00"},
            ],
        )
        # actions
        found = tenancy._actions(orsa)
        actions.record_progress(actor, found["action"], status="pagar", done_count=1, outcome="Bra")
        actions.update_notes(actor, found["meeting"], "Anteckningar")
        actions.regenerate_agenda(actor, found["meeting"])
        actions.delete_finding(actor, found["finding"])
        actions.delete_action(actor, found["action"])
        # situation
        picture = tenancy._picture(orsa)
        correction = situation.start_correction(actor, picture, "Fel nivå")
        situation.adopt(system_actor(orsa.partnership), correction)
    assert checker.calls >= 25


def test_an_unaudited_service_write_fails(orsa: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from samtrygg.core import services as core

    def rename_quietly(place: Any, name: str) -> None:
        place.name = name
        place.save()

    monkeypatch.setattr(core, "rename_quietly", rename_quietly, raising=False)
    rename_quietly.__module__ = "samtrygg.core.services"
    with every_service_checked(monkeypatch), pytest.raises(Unaudited):
        core.rename_quietly(orsa.place, "Tyst")  # type: ignore[attr-defined]
