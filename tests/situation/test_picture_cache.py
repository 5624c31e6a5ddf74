"""The live lägesbild kept in the shared cache: computed once while nothing changes, computed
anew on the very next request after anything it is made of changes, never another
partnership's, language or filters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.analysis.picture import Period
from samtrygg.core.generations import ALL, MISS, Generations
from samtrygg.situation import pictures
from tests.situation.data import add_observations
from tests.situation.test_english import english as english_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The pictures actually computed (not taken from the cache), in order."""
    calls: list[Any] = []
    real = pictures.compute_snapshot

    def counting(partnership: Any, period: Period, *args: Any, **kwargs: Any) -> Any:
        calls.append((partnership.pk, period))
        return real(partnership, period, *args, **kwargs)

    monkeypatch.setattr(pictures, "compute_snapshot", counting)
    return calls


def _this_week_numbers() -> tuple[int, int]:
    year, week, _day = timezone.localdate().isocalendar()
    return year, week


def _this_week() -> Period:
    return Period.week(*_this_week_numbers())


def _count(page: Any) -> int:
    return sum(a["count"] for a in page.context["data"]["areas"])


def _yesterday_noon() -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=1)
    return moment.replace(hour=12, minute=0, second=0, microsecond=0)


def test_the_page_is_computed_once_while_nothing_changes(
    orsa: Any, login: Any, computed: list[Any]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    first = client.get(reverse("situation-current"))
    again = client.get(reverse("situation-current"))
    points = client.get(reverse("situation-points"))
    assert first.status_code == again.status_code == points.status_code == 200
    assert len(computed) == 1
    assert first.context["data"]["areas"] == again.context["data"]["areas"]


def test_a_new_report_is_on_the_very_next_page(
    orsa: Any, login: Any, actor_of: Any, computed: list[Any]
) -> None:
    from samtrygg.observations import services

    client = login(orsa.user("samordnare"), orsa.partnership)
    before = _count(client.get(reverse("situation-current")))
    services.ensure_defaults(orsa.partnership)
    today = timezone.localdate()  # at midnight: this week whatever the day, and never ahead
    services.submit_report(
        actor_of(orsa.user("samordnare"), orsa.partnership),
        [
            services.IncidentInput(
                category="klotter",
                occurred_on=today.isoformat(),
                time="00:00",
                place=orsa.place.pk,
                description="Klotter på väggen",
                assessment="2",
            )
        ],
    )
    after = _count(client.get(reverse("situation-current")))
    assert after == before + 1
    assert len(computed) == 2


def test_a_record_saved_outside_the_services_outdates_the_picture(
    orsa: Any, computed: list[Any]
) -> None:
    """The admin or a cascade saves without an audit entry; the signal still outdates."""
    from samtrygg.observations.models import Observation

    pictures.cached_snapshot(orsa.partnership, _this_week())
    (made,) = add_observations(orsa, [_yesterday_noon()])  # in bulk: no signal
    Observation.objects.get(pk=made.pk).save()  # as the admin saves it
    pictures.cached_snapshot(orsa.partnership, _this_week())
    assert len(computed) == 2


def test_a_police_import_outdates_every_partnerships_picture(
    orsa: Any, gislaved: Any, computed: list[Any]
) -> None:
    from tests.sources.conftest import EVENTS_SAMPLE, run_command

    for tenant in (orsa, gislaved):
        pictures.cached_snapshot(tenant.partnership, _this_week())
    code, _out, err = run_command("import", "police-events", str(EVENTS_SAMPLE))
    assert code == 0, err
    for tenant in (orsa, gislaved):
        pictures.cached_snapshot(tenant.partnership, _this_week())
    assert len(computed) == 4


def test_police_events_fetched_again_unchanged_keep_the_pictures(
    orsa: Any, computed: list[Any]
) -> None:
    """The fetch runs every few minutes and mostly finds what is stored: no change, no new
    picture."""
    from tests.sources.conftest import EVENTS_SAMPLE, run_command

    run_command("import", "police-events", str(EVENTS_SAMPLE))
    pictures.cached_snapshot(orsa.partnership, _this_week())
    code, _out, err = run_command("import", "police-events", str(EVENTS_SAMPLE))
    assert code == 0, err
    pictures.cached_snapshot(orsa.partnership, _this_week())
    assert len(computed) == 1


def test_new_shipped_defaults_outdate_the_picture(orsa: Any, computed: list[Any]) -> None:
    """New police types mapped by ``ensure_defaults`` (stored in bulk) count at once."""
    from samtrygg.observations.models import ReportingSettings
    from samtrygg.observations.services import ensure_defaults

    ensure_defaults(orsa.partnership)
    pictures.cached_snapshot(orsa.partnership, _this_week())
    ReportingSettings.objects.filter(partnership=orsa.partnership).update(defaults_version=0)
    ensure_defaults(orsa.partnership)  # as after a release with new shipped types
    pictures.cached_snapshot(orsa.partnership, _this_week())
    assert len(computed) == 2


def test_another_partnerships_change_keeps_the_picture(
    orsa: Any, gislaved: Any, actor_of: Any, computed: list[Any]
) -> None:
    from samtrygg.core import services

    pictures.cached_snapshot(orsa.partnership, _this_week())
    services.create_area(
        actor_of(gislaved.user("samordnare"), gislaved.partnership),
        name="Nytt område",
        geometry=gislaved.partnership.areas.first().geometry,
    )
    pictures.cached_snapshot(orsa.partnership, _this_week())
    assert len(computed) == 1


def test_language_filters_and_period_each_have_their_own_picture(
    orsa: Any, login: Any, computed: list[Any]
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = reverse("situation-current")
    previous = Period.week(*_this_week_numbers())
    previous = Period(previous.unit, previous.index - 1)
    client.get(page)
    client.get(page + "?kalla=polis")
    client.get(page + f"?period={previous.label}")
    client.get(page)  # kept: unfiltered, this week
    assert len(computed) == 3
    english = english_client(login(orsa.user("samordnare"), orsa.partnership))
    text = english.get(page).content.decode()
    english.get(page)  # kept: English again
    assert len(computed) == 4
    assert "Hot times" in text, re.findall(r"<h2[^>]*>([^<]*)", text)


def test_an_entry_computed_while_a_change_committed_is_never_used(db: Any) -> None:
    store = Generations("test", timeout=60)
    token, found = store.get("entry", scopes=(ALL, 1))
    assert found is MISS
    store.renew(1)  # the change commits while the picture is being computed
    store.put(token, "entry", "computed from the records before the change")
    assert store.get("entry", scopes=(ALL, 1))[1] is MISS
    token, _found = store.get("entry", scopes=(ALL, 1))
    store.put(token, "entry", "kept")
    store.renew(2)  # another partnership
    assert store.get("entry", scopes=(ALL, 1))[1] == "kept"
    store.renew()  # what everyone reads
    assert store.get("entry", scopes=(ALL, 1))[1] is MISS


def test_many_writes_in_one_transaction_renew_once_at_the_commit(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    store = Generations("test", timeout=60)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(1000):
            store.renew(1)
        store.renew(2)
        with transaction.atomic():  # a savepoint that could still roll back
            store.renew(3)
        token, _found = store.get("entry", scopes=(ALL, 1))
        store.put(token, "entry", "computed inside the transaction")
    assert len(callbacks) == 3  # 1, 2 and 3, each once
    assert store.get("entry", scopes=(ALL, 1))[1] is MISS  # renewed again at the commit


def test_a_renewal_waiting_in_a_rolled_back_savepoint_does_not_count(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.db import transaction

    store = Generations("test", timeout=60)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            store.renew(1)
            raise RuntimeError("the inner write fails")
        store.renew(1)  # the outer write still needs its renewal at the commit
    assert len(callbacks) == 1
